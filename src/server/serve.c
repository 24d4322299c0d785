/* serve.c — `procsim serve` from start to stop: open the database (and
 * migrate it), load the catalogue of scenarios (state.c), create the first
 * admin on an empty database, listen with the router (router.c) on a
 * socket of our own, run the main loop until SIGINT or SIGTERM, and free
 * it all, committing the last batch of writes.
 */
#include "state.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <sodium.h>
#include <string.h>

/* An admin account on an empty database, its password shown once. */
static gboolean
first_admin (Server *srv, FILE *out, GError **error)
{
  guint n = db_count_users (srv->db, error);
  if (n > 0 || (error != NULL && *error != NULL))
    return error == NULL || *error == NULL;
  g_autofree char *password = secret_new_password ();
  g_autofree char *hash = secret_hash_password (password, error);
  if (hash == NULL)
    return FALSE;
  User admin = { .name = (char *) "admin", .role = ROLE_ADMIN, .pwhash = hash };
  if (!db_add_user (srv->db, &admin, error))
    return FALSE;
  fprintf (out, _("An admin account was created: user admin, password %s\n"
                  "(shown only this once: note it, or add users with procsim users add)\n"),
           password);
  return TRUE;
}

/* "127.0.0.1:8080", "[::1]:0", "localhost:8080" → an address. */
static GSocketAddress *
parse_listen (const char *listen, GError **error)
{
  g_autoptr (GSocketConnectable) where = g_network_address_parse (listen, 8080, error);
  if (where == NULL)
    return NULL;
  g_autoptr (GSocketAddressEnumerator) e = g_socket_connectable_enumerate (where);
  GSocketAddress *addr = g_socket_address_enumerator_next (e, NULL, error);
  if (addr == NULL && error != NULL && *error == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "'%s': no such address", listen);
  return addr;
}

/* "http://127.0.0.1:8080/" for the socket listened on. (Not
 * soup_server_get_uris (): libsoup 3.2 leaks an address in it.)
 * (transfer full) */
static char *
listening_url (SoupServer *soup)
{
  GSList *listeners = soup_server_get_listeners (soup);
  g_autoptr (GSocketAddress) addr = listeners != NULL
                                        ? g_socket_get_local_address (listeners->data, NULL)
                                        : NULL;
  g_slist_free (listeners);
  if (addr == NULL || !G_IS_INET_SOCKET_ADDRESS (addr))
    return g_strdup ("?");
  GInetSocketAddress *in = G_INET_SOCKET_ADDRESS (addr);
  g_autofree char *host = g_inet_address_to_string (g_inet_socket_address_get_address (in));
  guint port = g_inet_socket_address_get_port (in);
  return strchr (host, ':') != NULL ? g_strdup_printf ("http://[%s]:%u/", host, port)
                                    : g_strdup_printf ("http://%s:%u/", host, port);
}

/* TRUE when @host ("127.0.0.1", "::1", "localhost") is this machine. */
static gboolean
host_is_loopback (const char *host)
{
  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  g_autofree char *bare = g_strdup (host);
  if (bare[0] == '[' && g_str_has_suffix (bare, "]"))
    {
      memmove (bare, bare + 1, strlen (bare));
      bare[strlen (bare) - 1] = '\0';
    }
  g_autoptr (GInetAddress) a = g_inet_address_new_from_string (bare);
  return a != NULL && g_inet_address_get_is_loopback (a);
}

/* Guests by default only on one machine: listening on loopback, and
 * reached there (a --base-url elsewhere means a proxy in front). */
static gboolean
guests_by_default (GSocketAddress *addr, const char *base_url)
{
  if (!G_IS_INET_SOCKET_ADDRESS (addr)
      || !g_inet_address_get_is_loopback (
          g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (addr))))
    return FALSE;
  if (base_url == NULL)
    return TRUE;
  g_autoptr (GUri) uri = g_uri_parse (base_url, G_URI_FLAGS_NONE, NULL);
  return uri != NULL && host_is_loopback (g_uri_get_host (uri));
}

