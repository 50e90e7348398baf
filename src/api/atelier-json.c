/* atelier-json.c: to be written */
