/* atelier-tune.c: to be written */
