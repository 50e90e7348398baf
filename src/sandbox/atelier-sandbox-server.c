/* atelier-sandbox-server.c: to be written */
