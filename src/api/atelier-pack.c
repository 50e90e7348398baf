/* atelier-pack.c: to be written */
