/* atelier-inspection.c: to be written */
