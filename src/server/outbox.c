/* outbox.c — the xAPI statements to the learning record store (--lrs).
 *
 * Every answer writes its statements into the database's outbox table in
 * its own transaction (db.h, db_set_outbox_source): a statement exists
 * exactly when its answer does, whatever dies afterwards. This file sends
 * them: every second (and soon after an answer), the server that is free
 * claims a batch of due statements for a lease (db_outbox_claim; on
 * PostgreSQL the rows another server is claiming are skipped), POSTs them
 * to the LRS with the client of libsoup, and marks them sent, or counts the
 * failure and tries them again later (1 s, 2 s, 4 s … up to a minute)
 * while the LRS is down. A server that dies with a batch in flight leaves
 * it to the others when the lease ends.
 *
 * Exactly once, under fixed ids: the statements' ids are fixed (the
 * library derives them from the session), and an LRS never keeps two
 * statements under one id. When a batch is refused with 409 (an id in it
 * is known: a batch sent before whose reply was lost), each of its
 * statements is sent alone with PUT ?statementId=ID, where 204 (stored, or
 * known and the same) and 409 (known) both mean the LRS has it.
 */
#include "server.h"

#include <string.h>

/* Statements per request. */
#define BATCH 50
/* How long a claimed batch is this server's before others may take it. */
#define LEASE (60 * G_USEC_PER_SEC)

struct _Outbox {
  Db *db;
  SoupSession *http;
  char *statements_url; /* …/statements */
  char *authorization;  /* "Basic …" (nullable) */
  gboolean busy;        /* a batch is in flight */
  gboolean dead;        /* outbox_free came while busy: the batch frees it */
  guint timer;
  guint soon;
};

typedef struct {
  Outbox *ob;
  GPtrArray *items;     /* OutboxItem*: the batch */
  GPtrArray *delivered; /* OutboxItem* (borrowed from items) */
  GPtrArray *failed;
  guint next;           /* the item PUT next, one by one */
} Batch;

static void pump (Outbox *ob);

static void
batch_free (Batch *b)
{
  g_ptr_array_unref (b->delivered);
  g_ptr_array_unref (b->failed);
  g_ptr_array_unref (b->items);
  g_free (b);
}

static SoupMessage *
new_request (Outbox *ob, const char *method, const char *url, const char *body)
{
  SoupMessage *msg = soup_message_new (method, url);
  SoupMessageHeaders *h = soup_message_get_request_headers (msg);
  soup_message_headers_replace (h, "X-Experience-API-Version", "1.0.3");
  if (ob->authorization != NULL)
    soup_message_headers_replace (h, "Authorization", ob->authorization);
  g_autoptr (GBytes) bytes = g_bytes_new (body, strlen (body));
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  return msg;
}

/* The batch is over: what was delivered is marked sent, the rest is
 * tried again later. */
static void outbox_destroy (Outbox *ob);

static void
batch_end (Batch *b)
{
  Outbox *ob = b->ob;
  if (ob->dead)
    {
      /* Shutting down: the batch's lease ends, and it is sent again. */
      batch_free (b);
      outbox_destroy (ob);
      return;
    }
  gint64 now = g_get_real_time ();
  g_autoptr (GError) error = NULL;
  if (b->delivered->len > 0 && !db_outbox_done (ob->db, b->delivered, now, &error))
    /* Sent but not marked: the lease ends, they are sent again, and the
     * LRS answers 409 / 204 for them. */
    g_warning ("outbox: %s", error->message);
  g_clear_error (&error);
  if (b->failed->len > 0 && !db_outbox_retry (ob->db, b->failed, now, &error))
    g_warning ("outbox: %s", error->message);
  gboolean more = b->delivered->len == BATCH;
  ob->busy = FALSE;
  batch_free (b);
  if (more)
    pump (ob);
}

static void put_next (Batch *b);

/* The HTTP status of a finished request; 0 when there was no reply
 * (refused, cut, timed out). */
static guint
reply_status (GObject *source, GAsyncResult *result)
{
  g_autoptr (GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                              NULL);
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  return body != NULL && msg != NULL ? soup_message_get_status (msg) : 0;
}

static void
put_done (GObject *source, GAsyncResult *result, gpointer data)
{
  Batch *b = data;
  guint status = reply_status (source, result);
  if (b->ob->dead)
    {
      batch_end (b);
      return;
    }
  OutboxItem *item = g_ptr_array_index (b->items, b->next);
  /* 204: stored now, or known with the same content; 409: known. */
  g_ptr_array_add (status == 204 || status == 200 || status == 409 ? b->delivered : b->failed,
                   item);
  b->next++;
  put_next (b);
}

