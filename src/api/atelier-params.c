/* atelier-params.c: to be written */
