/* report.c — the trainer's figures on one scenario (report.h): the
 * sessions' summaries the viewer may see, in the filter's group and
 * period, each with the events of its answer rows, are handed to the
 * library's report (psim_report_add_session), which sums them as it sums
 * record files for `procsim report`.
 */
#include "report.h"

#include <string.h>

void
report_free (Report *r)
{
  if (r == NULL)
    return;
  psim_report_figures_free (r->figures);
  g_ptr_array_unref (r->sessions);
  g_hash_table_unref (r->groups);
  g_free (r);
}

gboolean
report_parse_date (const char *text, gboolean end, gint64 *usec)
{
  return psim_report_parse_date (text, end, usec);
}

static const char *
group_of (Server *srv, Report *r, const char *user)
{
  const char *g = g_hash_table_lookup (r->groups, user);
  if (g == NULL)
    {
      g_autoptr (User) u = db_get_user (srv_get_db (srv), user, NULL);
      g = u != NULL && u->group != NULL ? u->group : "";
      g_hash_table_insert (r->groups, g_strdup (user), g_strdup (g));
      g = g_hash_table_lookup (r->groups, user);
    }
  return g;
}

/* The events (PsimReportEvent, their strings copied into @strings, each
 * once) of each kept session's answer rows, by session id. */
static GHashTable *
events_by_session (GPtrArray *rows, GHashTable *kept, GStringChunk *strings)
{
  GHashTable *out = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) g_array_unref);
  for (guint i = 0; i < rows->len; i++)
    {
      char **row = g_ptr_array_index (rows, i);
      if (!g_hash_table_contains (kept, row[0]))
        continue;
      g_autoptr (JsonParser) parser = json_parser_new ();
      if (!json_parser_load_from_data (parser, row[4], -1, NULL))
        continue;
      JsonNode *root = json_parser_get_root (parser);
      JsonArray *events = root != NULL && JSON_NODE_HOLDS_ARRAY (root) ? json_node_get_array (root)
                                                                       : NULL;
      GArray *list = g_hash_table_lookup (out, row[0]);
      if (list == NULL)
        {
          list = g_array_new (FALSE, FALSE, sizeof (PsimReportEvent));
          g_hash_table_insert (out, g_strdup (row[0]), list);
        }
      for (guint k = 0; events != NULL && k < json_array_get_length (events); k++)
        {
          JsonNode *node = json_array_get_element (events, k);
          if (!JSON_NODE_HOLDS_OBJECT (node))
            continue;
          JsonObject *ev = json_node_get_object (node);
          PsimReportEvent x = {
            g_string_chunk_insert_const (
              strings, json_object_get_string_member_with_default (ev, "kind", "")),
            g_string_chunk_insert_const (
              strings, json_object_get_string_member_with_default (ev, "ref", "")),
          };
          g_array_append_val (list, x);
        }
    }
  return out;
}

Report *
report_new (Server *srv, const User *viewer, PsimScenario *sc, const ReportFilter *f,
            const char *lang, GError **error)
{
  g_autoptr (GPtrArray) all = psim_store_list (db_get_store (srv_get_db (srv)), NULL, error);
  if (all == NULL)
    return NULL;
  g_autoptr (GPtrArray) rows = db_list_answer_rows (srv_get_db (srv), psim_scenario_get_id (sc),
                                                    error);
  if (rows == NULL)
    return NULL;
  g_autoptr (Report) r = g_new0 (Report, 1);
  r->scenario = sc;
  r->sessions = g_ptr_array_new_with_free_func ((GDestroyNotify) psim_store_entry_free);
  r->groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (GHashTable) kept = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < all->len; i++)
    {
      const PsimStoreEntry *e = g_ptr_array_index (all, i);
      const char *owner = e->actor != NULL ? e->actor : "";
      if (strcmp (e->scenario, psim_scenario_get_id (sc)) != 0
          || !srv_can_see (srv, viewer, owner)
          || (f->from > 0 && e->started < f->from) || (f->until > 0 && e->started >= f->until))
        continue;
      const char *group = group_of (srv, r, owner);
      if (f->group != NULL && *f->group != '\0' && strcmp (f->group, group) != 0)
        continue;
      PsimStoreEntry *copy = psim_store_entry_copy (e);
      g_ptr_array_add (r->sessions, copy);
      g_hash_table_add (kept, copy->id);
    }
  GStringChunk *strings = g_string_chunk_new (4096);
  g_autoptr (GHashTable) events = events_by_session (rows, kept, strings);
  g_autoptr (PsimReport) sums = psim_report_new ();
  /* Oldest first, as `procsim report --db` adds them. */
  for (guint i = r->sessions->len; i-- > 0;)
    {
      const PsimStoreEntry *e = g_ptr_array_index (r->sessions, i);
      GArray *list = g_hash_table_lookup (events, e->id);
      PsimReportSession s = {
        .scenario = e->scenario,
        .session = e->id,
        .actor = e->actor != NULL ? e->actor : "",
        .started = e->started,
        .finished = e->finished,
        .passed = e->passed,
        .percent = e->max_score > 0 ? 100.0 * MAX (0, e->score) / e->max_score : 100.0,
        .ms = (double) (e->updated - e->started) / 1000,
        .answers = e->n_answers,
        .events = list != NULL ? (const PsimReportEvent *) list->data : NULL,
        .n_events = list != NULL ? list->len : 0,
      };
      psim_report_add_session (sums, &s);
    }
  g_clear_pointer (&events, g_hash_table_unref);
  g_string_chunk_free (strings);
  PsimReportOptions options = { .lang = lang };
  r->figures = psim_report_get_figures (sums, sc, &options);
  return g_steal_pointer (&r);
}
