/* psim-report-json.c — a scenario's report figures as one JSON object, the
 * one builder behind `procsim report --format json` (an array of them,
 * docs/cli.md) and the browser trainer's report API (one of them, with
 * the dashboard's members, docs/api.md). Per scenario: its counts and
 * means, trainees, unfinished sessions, questions and mistakes; numbers
 * unknown are null, times ISO 8601 in UTC.
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

/* A percentage to hundredths (NAN stays NAN). */
static double
hundredths (double v)
{
  return round (100 * v) / 100;
}

/* @part / @whole to thousandths; NAN when @whole is 0. */
static double
share (guint part, guint whole)
{
  return whole > 0 ? round (1000.0 * part / whole) / 1000 : NAN;
}

/* Milliseconds as seconds to a tenth. */
static double
seconds (double ms)
{
  return round (ms / 100.0) / 10;
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

/* The means and medians: the dashboard's rounded, null before a finished
 * attempt; the command line's mean score and mean minutes, 0 then. */
static void
add_means (JsonBuilder *b, const PsimReportFigures *f, gboolean dashboard)
{
  if (!dashboard)
    {
      psimp_json_add_number (b, "scripted", f->scripted);
      json_builder_set_member_name (b, "mean_percent");
      psim_json_add_double (b, f->finished > 0 ? f->mean_percent : 0);
      json_builder_set_member_name (b, "mean_minutes");
      psim_json_add_double (b, f->finished > 0 ? round (f->mean_ms / 6000.0) / 10 : 0);
      return;
    }
  gboolean any = f->finished > 0;
  add_number_or_null (b, "pass_rate", share (f->passed, f->finished));
  add_number_or_null (b, "mean_percent", any ? hundredths (f->mean_percent) : NAN);
  add_number_or_null (b, "median_percent", any ? hundredths (f->median_percent) : NAN);
  add_number_or_null (b, "mean_seconds", any ? seconds (f->mean_ms) : NAN);
  add_number_or_null (b, "median_seconds", any ? seconds (f->median_ms) : NAN);
}

static void
add_trainees (JsonBuilder *b, const PsimReportFigures *f, const PsimReportJsonOptions *o)
{
  json_builder_set_member_name (b, "trainees");
  json_builder_begin_array (b);
  for (guint i = 0; i < f->trainees->len; i++)
    {
      const PsimReportTrainee *t = g_ptr_array_index (f->trainees, i);
      json_builder_begin_object (b);
      psimp_json_add_string (b, "name", t->name);
      if (o->groups != NULL)
        {
          const char *group = g_hash_table_lookup (o->groups, t->name);
          psimp_json_add_string (b, "group", group != NULL && *group != '\0' ? group : NULL);
        }
      psimp_json_add_number (b, "attempts", t->attempts);
      psimp_json_add_number (b, "finished", t->finished);
      psimp_json_add_number (b, "unfinished", t->unfinished);
      if (o->dashboard)
        psimp_json_add_number (b, "passed", t->passed);
      add_number_or_null (b, "best_percent",
                          o->dashboard ? hundredths (t->best_percent) : t->best_percent);
      add_number_or_null (b, "last_percent",
                          o->dashboard ? hundredths (t->last_percent) : t->last_percent);
      add_time (b, "last_started", t->last_started);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
add_open (JsonBuilder *b, const PsimReportFigures *f)
{
  json_builder_set_member_name (b, "unfinished_sessions");
  json_builder_begin_array (b);
  for (guint i = 0; i < f->open->len; i++)
    {
      const PsimReportOpen *x = g_ptr_array_index (f->open, i);
      json_builder_begin_object (b);
      psimp_json_add_string (b, "session", x->session);
      psimp_json_add_string (b, "name", x->name);
      add_time (b, "started", x->started);
      psimp_json_add_number (b, "answers", x->answers);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
add_questions (JsonBuilder *b, const PsimReportFigures *f, gboolean dashboard)
{
  json_builder_set_member_name (b, "questions");
  json_builder_begin_array (b);
  for (guint i = 0; i < f->questions->len; i++)
    {
      const PsimReportQuestion *q = g_ptr_array_index (f->questions, i);
      json_builder_begin_object (b);
      psimp_json_add_string (b, "id", q->id);
      psimp_json_add_string (b, "label", q->label);
      psimp_json_add_number (b, "asked", q->asked);
      psimp_json_add_number (b, "right", q->right);
      add_number_or_null (b, "share_right",
                          dashboard       ? share (q->right, q->asked)
                          : q->asked > 0 ? (double) q->right / q->asked
                                         : NAN);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

/* The command line lists the TOP_MISTAKES most frequent, each with "what"
 * (KIND REF); the dashboard all of them. */
static void
add_mistakes (JsonBuilder *b, const PsimReportFigures *f, gboolean dashboard)
{
  json_builder_set_member_name (b, "mistakes");
  json_builder_begin_array (b);
  for (guint m = 0; m < f->mistakes->len && (dashboard || m < TOP_MISTAKES); m++)
    {
      const PsimReportMistake *x = g_ptr_array_index (f->mistakes, m);
      json_builder_begin_object (b);
      if (!dashboard)
        {
          g_autofree char *what = g_strconcat (x->kind, " ", x->ref, NULL);
          psimp_json_add_string (b, "what", what);
        }
      psimp_json_add_string (b, "kind", x->kind);
      psimp_json_add_string (b, "ref", x->ref);
      psimp_json_add_string (b, "label", x->label);
      psimp_json_add_number (b, "count", x->count);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

void
psim_report_figures_add_json (JsonBuilder *b, const PsimReportFigures *figures,
                              const PsimReportJsonOptions *options)
{
  g_return_if_fail (b != NULL && figures != NULL);
  static const PsimReportJsonOptions none = { FALSE, NULL, NULL };
  const PsimReportJsonOptions *o = options != NULL ? options : &none;
  const PsimReportFigures *f = figures;
  json_builder_begin_object (b);
  psimp_json_add_string (b, "scenario", f->id);
  psimp_json_add_string (b, "title", f->title);
  if (o->scenario != NULL)
    psimp_json_add_number (b, "max_score", psim_scenario_get_max_score (o->scenario));
  psimp_json_add_number (b, "attempts", f->attempts);
  psimp_json_add_number (b, "finished", f->finished);
  psimp_json_add_number (b, "unfinished", f->unfinished);
  psimp_json_add_number (b, "passed", f->passed);
  add_means (b, f, o->dashboard);
  add_trainees (b, f, o);
  add_open (b, f);
  add_questions (b, f, o->dashboard);
  add_mistakes (b, f, o->dashboard);
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
    {
      g_autoptr (PsimReportFigures) f = psimp_report_figures_new (g_ptr_array_index (all, i));
      psim_report_figures_add_json (b, f, NULL);
    }
  json_builder_end_array (b);
  return psim_json_to_text (b);
}

char *
psim_report_to_json (const PsimReport *report)
{
  return psim_report_format_json (report, NULL);
}
