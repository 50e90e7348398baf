/* atelier-ui-test-utils.h: finding widgets and waiting, for the UI tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "atelier-account.h"
#include "atelier-application.h"
#include "atelier-window.h"

G_BEGIN_DECLS

/* Exits 77 (a skip for meson) when no display can be opened; otherwise
 * initialises GTK and libadwaita. */
void        atelier_ui_test_init            (int          *argc,
                                             char       ***argv);

/* Depth first over every widget under @root (internal children too). */
GtkWidget  *atelier_ui_find_by_id           (GtkWidget    *root,
                                             const char   *buildable_id);
/* The same, for a widget that must be there: the test stops when not. */
GtkWidget  *atelier_ui_get_by_id            (GtkWidget    *root,
                                             const char   *buildable_id);
GtkWidget  *atelier_ui_find_by_type         (GtkWidget    *root,
                                             GType         type);
/* A widget of @type (or a subclass) showing @label: a button's label, a
 * GtkLabel's text, a row's title or a toggle button of a view switcher. */
GtkWidget  *atelier_ui_find_labelled        (GtkWidget    *root,
                                             GType         type,
                                             const char   *label);
/* TRUE when a GtkLabel under @root, visible up to @root, contains @text. */
gboolean    atelier_ui_shows_text           (GtkWidget    *root,
                                             const char   *text);
/* Visible itself and every ancestor up to the root. */
gboolean    atelier_ui_is_shown             (GtkWidget    *widget);
/* The first toplevel of @type, or NULL. */
GtkWindow  *atelier_ui_find_toplevel        (GType         type);
/* Iterates the main context for @ms. */
void        atelier_ui_spin                 (guint         ms);
/* With $ATELIER_TEST_SCREENSHOTS set to a directory, saves what the test
 * sees there as @name.png, to look at (after the transitions). */
void        atelier_ui_save_screenshot      (GtkWindow    *window,
                                             const char   *name);
/* A notification server (org.freedesktop.Notifications) on the test's
 * private session bus. Returns what it is asked to show, "summary\nbody"
 * per notification (owned by the utils, alive until exit). */
GPtrArray  *atelier_ui_start_notification_server (void);

/* Each UI test case runs in an application of its own, from fresh state:
 * atelier_ui_app_start() wipes the app's data, cache and drafts, resets
 * every GSettings key, empties the keyring of the app's keys (those in
 * @keys, "service", "key" pairs ending in NULL, are stored first), then
 * registers and activates a new AtelierApplication and waits until its
 * session has a service. Returns its main window. atelier_ui_app_stop()
 * destroys every window and waits until the application (and with it the
 * in-app sandbox) is gone. */
AtelierWindow        *atelier_ui_app_start    (const char  *first_service,
                                               ...);
void                  atelier_ui_app_stop     (void);
AtelierApplication   *atelier_ui_get_app      (void);

/* g_test_add_func() with a fresh application around @func: @setup runs
 * after atelier_ui_app_start (NULL) (or, when @setup is given, instead of
 * it: @setup then starts the app itself), atelier_ui_app_stop() after
 * @func. Running one case alone (-p PATH) reproduces it. */
void                  atelier_ui_test_add     (const char  *path,
                                               void       (*setup) (void),
                                               void       (*func) (void));

/* The running AtelierApplication's account, and its sandbox (NULL while
 * an Astria key is in use). */
AtelierAccount       *atelier_ui_get_account  (void);
AtelierSandboxServer *atelier_ui_get_sandbox  (void);

G_END_DECLS