static gboolean
on_signal (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static gboolean
purge_tokens (gpointer data)
{
  Server *srv = data;
  db_purge_tokens (srv->db, g_get_real_time (), NULL);
  return G_SOURCE_CONTINUE;
}

static void
server_free (Server *srv)
{
  /* The last batch committed, its replies sent. */
  g_clear_pointer (&srv->batch, reply_batch_free);
  g_clear_pointer (&srv->outbox, outbox_free);
  if (srv->soup != NULL)
    {
      soup_server_disconnect (srv->soup);
      g_object_unref (srv->soup);
      /* The connections still open go away on the main loop: let them. */
      for (guint i = 0; i < 1000 && g_main_context_pending (NULL); i++)
        g_main_context_iteration (NULL, FALSE);
    }
  g_clear_pointer (&srv->live, g_hash_table_unref);
  g_clear_pointer (&srv->groups, g_hash_table_unref);
  g_clear_pointer (&srv->scenarios, g_hash_table_unref);
  g_clear_pointer (&srv->unloadable, g_hash_table_unref);
  g_clear_pointer (&srv->sorted, g_ptr_array_unref);
  g_clear_pointer (&srv->catalogue, psim_catalogue_free);
  db_close (srv->db);
  auth_free (srv->auth);
  graph_worker_free (srv->graphs);
  if (srv->loop != NULL)
    g_main_loop_unref (srv->loop);
  g_free (srv->base_url);
  g_free (srv->home_page);
  g_free (srv->upload_dir);
  g_free (srv);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Server, server_free)

gboolean
srv_run (const ServerOptions *o, FILE *out, GError **error)
{
  if (sodium_init () < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "libsodium cannot start");
      return FALSE;
    }
  g_autoptr (Server) srv = g_new0 (Server, 1);
  srv->auth = auth_new ();
  srv->graphs = graph_worker_new (NULL);
  srv->unloadable = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  srv->scenarios = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) psim_scenario_unref);
  srv->sorted = g_ptr_array_new_with_free_func ((GDestroyNotify) psim_scenario_unref);
  srv->live = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                     (GDestroyNotify) psim_session_free);
  srv->groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  srv->batch = reply_batch_new (srv);
  srv->db = db_open (o->db_url, error);
  if (srv->db == NULL)
    return FALSE;
  if (o->lrs_url != NULL)
    {
      Outbox *ob = outbox_new (srv->db, o->lrs_url, o->lrs_auth, error);
      if (ob == NULL)
        return FALSE;
      srv_set_outbox (srv, ob);
    }

  if (!srv_load_catalogue (srv, o, error))
    return FALSE;

  g_autoptr (GSocketAddress) addr = parse_listen (o->listen, error);
  if (addr == NULL)
    return FALSE;
  srv->soup = soup_server_new ("server-header", "procsim", NULL);
  router_attach (srv, srv->soup);
  /* Our own socket, for its backlog: GLib's default of 10 pending
   * connections drops the SYNs of a classroom arriving at once (each
   * dropped one waits a second to retry). */
  g_autoptr (GSocket) sock = g_socket_new (g_socket_address_get_family (addr),
                                           G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, error);
  if (sock == NULL)
    return FALSE;
  g_socket_set_listen_backlog (sock, 1024);
  if (!g_socket_bind (sock, addr, TRUE, error) || !g_socket_listen (sock, error)
      || !soup_server_listen_socket (srv->soup, sock, 0, error))
    return FALSE;
  g_autofree char *url = listening_url (srv->soup);
  srv->base_url = g_strdup (o->base_url != NULL ? o->base_url : url);
  srv->secure = g_str_has_prefix (srv->base_url, "https:");
  /* Only the address every server behind the proxy shares: without it,
   * procsim's own IRI, so that a statement is the same whichever server
   * writes it. */
  srv->home_page = g_strdup (o->base_url);
  srv->guests = o->guests >= 0 ? o->guests != 0 : guests_by_default (addr, o->base_url);

  if (!first_admin (srv, out, error))
    return FALSE;
  fprintf (out, _("procsim serve: %u scenarios, listening on %s\n"), srv->sorted->len, url);
  if (srv->guests)
    fprintf (out, "%s\n", _("Visitors may practise as guests, without an account "
                            "(--no-guests to refuse them)."));
  fflush (out);

  srv->loop = g_main_loop_new (NULL, FALSE);
  guint sigint = g_unix_signal_add (SIGINT, on_signal, srv->loop);
  guint sigterm = g_unix_signal_add (SIGTERM, on_signal, srv->loop);
  guint purge = g_timeout_add_seconds (600, purge_tokens, srv);
  g_main_loop_run (srv->loop);
  g_source_remove (purge);
  /* The signal sources removed themselves when they fired; the other stays. */
  GSource *s1 = g_main_context_find_source_by_id (NULL, sigint);
  GSource *s2 = g_main_context_find_source_by_id (NULL, sigterm);
  if (s1 != NULL)
    g_source_destroy (s1);
  if (s2 != NULL)
    g_source_destroy (s2);
  return TRUE;
}
