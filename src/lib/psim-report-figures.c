/* psim-report-figures.c — one scenario's sums as the public
 * PsimReportFigures, for front-ends that lay them out themselves (the
 * browser trainer's report page and its API): medians, the trainees, the
 * unfinished sessions, the questions and the mistakes, each owned by the
 * figures.
 */
#include "psim-report-private.h"

#include <math.h>

static gint
by_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static double
median_of (GArray *v)
{
  if (v->len == 0)
    return NAN;
  g_array_sort (v, by_double);
  guint m = v->len / 2;
  return v->len % 2 == 1 ? g_array_index (v, double, m)
                         : (g_array_index (v, double, m - 1) + g_array_index (v, double, m)) / 2;
}

static void
public_trainee_free (gpointer data)
{
  PsimReportTrainee *t = data;
  g_free (t->name);
  g_free (t);
}

static void
public_open_free (gpointer data)
{
  PsimReportOpen *x = data;
  g_free (x->session);
  g_free (x->name);
  g_free (x);
}

static void
public_question_free (gpointer data)
{
  PsimReportQuestion *q = data;
  g_free (q->id);
  g_free (q->label);
  g_free (q);
}

static void
public_mistake_free (gpointer data)
{
  PsimReportMistake *m = data;
  g_free (m->kind);
  g_free (m->ref);
  g_free (m->label);
  g_free (m);
}

void
psim_report_figures_free (PsimReportFigures *f)
{
  if (f == NULL)
    return;
  g_free (f->id);
  g_free (f->title);
  g_ptr_array_unref (f->trainees);
  g_ptr_array_unref (f->open);
  g_ptr_array_unref (f->questions);
  g_ptr_array_unref (f->mistakes);
  g_free (f);
}

PsimReportFigures *
psimp_report_figures_new (const Summary *s)
{
  PsimReportFigures *f = g_new0 (PsimReportFigures, 1);
  f->id = g_strdup (s->id);
  f->title = g_strdup (s->title);
  f->attempts = s->attempts;
  f->finished = s->finished;
  f->unfinished = s->unfinished;
  f->passed = s->passed;
  f->scripted = s->scripted;
  f->mean_percent = s->finished > 0 ? s->percent_sum / s->finished : NAN;
  f->median_percent = median_of (s->percents);
  f->mean_ms = s->finished > 0 ? s->ms_sum / s->finished : NAN;
  f->median_ms = median_of (s->mss);
  f->trainees = g_ptr_array_new_with_free_func (public_trainee_free);
  for (guint i = 0; i < s->trainees->len; i++)
    {
      const Trainee *t = g_ptr_array_index (s->trainees, i);
      PsimReportTrainee *x = g_new0 (PsimReportTrainee, 1);
      *x = (PsimReportTrainee) { g_strdup (t->name), t->attempts, t->finished, t->unfinished,
                                 t->passed, t->best, t->last, t->date };
      g_ptr_array_add (f->trainees, x);
    }
  f->open = g_ptr_array_new_with_free_func (public_open_free);
  for (guint i = 0; i < s->open->len; i++)
    {
      const Entry *e = g_ptr_array_index (s->open, i);
      PsimReportOpen *x = g_new0 (PsimReportOpen, 1);
      *x = (PsimReportOpen) { g_strdup (e->session), g_strdup (e->actor), e->started, e->answers };
      g_ptr_array_add (f->open, x);
    }
  f->questions = g_ptr_array_new_with_free_func (public_question_free);
  for (guint i = 0; i < s->questions->len; i++)
    {
      const Question *q = g_ptr_array_index (s->questions, i);
      PsimReportQuestion *x = g_new0 (PsimReportQuestion, 1);
      *x = (PsimReportQuestion) { g_strdup (q->id), g_strdup (q->label), q->asked, q->right };
      g_ptr_array_add (f->questions, x);
    }
  f->mistakes = g_ptr_array_new_with_free_func (public_mistake_free);
  for (guint i = 0; i < s->mistakes->len; i++)
    {
      const Mistake *m = g_ptr_array_index (s->mistakes, i);
      PsimReportMistake *x = g_new0 (PsimReportMistake, 1);
      *x = (PsimReportMistake) { g_strdup (m->kind), g_strdup (m->ref), g_strdup (m->label),
                                 m->count };
      g_ptr_array_add (f->mistakes, x);
    }
  return f;
}

PsimReportFigures *
psim_report_get_figures (const PsimReport *report, const PsimScenario *scenario,
                         const PsimReportOptions *options)
{
  g_return_val_if_fail (report != NULL && scenario != NULL, NULL);
  g_autoptr (GPtrArray) all = psimp_report_summarise (report, psimp_report_options_or_default (options), scenario);
  return psimp_report_figures_new (g_ptr_array_index (all, 0));
}
