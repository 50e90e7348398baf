/* atelier-tune-params.c: to be written */
