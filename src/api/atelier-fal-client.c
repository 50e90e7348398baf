/* atelier-fal-client.c: to be written */
