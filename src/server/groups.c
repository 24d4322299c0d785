/* groups.c — which groups a scenario is offered to (db.h's
 * scenario_groups; serve.c's srv_list_offered applies it): the fieldset
 * of check boxes a trainer chooses them with, on the upload form and on
 * a scenario's report page, what such a form sends, and the routes that
 * change them (the page's form, PUT /api/v1/scenarios/ID/groups).
 * No group named: the scenario is offered to every trainee.
 */
#include "groups.h"

#include <string.h>

#define _(msgid) psim_gettext (lang, msgid)
#define MAX_GROUP_BYTES 64
#define MAX_GROUPS 200

static gint
by_name (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* The groups any user is in, and @extra, sorted, each once.
 * (transfer full) NULL when the database fails. */
static GPtrArray *
known_groups (Db *db, GPtrArray *extra, GError **error)
{
  g_auto (GStrv) groups = db_list_groups (db, error);
  if (groups == NULL)
    return NULL;
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  guint n = g_strv_length (groups);
  for (guint i = 0; i < n + (extra != NULL ? extra->len : 0); i++)
    {
      const char *g = i < n ? groups[i] : g_ptr_array_index (extra, i - n);
      if (*g != '\0' && g_hash_table_add (seen, (gpointer) g))
        g_ptr_array_add (out, g_strdup (g));
    }
  g_ptr_array_sort (out, by_name);
  return out;
}

gboolean
groups_fieldset (GString *p, Req *req, const char *scenario, GError **error)
{
  const char *lang = req->lang;
  Db *db = srv_get_db (req->srv);
  g_autoptr (GHashTable) offered = db_list_scenario_groups (db, error);
  if (offered == NULL)
    return FALSE;
  GPtrArray *chosen = scenario != NULL ? g_hash_table_lookup (offered, scenario) : NULL;
  g_autoptr (GPtrArray) all = known_groups (db, chosen, error);
  if (all == NULL)
    return FALSE;
  g_string_append (p, "<fieldset class=\"groups\"><legend>");
  html_escape (p, _("Offered to the groups"));
  g_string_append (p, "</legend>\n<p class=\"meta\" id=\"groups-help\">");
  html_escape (p, _("With no group ticked, every trainee sees the scenario in their catalogue. "
                    "Trainers and admins see every scenario."));
  g_string_append (p, "</p>\n");
  for (guint i = 0; i < all->len; i++)
    {
      const char *g = g_ptr_array_index (all, i);
      gboolean on = FALSE;
      for (guint k = 0; chosen != NULL && k < chosen->len && !on; k++)
        on = strcmp (g_ptr_array_index (chosen, k), g) == 0;
      g_string_append_printf (p, "<p><input type=\"checkbox\" id=\"offer-%u\" name=\"offer-%u\" "
                                 "value=\"",
                              i, i);
      html_escape (p, g);
      g_string_append_printf (p, "\"%s aria-describedby=\"groups-help\"> <label for=\"offer-%u\">",
                              on ? " checked" : "", i);
      html_escape (p, g);
      g_string_append (p, "</label></p>\n");
    }
  g_string_append_printf (p, "<input type=\"hidden\" name=\"offer-count\" value=\"%u\">\n",
                          all->len);
  g_string_append (p, "<p><label for=\"offer-more\">");
  html_escape (p, _("Other groups (separated by commas)"));
  g_string_append (p, "</label><input id=\"offer-more\" name=\"offer-more\" maxlength=\"400\" "
                      "autocomplete=\"off\"></p>\n</fieldset>\n");
  return TRUE;
}

/* Adds the group @text (trimmed) to @out, once; FALSE with a message in
 * @lang when it is no group name. */
static gboolean
add_group (GPtrArray *out, const char *text, const char *lang, GError **error)
{
  g_autofree char *g = g_strstrip (g_strdup (text));
  if (*g == '\0')
    return TRUE;
  gboolean control = FALSE;
  for (const char *c = g; *c != '\0'; c++)
    control = control || (unsigned char) *c < 0x20 || *c == 0x7f;
  if (!g_utf8_validate (g, -1, NULL) || control || strlen (g) > MAX_GROUP_BYTES)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("A group's name is at most 64 bytes of text, without control characters."));
      return FALSE;
    }
  for (guint i = 0; i < out->len; i++)
    if (strcmp (g_ptr_array_index (out, i), g) == 0)
      return TRUE;
  if (out->len >= MAX_GROUPS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("A scenario is offered to at most 200 groups."));
      return FALSE;
    }
  g_ptr_array_add (out, g_steal_pointer (&g));
  return TRUE;
}

