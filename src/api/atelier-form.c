/* atelier-form.c: to be written */
