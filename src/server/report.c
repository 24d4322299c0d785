/* report.c — the trainer's figures on one scenario (report.h): the
 * sessions' summaries give attempts, results and times; the answer rows
 * give the questions and the mistakes. A mistake's label is taken from a
 * session that made it, replayed (the library names distractors through
 * sessions only), so it reads as the trainee saw it.
 */
#include "report.h"

#include <string.h>

static void
trainee_free (gpointer data)
{
  ReportTrainee *t = data;
  g_free (t->user);
  g_free (t->group);
  g_free (t);
}

static void
mistake_free (gpointer data)
{
  ReportMistake *m = data;
  g_free (m->kind);
  g_free (m->ref);
  g_free (m->label);
  g_free (m);
}

void
report_free (Report *r)
{
  if (r == NULL)
    return;
  g_ptr_array_unref (r->sessions);
  g_ptr_array_unref (r->trainees);
  g_array_unref (r->questions);
  g_ptr_array_unref (r->mistakes);
  g_hash_table_unref (r->groups);
  g_free (r);
}

gboolean
report_parse_date (const char *text, gboolean end, gint64 *usec)
{
  return psim_report_parse_date (text, end, usec);
}

static gint
by_count (gconstpointer a, gconstpointer b)
{
  const ReportMistake *x = *(ReportMistake *const *) a, *y = *(ReportMistake *const *) b;
  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  int k = strcmp (x->kind, y->kind);
  return k != 0 ? k : strcmp (x->ref, y->ref);
}

static gint
by_user (gconstpointer a, gconstpointer b)
{
  const ReportTrainee *x = *(ReportTrainee *const *) a, *y = *(ReportTrainee *const *) b;
  return strcmp (x->user, y->user);
}

static gint
by_int64 (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return (x > y) - (x < y);
}

static double
median (GArray *v)
{
  g_array_sort (v, by_int64);
  guint m = v->len / 2;
  return v->len % 2 == 1 ? (double) g_array_index (v, gint64, m)
                         : (g_array_index (v, gint64, m - 1) + g_array_index (v, gint64, m)) / 2.0;
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

/* The label of mistake @m, from session @id that made it. */
static char *
mistake_label (Server *srv, const char *id, const ReportMistake *m, const char *lang)
{
  PsimSession *s = srv_find_session (srv, id, NULL);
  for (guint i = 0; s != NULL && i < psim_session_get_n_events (s); i++)
    {
      const PsimEvent *e = psim_session_get_event (s, i);
      if (g_strcmp0 (e->ref, m->ref) == 0
          && strcmp (psim_event_kind_to_string (e->kind), m->kind) == 0)
        return g_strdup (psim_session_get_event_label (s, i, lang));
    }
  return NULL;
}

/* Questions and mistakes from the answer rows of the sessions kept. */
static gboolean
count_answers (Server *srv, Report *r, GHashTable *kept, const char *lang, GError **error)
{
  g_autoptr (GPtrArray) rows = db_list_answer_rows (srv_get_db (srv),
                                                    psim_scenario_get_id (r->scenario), error);
  if (rows == NULL)
    return FALSE;
  g_autoptr (GHashTable) mistakes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) where = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                                        g_free); /* mistake → a session */
  g_autoptr (JsonParser) parser = json_parser_new ();
  for (guint i = 0; i < rows->len; i++)
    {
      char **row = g_ptr_array_index (rows, i);
      if (!g_hash_table_contains (kept, row[0])
          || !json_parser_load_from_data (parser, row[4], -1, NULL))
        continue;
      JsonNode *root = json_parser_get_root (parser);
      JsonArray *events = root != NULL && JSON_NODE_HOLDS_ARRAY (root) ? json_node_get_array (root)
                                                                       : NULL;
      for (guint k = 0; events != NULL && k < json_array_get_length (events); k++)
        {
          JsonNode *node = json_array_get_element (events, k);
          if (!JSON_NODE_HOLDS_OBJECT (node))
            continue;
          JsonObject *ev = json_node_get_object (node);
          const char *kind = json_object_get_string_member_with_default (ev, "kind", "");
          const char *ref = json_object_get_string_member_with_default (ev, "ref", "");
          if (strcmp (kind, "right") == 0 || strcmp (kind, "missed") == 0)
            {
              for (guint q = 0; q < r->questions->len; q++)
                {
                  ReportQuestion *rq = &g_array_index (r->questions, ReportQuestion, q);
                  if (strcmp (psim_question_get_id (rq->question), ref) != 0)
                    continue;
                  rq->asked++;
                  rq->right += strcmp (kind, "right") == 0 ? 1 : 0;
                }
            }
          else if (strcmp (kind, "wrong") == 0 || strcmp (kind, "unnecessary") == 0
                   || strcmp (kind, "out-of-order") == 0)
            {
              g_autofree char *key = g_strconcat (kind, " ", ref, NULL);
              ReportMistake *m = g_hash_table_lookup (mistakes, key);
              if (m == NULL)
                {
                  m = g_new0 (ReportMistake, 1);
                  m->kind = g_strdup (kind);
                  m->ref = g_strdup (ref);
                  g_ptr_array_add (r->mistakes, m);
                  g_hash_table_insert (mistakes, g_steal_pointer (&key), m);
                  g_hash_table_insert (where, m, g_strdup (row[0]));
                }
              m->count++;
            }
        }
    }
  g_ptr_array_sort (r->mistakes, by_count);
  for (guint i = 0; i < r->mistakes->len; i++)
    {
      ReportMistake *m = g_ptr_array_index (r->mistakes, i);
      m->label = mistake_label (srv, g_hash_table_lookup (where, m), m, lang);
    }
  return TRUE;
}

