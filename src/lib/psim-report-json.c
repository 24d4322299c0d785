/* psim-report-json.c — the report as JSON: per scenario its figures,
 * trainees, unfinished sessions, questions and most frequent mistakes;
 * numbers unknown are null, times ISO 8601 in UTC.
 */
#include "psim-report-private.h"

#include <json-glib/json-glib.h>
#include <math.h>

static void
add_number_or_null (JsonBuilder *b, const char *name, double v)
{
  json_builder_set_member_name (b, name);
  if (isnan (v))
    json_builder_add_null_value (b);
  else
    psim_json_add_double (b, v);
}

static void
add_time (JsonBuilder *b, const char *name, gint64 usec)
{
  g_autoptr (GDateTime) t = usec > 0 ? g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC)
                                     : NULL;
  g_autofree char *text = t != NULL ? g_date_time_format (t, "%Y-%m-%dT%H:%M:%SZ") : NULL;
  json_builder_set_member_name (b, name);
  if (text != NULL)
    json_builder_add_string_value (b, text);
  else
    json_builder_add_null_value (b);
}

static void
json_summary (JsonBuilder *b, const Summary *s)
{
  json_builder_begin_object (b);
  psimp_json_add_string (b, "scenario", s->id);
  psimp_json_add_string (b, "title", s->title);
  psimp_json_add_number (b, "attempts", s->attempts);
  psimp_json_add_number (b, "finished", s->finished);
  psimp_json_add_number (b, "unfinished", s->unfinished);
  psimp_json_add_number (b, "passed", s->passed);
  psimp_json_add_number (b, "scripted", s->scripted);
  json_builder_set_member_name (b, "mean_percent");
  psim_json_add_double (b, psimp_report_mean_percent (s));
  json_builder_set_member_name (b, "mean_minutes");
  psim_json_add_double (b, psimp_report_mean_minutes (s));
  json_builder_set_member_name (b, "trainees");
  json_builder_begin_array (b);
  for (guint i = 0; i < s->trainees->len; i++)
    {
      const Trainee *t = g_ptr_array_index (s->trainees, i);
      json_builder_begin_object (b);
      psimp_json_add_string (b, "name", t->name);
      psimp_json_add_number (b, "attempts", t->attempts);
      psimp_json_add_number (b, "finished", t->finished);
      psimp_json_add_number (b, "unfinished", t->unfinished);
      add_number_or_null (b, "best_percent", t->best);
      add_number_or_null (b, "last_percent", t->last);
      add_time (b, "last_started", t->date);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "unfinished_sessions");
  json_builder_begin_array (b);
  for (guint i = 0; i < s->open->len; i++)
    {
      const Entry *e = g_ptr_array_index (s->open, i);
      json_builder_begin_object (b);
      psimp_json_add_string (b, "session", e->session);
      psimp_json_add_string (b, "name", e->actor);
      add_time (b, "started", e->started);
      psimp_json_add_number (b, "answers", e->answers);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "questions");
  json_builder_begin_array (b);
  for (guint i = 0; i < s->questions->len; i++)
    {
      const Question *q = g_ptr_array_index (s->questions, i);
      json_builder_begin_object (b);
      psimp_json_add_string (b, "id", q->id);
      psimp_json_add_string (b, "label", q->label);
      psimp_json_add_number (b, "asked", q->asked);
      psimp_json_add_number (b, "right", q->right);
      add_number_or_null (b, "share_right", q->asked > 0 ? (double) q->right / q->asked : NAN);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "mistakes");
  json_builder_begin_array (b);
  for (guint m = 0; m < s->mistakes->len && m < TOP_MISTAKES; m++)
    {
      const Mistake *x = g_ptr_array_index (s->mistakes, m);
      g_autofree char *what = g_strconcat (x->kind, " ", x->ref, NULL);
      json_builder_begin_object (b);
      psimp_json_add_string (b, "what", what);
      psimp_json_add_string (b, "kind", x->kind);
      psimp_json_add_string (b, "ref", x->ref);
      psimp_json_add_string (b, "label", x->label);
      psimp_json_add_number (b, "count", x->count);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
}

char *
psim_report_format_json (const PsimReport *report, const PsimReportOptions *options)
{
  g_return_val_if_fail (report != NULL, NULL);
  g_autoptr (GPtrArray) all = psimp_report_summarise (report, psimp_report_options_or_default (options), NULL);
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_array (b);
  for (guint i = 0; i < all->len; i++)
    json_summary (b, g_ptr_array_index (all, i));
  json_builder_end_array (b);
  return psim_json_to_text (b);
}

char *
psim_report_to_json (const PsimReport *report)
{
  return psim_report_format_json (report, NULL);
}
