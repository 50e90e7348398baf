/* atelier-sandbox-store.c: to be written */
