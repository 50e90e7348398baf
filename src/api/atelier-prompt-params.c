/* atelier-prompt-params.c: to be written */
