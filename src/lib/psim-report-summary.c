/* psim-report-summary.c — the entries of a period summed per scenario.
 *
 * For each scenario: attempts, finished, unfinished and passed sessions,
 * scores and times (with every finished attempt's kept for medians), each
 * trainee's attempts, best and last score, the unfinished sessions, each
 * question's share right and the mistakes by frequency, labelled from the
 * scenario when the caller's catalogue has it, in the caller's language.
 * Scripted replays are counted apart; a checkpoint left beside its
 * session's record counts as the record. The writers read these sums.
 */
#include "psim-report-private.h"

#include <math.h>
#include <string.h>

static void
mistake_free (gpointer data)
{
  Mistake *m = data;
  g_free (m->label);
  g_free (m);
}

static void
summary_free (gpointer data)
{
  Summary *s = data;
  g_array_unref (s->percents);
  g_array_unref (s->mss);
  g_ptr_array_unref (s->trainees);
  g_ptr_array_unref (s->open);
  g_ptr_array_unref (s->questions);
  g_ptr_array_unref (s->mistakes);
  g_free (s);
}

static gint
by_id (gconstpointer a, gconstpointer b)
{
  return strcmp ((*(Summary *const *) a)->id, (*(Summary *const *) b)->id);
}

static gint
by_name (gconstpointer a, gconstpointer b)
{
  return strcmp ((*(Trainee *const *) a)->name, (*(Trainee *const *) b)->name);
}

static gint
by_start (gconstpointer a, gconstpointer b)
{
  const Entry *x = *(const Entry *const *) a, *y = *(const Entry *const *) b;
  if (x->started != y->started)
    return x->started < y->started ? -1 : 1;
  return g_strcmp0 (x->session, y->session);
}

static gint
by_order (gconstpointer a, gconstpointer b)
{
  const Question *x = *(Question *const *) a, *y = *(Question *const *) b;
  if (x->order != y->order)
    return x->order < y->order ? -1 : 1;
  return strcmp (x->id, y->id);
}

static gint
by_count (gconstpointer a, gconstpointer b)
{
  const Mistake *x = *(Mistake *const *) a, *y = *(Mistake *const *) b;
  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  int k = strcmp (x->kind, y->kind);
  return k != 0 ? k : strcmp (x->ref, y->ref);
}

/* What @ref names in @sc for an event of @kind, in @lang: a question's
 * prompt, a distractor's label (or its step's name), a step's name; NULL
 * when @sc is NULL or has no such thing. (transfer none) */
static const char *
ref_label (const PsimScenario *sc, const char *kind, const char *ref, const char *lang)
{
  if (sc == NULL)
    return NULL;
  if (strcmp (kind, "right") == 0 || strcmp (kind, "missed") == 0)
    {
      for (guint i = 0; i < sc->questions->len; i++)
        {
          const PsimQuestion *q = g_ptr_array_index (sc->questions, i);
          if (strcmp (q->id, ref) == 0)
            return psim_texts_get (q->prompt, lang);
        }
      return NULL;
    }
  for (guint i = 0; i < sc->distractors->len; i++)
    {
      const PsimDistractor *d = g_ptr_array_index (sc->distractors, i);
      if (strcmp (d->id, ref) == 0)
        return d->labels->len > 0 ? psim_texts_get (d->labels, lang)
                                  : psim_node_get_name (d->step, lang);
    }
  const PsimNode *n = psim_variant_find_node (sc->variant, ref);
  return n != NULL ? psim_node_get_name (n, lang) : NULL;
}

static const char *
kind_label (const char *kind, const char *lang)
{
  if (strcmp (kind, "wrong") == 0)
    return psim_gettext (lang, "Wrong action");
  if (strcmp (kind, "unnecessary") == 0)
    return psim_gettext (lang, "Unnecessary step");
  if (strcmp (kind, "out-of-order") == 0)
    return psim_gettext (lang, "Out of order");
  if (strcmp (kind, "skipped") == 0)
    return psim_gettext (lang, "Step revealed");
  return psim_gettext (lang, "Question missed");
}

static gboolean
in_period (const Entry *e, const PsimReportOptions *o)
{
  if (o->since > 0 && e->started < o->since)
    return FALSE;
  if (o->until > 0 && e->started >= o->until)
    return FALSE;
  return TRUE;
}

/* The empty summary of scenario @id, whose title is @title unless @sc (nullable)
 * gives one in @lang. */
static Summary *
summary_new (const char *id, const char *title, const PsimScenario *sc, const char *lang)
{
  Summary *s = g_new0 (Summary, 1);
  s->id = id;
  s->sc = sc;
  s->title = s->sc != NULL ? psim_scenario_get_title (s->sc, lang) : title != NULL ? title : id;
  s->percents = g_array_new (FALSE, FALSE, sizeof (double));
  s->mss = g_array_new (FALSE, FALSE, sizeof (double));
  s->trainees = g_ptr_array_new_with_free_func (g_free);
  s->open = g_ptr_array_new ();
  s->questions = g_ptr_array_new_with_free_func (g_free);
  s->mistakes = g_ptr_array_new_with_free_func (mistake_free);
  for (guint i = 0; s->sc != NULL && i < s->sc->questions->len; i++)
    {
      const PsimQuestion *q = g_ptr_array_index (s->sc->questions, i);
      Question *x = g_new0 (Question, 1);
      x->id = q->id;
      x->label = psim_texts_get (q->prompt, lang);
      x->order = i;
      g_ptr_array_add (s->questions, x);
    }
  return s;
}

