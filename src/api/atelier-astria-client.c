/* atelier-astria-client.c: to be written */