/* NULL-terminated and sorted, for db_set_scenario_groups. */
static char **
finish (GPtrArray *groups)
{
  g_ptr_array_sort (groups, by_name);
  g_ptr_array_add (groups, NULL);
  return (char **) g_ptr_array_free (groups, FALSE);
}

char **
groups_from_form (Req *req, GError **error)
{
  g_autoptr (GPtrArray) out = g_ptr_array_new_with_free_func (g_free);
  guint64 n = 0;
  const char *count = req_form (req, "offer-count");
  if (count != NULL && !g_ascii_string_to_unsigned (count, 10, 0, 10000, &n, NULL))
    n = 0;
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("offer-%u", i);
      const char *g = req_form (req, name);
      if (g != NULL && !add_group (out, g, req->lang, error))
        return NULL;
    }
  const char *more = req_form (req, "offer-more");
  g_auto (GStrv) parts = g_strsplit (more != NULL ? more : "", ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (!add_group (out, parts[i], req->lang, error))
      return NULL;
  return finish (g_steal_pointer (&out));
}

char **
groups_from_json (JsonNode *node, const char *lang, GError **error)
{
  g_autoptr (GPtrArray) out = g_ptr_array_new_with_free_func (g_free);
  JsonArray *a = node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
  if (a == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("Send {\"groups\": [NAME, …]} (an empty list: every trainee)."));
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonNode *e = json_array_get_element (a, i);
      if (!JSON_NODE_HOLDS_VALUE (e) || json_node_get_value_type (e) != G_TYPE_STRING)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("Send {\"groups\": [NAME, …]} (an empty list: every trainee)."));
          return NULL;
        }
      if (!add_group (out, json_node_get_string (e), lang, error))
        return NULL;
    }
  return finish (g_steal_pointer (&out));
}

/* Offers @sc to @groups; FALSE after replying 503. */
static gboolean
store (Req *req, PsimScenario *sc, char **groups)
{
  const char *lang = req->lang;
  g_autoptr (GError) error = NULL;
  if (db_set_scenario_groups (srv_get_db (req->srv), psim_scenario_get_id (sc),
                              (const char *const *) groups, &error))
    return TRUE;
  g_warning ("scenario groups: %s", error->message);
  reply_error (req, SOUP_STATUS_SERVICE_UNAVAILABLE,
               _("The database does not answer. Please try again in a moment."));
  return FALSE;
}

/* POST /trainer/scenario/ID/groups: the report page's form. */
static void
set_from_page (Req *req)
{
  PsimScenario *sc = req_scenario (req);
  if (sc == NULL)
    return;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) groups = groups_from_form (req, &error);
  if (groups == NULL)
    {
      reply_error (req, SOUP_STATUS_BAD_REQUEST, error->message);
      return;
    }
  if (!store (req, sc, groups))
    return;
  g_autofree char *back = g_strdup_printf ("/trainer/scenario/%s", psim_scenario_get_id (sc));
  g_autofree char *escaped = g_uri_escape_string (back, "/", FALSE);
  reply_redirect (req, escaped);
}

/* PUT /api/v1/scenarios/ID/groups {"groups": [...]}. */
static void
set_from_api (Req *req)
{
  const char *lang = req->lang;
  PsimScenario *sc = req_scenario (req);
  if (sc == NULL)
    return;
  JsonObject *o = req_json_object (req);
  if (o == NULL)
    return;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) groups = groups_from_json (json_object_get_member (o, "groups"), lang, &error);
  if (groups == NULL)
    {
      reply_error (req, SOUP_STATUS_BAD_REQUEST, error->message);
      return;
    }
  if (!store (req, sc, groups))
    return;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "scenario");
  json_builder_add_string_value (b, psim_scenario_get_id (sc));
  json_builder_set_member_name (b, "groups");
  json_builder_begin_array (b);
  for (guint i = 0; groups[i] != NULL; i++)
    json_builder_add_string_value (b, groups[i]);
  json_builder_end_array (b);
  json_builder_end_object (b);
  reply_builder (req, SOUP_STATUS_OK, b);
}

const Route groups_routes[] = {
  { "POST", "/trainer/scenario/*/groups", set_from_page, ROUTE_PAGE | ROUTE_TRAINER },
  { "PUT", "/api/v1/scenarios/*/groups", set_from_api, ROUTE_TRAINER },
  { NULL, NULL, NULL, 0 },
};