static Trainee *
trainee_of (Summary *s, GHashTable *names, const Entry *e)
{
  const char *name = e->actor != NULL ? e->actor : "";
  g_autofree char *key = g_strconcat (s->id, "\n", name, NULL);
  Trainee *t = g_hash_table_lookup (names, key);
  if (t == NULL)
    {
      t = g_new0 (Trainee, 1);
      t->name = name;
      t->best = t->last = NAN;
      g_ptr_array_add (s->trainees, t);
      g_hash_table_insert (names, g_steal_pointer (&key), t);
    }
  return t;
}

static void
count_events (Summary *s, GHashTable *seen, const Entry *e, const char *lang)
{
  for (guint i = 0; i < e->events->len; i++)
    {
      const Event *ev = &g_array_index (e->events, Event, i);
      if (strcmp (ev->kind, "right") == 0 || strcmp (ev->kind, "missed") == 0)
        {
          Question *q = NULL;
          for (guint k = 0; k < s->questions->len && q == NULL; k++)
            if (strcmp (((Question *) g_ptr_array_index (s->questions, k))->id, ev->ref) == 0)
              q = g_ptr_array_index (s->questions, k);
          if (q == NULL)
            {
              q = g_new0 (Question, 1);
              q->id = ev->ref;
              q->order = G_MAXUINT;
              g_ptr_array_add (s->questions, q);
            }
          q->asked++;
          q->right += strcmp (ev->kind, "right") == 0;
          /* A question missed is in the questions' shares, not among the
           * mistakes. */
          continue;
        }
      g_autofree char *key = g_strconcat (s->id, "\n", ev->kind, "\n", ev->ref, NULL);
      Mistake *m = g_hash_table_lookup (seen, key);
      if (m == NULL)
        {
          m = g_new0 (Mistake, 1);
          m->kind = ev->kind;
          m->ref = ev->ref;
          const char *what = ref_label (s->sc, ev->kind, ev->ref, lang);
          m->label = g_strdup_printf ("%s: %s", kind_label (ev->kind, lang),
                                      what != NULL ? what : ev->ref);
          g_ptr_array_add (s->mistakes, m);
          g_hash_table_insert (seen, g_steal_pointer (&key), m);
        }
      m->count++;
    }
}

/* The summaries of the period, in scenario id order; only of @only (whose
 * summary is there even without a session) when it is not NULL. (transfer
 * full) */
GPtrArray *
psimp_report_summarise (const PsimReport *report, const PsimReportOptions *o, const PsimScenario *only)
{
  GPtrArray *all = g_ptr_array_new_with_free_func (summary_free);
  g_autoptr (GHashTable) by_scenario = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (only != NULL)
    {
      Summary *s = summary_new (only->id, NULL, only, o->lang);
      g_ptr_array_add (all, s);
      g_hash_table_insert (by_scenario, (gpointer) s->id, s);
    }
  for (guint i = 0; i < report->entries->len; i++)
    {
      const Entry *e = g_ptr_array_index (report->entries, i);
      /* A checkpoint left beside its session's record counts as the
       * record. */
      gboolean recorded = e->checkpoint && e->session != NULL
                          && g_hash_table_contains (report->recorded, e->session);
      if (!in_period (e, o) || recorded || (only != NULL && strcmp (e->scenario, only->id) != 0))
        continue;
      Summary *s = g_hash_table_lookup (by_scenario, e->scenario);
      if (s == NULL)
        {
          s = summary_new (e->scenario, e->title,
                           o->scenarios != NULL
                             ? psim_catalogue_get_scenario (o->scenarios, e->scenario)
                             : NULL,
                           o->lang);
          g_ptr_array_add (all, s);
          g_hash_table_insert (by_scenario, (gpointer) s->id, s);
        }
      if (e->scripted)
        {
          s->scripted++;
          continue;
        }
      Trainee *t = trainee_of (s, names, e);
      s->attempts++;
      t->attempts++;
      t->date = MAX (t->date, e->started);
      count_events (s, seen, e, o->lang);
      if (!e->finished)
        {
          s->unfinished++;
          t->unfinished++;
          g_ptr_array_add (s->open, (gpointer) e);
          continue;
        }
      s->finished++;
      t->finished++;
      s->passed += e->passed;
      t->passed += e->passed;
      s->percent_sum += e->percent;
      s->ms_sum += e->ms;
      g_array_append_val (s->percents, e->percent);
      g_array_append_val (s->mss, e->ms);
      t->best = isnan (t->best) ? e->percent : MAX (t->best, e->percent);
      if (isnan (t->last) || e->started >= t->last_finish)
        {
          t->last = e->percent;
          t->last_finish = e->started;
        }
    }
  g_ptr_array_sort (all, by_id);
  for (guint i = 0; i < all->len; i++)
    {
      Summary *s = g_ptr_array_index (all, i);
      g_ptr_array_sort (s->trainees, by_name);
      g_ptr_array_sort (s->open, by_start);
      g_ptr_array_sort (s->questions, by_order);
      g_ptr_array_sort (s->mistakes, by_count);
    }
  return all;
}

const PsimReportOptions *
psimp_report_options_or_default (const PsimReportOptions *options)
{
  static const PsimReportOptions none = { NULL, 0, 0, NULL, 0 };
  return options != NULL ? options : &none;
}

double
psimp_report_mean_percent (const Summary *s)
{
  return s->finished > 0 ? s->percent_sum / s->finished : 0;
}

double
psimp_report_pass_rate (const Summary *s)
{
  return s->finished > 0 ? 100.0 * s->passed / s->finished : 0;
}

/* To a tenth of a minute. */
double
psimp_report_mean_minutes (const Summary *s)
{
  return s->finished > 0 ? round (s->ms_sum / s->finished / 6000.0) / 10 : 0;
}
