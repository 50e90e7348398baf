/* atelier-pager.h: a list of the service, fetched a page at a time
 *
 * The paging the tunes list and the gallery share. Pages of
 * ATELIER_PAGE_SIZE come from an offset; the offset of the next page is
 * the last one plus the page's length as the service sent it (elements
 * the parser skipped count too, and do not make a page short). Items the service lists twice
 * (added between two pages move the rest down) come back as repeats: the
 * pager remembers every id listed since the last reload and hands each
 * page over as the whole page and its fresh part. Items the owner adds or
 * removes itself shift the offset by one; while a page is on its way an
 * addition is not counted, so a doubt always asks for an overlap, never a
 * gap.
 *
 * The owner says how to fetch a page (@fetch, @finish) and how to tell
 * items apart (@get_id), and listens to:
 *   ::page (GPtrArray *page, GPtrArray *fresh, gboolean first): a page
 *     came; @first when it was asked from offset 0. :loading and
 *     :has-more notify after the handlers ran, so a handler may ask for
 *     the next page.
 *   ::failed (GError *error): the page could not be fetched; load_more()
 *     asks for it again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "atelier-astria-client.h"

G_BEGIN_DECLS

/* Starts fetching the page at @offset with @client; @callback gets
 * @callback_data. @user_data is the pager's. */
typedef void       (*AtelierPagerFetchFunc)  (AtelierAstriaClient  *client,
                                              guint                 offset,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              callback_data,
                                              gpointer              user_data);
/* (element-type GObject) (transfer full) */
typedef GPtrArray *(*AtelierPagerFinishFunc) (AtelierAstriaClient  *client,
                                              GAsyncResult         *result,
                                              GError              **error);
typedef gint64     (*AtelierPagerIdFunc)     (gpointer              item);

#define ATELIER_TYPE_PAGER (atelier_pager_get_type ())
G_DECLARE_FINAL_TYPE (AtelierPager, atelier_pager, ATELIER, PAGER, GObject)

/* @user_data is not referenced: the owner keeps the pager. */
AtelierPager *atelier_pager_new           (AtelierPagerFetchFunc   fetch,
                                           AtelierPagerFinishFunc  finish,
                                           AtelierPagerIdFunc      get_id,
                                           gpointer                user_data);

/* Another client: as atelier_pager_reset (@self, FALSE). */
void          atelier_pager_set_client    (AtelierPager          *self,
                                           AtelierAstriaClient   *client);
AtelierAstriaClient *atelier_pager_get_client (AtelierPager      *self);

/* Forgets every page: none on its way, no id seen, offset 0, not loaded,
 * no error; :has-more says @has_more until a page comes. */
void          atelier_pager_reset         (AtelierPager          *self,
                                           gboolean               has_more);
/* Asks for the first page again (the one on its way is dropped, ids seen
 * are forgotten); :has-more and :loaded keep their values until it comes.
 * Nothing without a client. */
void          atelier_pager_reload        (AtelierPager          *self);
/* The next page; nothing while one is on its way, when no more are
 * expected, or without a client. */
void          atelier_pager_load_more     (AtelierPager          *self);

/* The owner shows @id first now (created here): the service's pages moved
 * down by one, and @id counts as seen. */
void          atelier_pager_note_added    (AtelierPager          *self,
                                           gint64                 id);
/* @id is gone (deleted here): if the service had listed it, its pages
 * moved up by one. */
void          atelier_pager_note_removed  (AtelierPager          *self,
                                           gint64                 id);
/* Listed since the last reload (or noted as added). */
gboolean      atelier_pager_has_seen      (AtelierPager          *self,
                                           gint64                 id);

gboolean      atelier_pager_get_loading   (AtelierPager          *self);
/* FALSE once a page shorter than ATELIER_PAGE_SIZE came. */
gboolean      atelier_pager_get_has_more  (AtelierPager          *self);
/* TRUE once a page came (or failed) since the last reset. */
gboolean      atelier_pager_get_loaded    (AtelierPager          *self);
/* The last page's error, until the next page is asked for. */
const GError *atelier_pager_get_error     (AtelierPager          *self);
/* Where the next page starts. */
guint         atelier_pager_get_offset    (AtelierPager          *self);

G_END_DECLS
