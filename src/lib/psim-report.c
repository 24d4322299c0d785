/* psim-report.c — what a trainer wants to know from session records
 * (psim-report.h): read each record (psim_session_record_json's form)
 * defensively, as a file anyone can edit; per scenario, the attempts, the
 * pass rate, the mean score and time and the most frequent mistakes;
 * written as text in the caller's language or as JSON.
 */
#include "psim-json-private.h"
#include "psim-private.h"

#include <procsim/psim-file.h>
#include <procsim/psim-report.h>
#include <string.h>

#define TOP_MISTAKES 5

struct _PsimReport {
  GHashTable *by_id; /* scenario id → ScenarioStats */
};

typedef struct {
  char *id;
  char *title;
  guint attempts;
  guint finished;
  guint passed;
  double percent_sum;
  double ms_sum;
  GHashTable *mistakes; /* "kind ref" → count */
} ScenarioStats;

static void
stats_free (ScenarioStats *st)
{
  g_free (st->id);
  g_free (st->title);
  g_hash_table_unref (st->mistakes);
  g_free (st);
}

typedef struct {
  const char *key;
  guint count;
} Mistake;

static gint
compare_mistakes (gconstpointer a, gconstpointer b)
{
  const Mistake *x = a, *y = b;
  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  return strcmp (x->key, y->key);
}

static gint
compare_stats (gconstpointer a, gconstpointer b)
{
  const ScenarioStats *x = *(ScenarioStats *const *) a, *y = *(ScenarioStats *const *) b;
  return strcmp (x->id, y->id);
}

/* Members read defensively: a record is a file anyone can edit, and
 * json-glib's getters complain (criticals) on a member of another type. */
static JsonNode *
member (JsonObject *o, const char *name)
{
  return o != NULL && json_object_has_member (o, name) ? json_object_get_member (o, name) : NULL;
}

static JsonObject *
member_object (JsonObject *o, const char *name)
{
  JsonNode *n = member (o, name);
  return n != NULL && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

static JsonArray *
member_array (JsonObject *o, const char *name)
{
  JsonNode *n = member (o, name);
  return n != NULL && JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;
}

static const char *
member_string (JsonObject *o, const char *name, const char *fallback)
{
  JsonNode *n = member (o, name);
  return n != NULL && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING
             ? json_node_get_string (n)
             : fallback;
}

/* A number in [0, @max]; 0 when absent, of another type or out of range
 * (a tampered record must not overflow the sums). */
static double
member_number (JsonObject *o, const char *name, double max)
{
  JsonNode *n = member (o, name);
  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n))
    return 0;
  GType t = json_node_get_value_type (n);
  double v = t == G_TYPE_INT64 || t == G_TYPE_DOUBLE ? json_node_get_double (n) : 0;
  return v >= 0 && v <= max ? v : 0;
}

static gboolean
member_true (JsonObject *o, const char *name)
{
  JsonNode *n = member (o, name);
  return n != NULL && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_BOOLEAN
         && json_node_get_boolean (n);
}

/* Adds the record @root; FALSE if it is not a session record. */
static gboolean
add_parsed (PsimReport *report, JsonNode *root)
{
  GHashTable *by_id = report->by_id;
  JsonObject *o = root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  if (g_strcmp0 (member_string (o, "format", ""), "procsim-session-record") != 0)
    return FALSE;
  JsonObject *sc = member_object (o, "scenario");
  JsonObject *score = member_object (o, "score");
  const char *id = member_string (sc, "id", NULL);
  if (id == NULL || score == NULL)
    return FALSE;
  ScenarioStats *st = g_hash_table_lookup (by_id, id);
  if (st == NULL)
    {
      st = g_new0 (ScenarioStats, 1);
      st->id = g_strdup (id);
      st->title = g_strdup (member_string (sc, "title", id));
      st->mistakes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_insert (by_id, st->id, st);
    }
  st->attempts++;
  if (!member_true (o, "finished"))
    return TRUE;
  st->finished++;
  st->passed += member_true (score, "passed");
  st->percent_sum += member_number (score, "percent", 100);
  st->ms_sum += member_number (score, "duration_ms", PSIM_SESSION_MAX_ANSWER_MS * 1e6);
  JsonArray *events = member_array (o, "events");
  for (guint i = 0; events != NULL && i < json_array_get_length (events); i++)
    {
      JsonNode *n = json_array_get_element (events, i);
      JsonObject *e = JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
      const char *kind = member_string (e, "kind", "");
      if (strcmp (kind, "wrong") != 0 && strcmp (kind, "unnecessary") != 0
          && strcmp (kind, "out-of-order") != 0 && strcmp (kind, "skipped") != 0
          && strcmp (kind, "missed") != 0)
        continue;
      char *key = g_strdup_printf ("%s %s", kind, member_string (e, "ref", "?"));
      guint count = GPOINTER_TO_UINT (g_hash_table_lookup (st->mistakes, key));
      g_hash_table_insert (st->mistakes, key, GUINT_TO_POINTER (count + 1));
    }
  return TRUE;
}

