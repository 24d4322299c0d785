/* psim-report-table.c — the report as spreadsheet tables: one CSV table
 * of the trainees, or an XLSX workbook with a sheet each for the
 * scenarios, trainees, unfinished sessions, questions and mistakes
 * (psim-table.c writes both).
 */
#include "psim-report-private.h"
#include "psim-table-private.h"

#include <math.h>

static void
sheet_trainees (PsimpTable *t, GPtrArray *all, const char *l)
{
  psimp_table_add_sheet (t, psim_gettext (l, "Trainees"),
                         "scenario", psim_gettext (l, "Scenario"),
                         "title", psim_gettext (l, "Title"),
                         "trainee", psim_gettext (l, "Trainee"),
                         "attempts", psim_gettext (l, "Attempts"),
                         "finished", psim_gettext (l, "Finished"),
                         "unfinished", psim_gettext (l, "Unfinished"),
                         "best_percent", psim_gettext (l, "Best score (%)"),
                         "last_percent", psim_gettext (l, "Last score (%)"),
                         "last_started", psim_gettext (l, "Last session"), NULL);
  for (guint i = 0; i < all->len; i++)
    {
      const Summary *s = g_ptr_array_index (all, i);
      for (guint k = 0; k < s->trainees->len; k++)
        {
          const Trainee *x = g_ptr_array_index (s->trainees, k);
          psimp_table_text (t, s->id);
          psimp_table_text (t, s->title);
          psimp_table_text (t, x->name);
          psimp_table_number (t, x->attempts, PSIMP_CELL_GENERAL);
          psimp_table_number (t, x->finished, PSIMP_CELL_GENERAL);
          psimp_table_number (t, x->unfinished, PSIMP_CELL_GENERAL);
          psimp_table_number (t, x->best, PSIMP_CELL_DECIMAL1);
          psimp_table_number (t, x->last, PSIMP_CELL_DECIMAL1);
          psimp_table_time (t, x->date);
          psimp_table_end_row (t);
        }
    }
}

char *
psim_report_format_csv (const PsimReport *report, const PsimReportOptions *options)
{
  g_return_val_if_fail (report != NULL, NULL);
  const PsimReportOptions *o = psimp_report_options_or_default (options);
  g_autoptr (GPtrArray) all = psimp_report_summarise (report, o, NULL);
  g_autoptr (PsimpTable) t = psimp_table_new ();
  sheet_trainees (t, all, o->lang);
  return psimp_table_to_csv (t);
}

static void
sheet_scenarios (PsimpTable *t, GPtrArray *all, const char *l)
{
  psimp_table_add_sheet (t, psim_gettext (l, "Scenarios"),
                         "scenario", psim_gettext (l, "Scenario"),
                         "title", psim_gettext (l, "Title"),
                         "attempts", psim_gettext (l, "Attempts"),
                         "finished", psim_gettext (l, "Finished"),
                         "unfinished", psim_gettext (l, "Unfinished"),
                         "passed", psim_gettext (l, "Passed"),
                         "pass_rate", psim_gettext (l, "Pass rate (%)"),
                         "mean_percent", psim_gettext (l, "Mean score (%)"),
                         "mean_minutes", psim_gettext (l, "Mean time (min)"),
                         "scripted", psim_gettext (l, "Scripted replays"), NULL);
  for (guint i = 0; i < all->len; i++)
    {
      const Summary *s = g_ptr_array_index (all, i);
      psimp_table_text (t, s->id);
      psimp_table_text (t, s->title);
      psimp_table_number (t, s->attempts, PSIMP_CELL_GENERAL);
      psimp_table_number (t, s->finished, PSIMP_CELL_GENERAL);
      psimp_table_number (t, s->unfinished, PSIMP_CELL_GENERAL);
      psimp_table_number (t, s->passed, PSIMP_CELL_GENERAL);
      psimp_table_number (t, s->finished > 0 ? psimp_report_pass_rate (s) : NAN, PSIMP_CELL_DECIMAL1);
      psimp_table_number (t, s->finished > 0 ? psimp_report_mean_percent (s) : NAN, PSIMP_CELL_DECIMAL1);
      psimp_table_number (t, s->finished > 0 ? psimp_report_mean_minutes (s) : NAN, PSIMP_CELL_DECIMAL1);
      psimp_table_number (t, s->scripted, PSIMP_CELL_GENERAL);
      psimp_table_end_row (t);
    }
}

