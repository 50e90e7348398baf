/* atelier-api-error.c: to be written */