static GArray *
top_mistakes (const ScenarioStats *st)
{
  GArray *list = g_array_new (FALSE, FALSE, sizeof (Mistake));
  GHashTableIter it;
  gpointer k, v;
  g_hash_table_iter_init (&it, st->mistakes);
  while (g_hash_table_iter_next (&it, &k, &v))
    {
      Mistake m = { k, GPOINTER_TO_UINT (v) };
      g_array_append_val (list, m);
    }
  g_array_sort (list, compare_mistakes);
  if (list->len > TOP_MISTAKES)
    g_array_set_size (list, TOP_MISTAKES);
  return list;
}


PsimReport *
psim_report_new (void)
{
  PsimReport *report = g_new0 (PsimReport, 1);
  report->by_id = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                         (GDestroyNotify) stats_free);
  return report;
}

void
psim_report_free (PsimReport *report)
{
  if (report == NULL)
    return;
  g_hash_table_unref (report->by_id);
  g_free (report);
}

gboolean
psim_report_add_record (PsimReport *report, const char *data, gssize length, const char *name,
                        const char *lang, GError **error)
{
  g_return_val_if_fail (report != NULL && data != NULL && name != NULL, FALSE);
  g_autoptr (JsonNode) root = psim_json_parse (data, length, name, lang, error);
  if (root == NULL)
    return FALSE;
  return add_parsed (report, root);
}

gboolean
psim_report_add_record_file (PsimReport *report, const char *path, const char *lang,
                             GError **error)
{
  g_return_val_if_fail (report != NULL && path != NULL, FALSE);
  gsize size = 0;
  g_autoptr (GError) local = NULL;
  g_autofree char *data = psim_file_read (path, PSIM_LOAD_MAX_FILE_SIZE, lang, &size, &local);
  if (data == NULL)
    {
      g_set_error (error, local->domain, local->code, "%s: %s", path, local->message);
      return FALSE;
    }
  return psim_report_add_record (report, data, (gssize) size, path, lang, error);
}

guint
psim_report_get_n_scenarios (const PsimReport *report)
{
  return g_hash_table_size (report->by_id);
}

/* The scenarios' figures in id order. (transfer container) */
static GPtrArray *
sorted_stats (const PsimReport *report)
{
  GPtrArray *stats = g_ptr_array_new ();
  GHashTableIter it;
  gpointer v;
  g_hash_table_iter_init (&it, report->by_id);
  while (g_hash_table_iter_next (&it, NULL, &v))
    g_ptr_array_add (stats, v);
  g_ptr_array_sort (stats, compare_stats);
  return stats;
}

char *
psim_report_to_text (const PsimReport *report, const char *lang)
{
  g_return_val_if_fail (report != NULL, NULL);
  g_autoptr (GPtrArray) stats = sorted_stats (report);
  GString *out = g_string_new (NULL);
  for (guint i = 0; i < stats->len; i++)
    {
      const ScenarioStats *st = g_ptr_array_index (stats, i);
      g_string_append_printf (out, "%s (%s)\n", st->title, st->id);
      double rate = st->finished > 0 ? 100.0 * st->passed / st->finished : 0;
      double mean = st->finished > 0 ? st->percent_sum / st->finished : 0;
      g_autofree char *rate_s = psim_format_decimal (rate, lang);
      g_autofree char *mean_s = psim_format_decimal (mean, lang);
      g_autofree char *minutes = psim_format_decimal (
        st->finished > 0 ? st->ms_sum / st->finished / 60000.0 : 0, lang);
      g_string_append_printf (out, psim_gettext (lang, "  attempts %u, finished %u, passed %u (%s %%), mean score %s %%, "
                 "mean time %s min\n"),
               st->attempts, st->finished, st->passed, rate_s, mean_s, minutes);
      g_autoptr (GArray) top = top_mistakes (st);
      if (top->len > 0)
        g_string_append_printf (out, "%s\n", psim_gettext (lang, "  most frequent mistakes:"));
      for (guint m = 0; m < top->len; m++)
        {
          const Mistake *x = &g_array_index (top, Mistake, m);
          g_string_append_printf (out, "    %3u × %s\n", x->count, x->key);
        }
    }
  return g_string_free (out, FALSE);
}

char *
psim_report_to_json (const PsimReport *report)
{
  g_return_val_if_fail (report != NULL, NULL);
  g_autoptr (GPtrArray) stats = sorted_stats (report);
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_array (b);
  for (guint i = 0; i < stats->len; i++)
    {
      const ScenarioStats *st = g_ptr_array_index (stats, i);
      json_builder_begin_object (b);
      psimp_json_add_string (b, "scenario", st->id);
      psimp_json_add_number (b, "attempts", st->attempts);
      psimp_json_add_number (b, "finished", st->finished);
      psimp_json_add_number (b, "passed", st->passed);
      json_builder_set_member_name (b, "mean_percent");
      psim_json_add_double (b, st->finished > 0 ? st->percent_sum / st->finished : 0);
      json_builder_set_member_name (b, "mistakes");
      json_builder_begin_array (b);
      g_autoptr (GArray) top = top_mistakes (st);
      for (guint m = 0; m < top->len; m++)
        {
          const Mistake *x = &g_array_index (top, Mistake, m);
          json_builder_begin_object (b);
          psimp_json_add_string (b, "what", x->key);
          psimp_json_add_number (b, "count", x->count);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  return psim_json_to_text (b);
}

