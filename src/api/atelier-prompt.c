/* atelier-prompt.c: to be written */