static void
put_next (Batch *b)
{
  if (b->next >= b->items->len)
    {
      batch_end (b);
      return;
    }
  OutboxItem *item = g_ptr_array_index (b->items, b->next);
  g_autofree char *escaped = g_uri_escape_string (item->id, NULL, FALSE);
  g_autofree char *url = g_strconcat (b->ob->statements_url, "?statementId=", escaped, NULL);
  g_autoptr (SoupMessage) msg = new_request (b->ob, "PUT", url, item->body);
  soup_session_send_and_read_async (b->ob->http, msg, G_PRIORITY_DEFAULT, NULL, put_done, b);
}

static void
post_done (GObject *source, GAsyncResult *result, gpointer data)
{
  Batch *b = data;
  guint status = reply_status (source, result);
  if (b->ob->dead)
    {
      batch_end (b);
      return;
    }
  if (status == 200 || status == 204)
    {
      g_ptr_array_extend (b->delivered, b->items, NULL, NULL);
      batch_end (b);
    }
  else if (status == 409)
    put_next (b);
  else
    {
      if (status != 0 && status != 502 && status != 503 && status != 504)
        g_warning ("outbox: the LRS answered %u to %u statements; they are tried again later",
                   status, b->items->len);
      g_ptr_array_extend (b->failed, b->items, NULL, NULL);
      batch_end (b);
    }
}

/* Claims a batch and sends it, unless one is in flight. */
static void
pump (Outbox *ob)
{
  /* Not while a group commit is open: its statements are not kept yet,
   * and must not leave before their answers are. */
  if (ob->busy || db_in_batch (ob->db))
    return;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) items = db_outbox_claim (ob->db, g_get_real_time (), LEASE, BATCH,
                                                 &error);
  if (items == NULL || items->len == 0)
    return;
  GString *json = g_string_new ("[");
  for (guint i = 0; i < items->len; i++)
    {
      if (i > 0)
        g_string_append_c (json, ',');
      g_string_append (json, ((OutboxItem *) g_ptr_array_index (items, i))->body);
    }
  g_string_append_c (json, ']');
  Batch *b = g_new0 (Batch, 1);
  b->ob = ob;
  b->items = g_steal_pointer (&items);
  b->delivered = g_ptr_array_new ();
  b->failed = g_ptr_array_new ();
  ob->busy = TRUE;
  g_autoptr (SoupMessage) msg = new_request (ob, "POST", ob->statements_url, json->str);
  g_string_free (json, TRUE);
  soup_session_send_and_read_async (ob->http, msg, G_PRIORITY_DEFAULT, NULL, post_done, b);
}

static gboolean
on_timer (gpointer data)
{
  pump (data);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_soon (gpointer data)
{
  Outbox *ob = data;
  ob->soon = 0;
  pump (ob);
  return G_SOURCE_REMOVE;
}

void
outbox_kick (Outbox *ob)
{
  if (ob != NULL && ob->soon == 0)
    ob->soon = g_timeout_add (50, on_soon, ob);
}

Outbox *
outbox_new (Db *db, const char *lrs_url, const char *lrs_auth, GError **error)
{
  g_autoptr (GUri) uri = g_uri_parse (lrs_url, G_URI_FLAGS_NONE, error);
  if (uri == NULL)
    return NULL;
  if (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0
      && g_strcmp0 (g_uri_get_scheme (uri), "https") != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "--lrs '%s': an http:// or https:// address is needed", lrs_url);
      return NULL;
    }
  Outbox *ob = g_new0 (Outbox, 1);
  ob->db = db;
  ob->http = soup_session_new_with_options ("timeout", 30, "max-conns-per-host", 2, NULL);
  ob->statements_url = g_strconcat (lrs_url, g_str_has_suffix (lrs_url, "/") ? "" : "/",
                                    "statements", NULL);
  if (lrs_auth != NULL)
    {
      g_autofree char *b64 = g_base64_encode ((const guchar *) lrs_auth, strlen (lrs_auth));
      ob->authorization = g_strconcat ("Basic ", b64, NULL);
    }
  ob->timer = g_timeout_add_seconds (1, on_timer, ob);
  return ob;
}

static void
outbox_destroy (Outbox *ob)
{
  g_object_unref (ob->http);
  g_free (ob->statements_url);
  g_free (ob->authorization);
  g_free (ob);
}

void
outbox_free (Outbox *ob)
{
  if (ob == NULL)
    return;
  g_source_remove (ob->timer);
  if (ob->soon != 0)
    g_source_remove (ob->soon);
  if (!ob->busy)
    {
      outbox_destroy (ob);
      return;
    }
  /* A batch in flight is abandoned (its lease ends and it is sent again);
   * its callback, cancelled, frees the outbox. */
  ob->dead = TRUE;
  soup_session_abort (ob->http);
}
