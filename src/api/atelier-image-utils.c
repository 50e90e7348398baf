/* atelier-image-utils.c: to be written */
