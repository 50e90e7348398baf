/* atelier-sandbox-inspect.c: to be written */