Report *
report_new (Server *srv, const User *viewer, PsimScenario *sc, const ReportFilter *f,
            const char *lang, GError **error)
{
  g_autoptr (GPtrArray) all = psim_store_list (db_get_store (srv_get_db (srv)), NULL, error);
  if (all == NULL)
    return NULL;
  g_autoptr (Report) r = g_new0 (Report, 1);
  r->scenario = sc;
  r->sessions = g_ptr_array_new_with_free_func ((GDestroyNotify) psim_store_entry_free);
  r->trainees = g_ptr_array_new_with_free_func (trainee_free);
  r->questions = g_array_new (FALSE, TRUE, sizeof (ReportQuestion));
  r->mistakes = g_ptr_array_new_with_free_func (mistake_free);
  r->groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < psim_scenario_get_n_questions (sc); i++)
    {
      ReportQuestion q = { .question = psim_scenario_get_question (sc, i) };
      g_array_append_val (r->questions, q);
    }
  g_autoptr (GHashTable) kept = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) trainees = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GArray) scores = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));
  double score_sum = 0, ms_sum = 0;
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
      g_ptr_array_add (r->sessions, psim_store_entry_copy (e));
      g_hash_table_add (kept, g_strdup (e->id));
      r->attempts++;
      ReportTrainee *t = g_hash_table_lookup (trainees, owner);
      if (t == NULL)
        {
          t = g_new0 (ReportTrainee, 1);
          t->user = g_strdup (owner);
          t->group = g_strdup (group);
          t->best = -1;
          g_ptr_array_add (r->trainees, t);
          g_hash_table_insert (trainees, t->user, t);
        }
      t->attempts++;
      t->last = MAX (t->last, e->updated);
      if (!e->finished)
        {
          t->unfinished++;
          continue;
        }
      r->finished++;
      t->finished++;
      r->passed += e->passed ? 1 : 0;
      t->passed += e->passed ? 1 : 0;
      t->best = MAX (t->best, e->score);
      gint64 score = e->score, ms = (e->updated - e->started) / 1000;
      g_array_append_val (scores, score);
      g_array_append_val (times, ms);
      score_sum += e->score;
      ms_sum += (double) ms;
    }
  g_ptr_array_sort (r->trainees, by_user);
  if (r->finished > 0)
    {
      r->mean_score = score_sum / r->finished;
      r->median_score = median (scores);
      r->mean_ms = (gint64) (ms_sum / r->finished);
      r->median_ms = (gint64) median (times);
    }
  if (!count_answers (srv, r, kept, lang, error))
    return NULL;
  return g_steal_pointer (&r);
}