static void
sheet_unfinished (PsimpTable *t, GPtrArray *all, const char *l)
{
  psimp_table_add_sheet (t, psim_gettext (l, "Unfinished"),
                         "scenario", psim_gettext (l, "Scenario"),
                         "session", psim_gettext (l, "Session"),
                         "trainee", psim_gettext (l, "Trainee"),
                         "started", psim_gettext (l, "Started"),
                         "answers", psim_gettext (l, "Answers"), NULL);
  for (guint i = 0; i < all->len; i++)
    {
      const Summary *s = g_ptr_array_index (all, i);
      for (guint k = 0; k < s->open->len; k++)
        {
          const Entry *e = g_ptr_array_index (s->open, k);
          psimp_table_text (t, s->id);
          psimp_table_text (t, e->session);
          psimp_table_text (t, e->actor);
          psimp_table_time (t, e->started);
          psimp_table_number (t, e->answers, PSIMP_CELL_GENERAL);
          psimp_table_end_row (t);
        }
    }
}

static void
sheet_questions (PsimpTable *t, GPtrArray *all, const char *l)
{
  psimp_table_add_sheet (t, psim_gettext (l, "Questions"),
                         "scenario", psim_gettext (l, "Scenario"),
                         "question", psim_gettext (l, "Question id"),
                         "label", psim_gettext (l, "Question"),
                         "asked", psim_gettext (l, "Asked"),
                         "right", psim_gettext (l, "Right"),
                         "share_right", psim_gettext (l, "Share right (%)"), NULL);
  for (guint i = 0; i < all->len; i++)
    {
      const Summary *s = g_ptr_array_index (all, i);
      for (guint k = 0; k < s->questions->len; k++)
        {
          const Question *q = g_ptr_array_index (s->questions, k);
          psimp_table_text (t, s->id);
          psimp_table_text (t, q->id);
          psimp_table_text (t, q->label);
          psimp_table_number (t, q->asked, PSIMP_CELL_GENERAL);
          psimp_table_number (t, q->right, PSIMP_CELL_GENERAL);
          psimp_table_number (t, q->asked > 0 ? 100.0 * q->right / q->asked : NAN,
                              PSIMP_CELL_DECIMAL1);
          psimp_table_end_row (t);
        }
    }
}

static void
sheet_mistakes (PsimpTable *t, GPtrArray *all, const char *l)
{
  psimp_table_add_sheet (t, psim_gettext (l, "Mistakes"),
                         "scenario", psim_gettext (l, "Scenario"),
                         "kind", psim_gettext (l, "Kind"),
                         "ref", psim_gettext (l, "Id"),
                         "label", psim_gettext (l, "Mistake"),
                         "count", psim_gettext (l, "Count"), NULL);
  for (guint i = 0; i < all->len; i++)
    {
      const Summary *s = g_ptr_array_index (all, i);
      for (guint k = 0; k < s->mistakes->len; k++)
        {
          const Mistake *m = g_ptr_array_index (s->mistakes, k);
          psimp_table_text (t, s->id);
          psimp_table_text (t, m->kind);
          psimp_table_text (t, m->ref);
          psimp_table_text (t, m->label);
          psimp_table_number (t, m->count, PSIMP_CELL_GENERAL);
          psimp_table_end_row (t);
        }
    }
}

GBytes *
psim_report_format_xlsx (const PsimReport *report, const PsimReportOptions *options,
                         GError **error)
{
  g_return_val_if_fail (report != NULL, NULL);
  const PsimReportOptions *o = psimp_report_options_or_default (options);
  g_autoptr (GPtrArray) all = psimp_report_summarise (report, o, NULL);
  g_autoptr (PsimpTable) t = psimp_table_new ();
  sheet_scenarios (t, all, o->lang);
  sheet_trainees (t, all, o->lang);
  sheet_unfinished (t, all, o->lang);
  sheet_questions (t, all, o->lang);
  sheet_mistakes (t, all, o->lang);
  return psimp_table_to_xlsx (t, psim_gettext (o->lang, "Training report"), o->date, error);
}
