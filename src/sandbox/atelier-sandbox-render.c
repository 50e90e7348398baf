/* atelier-sandbox-render.c: to be written */
