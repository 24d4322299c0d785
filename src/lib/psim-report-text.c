/* psim-report-text.c — the report as text for a terminal: per scenario,
 * the figures, the trainees in a table, the unfinished sessions, the
 * questions and the most frequent mistakes, in the caller's language.
 */
#include "psim-report-private.h"

#include <math.h>

/* "2026-11-23 10:00" (UTC), or "—" when unknown. (transfer full) */
static char *
format_time (gint64 usec, gboolean with_time)
{
  g_autoptr (GDateTime) t = usec > 0 ? g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC)
                                     : NULL;
  if (t == NULL)
    return g_strdup ("—");
  return g_date_time_format (t, with_time ? "%Y-%m-%d %H:%M" : "%Y-%m-%d");
}

/* "64 %", or "—" before a finished attempt. (transfer full) */
static char *
format_percent (double v, const char *lang)
{
  if (isnan (v))
    return g_strdup ("—");
  g_autofree char *n = psim_format_decimal (v, lang);
  return g_strdup_printf ("%s %%", n);
}

static void
text_trainees (GString *out, const Summary *s, const char *lang)
{
  if (s->trainees->len == 0)
    return;
  g_string_append (out, "  ");
  psim_format_append_padded (out, psim_gettext (lang, "trainee"), 28);
  psim_format_append_padded (out, psim_gettext (lang, "attempts"), 10);
  psim_format_append_padded (out, psim_gettext (lang, "best"), 10);
  psim_format_append_padded (out, psim_gettext (lang, "last"), 10);
  g_string_append_printf (out, "%s\n", psim_gettext (lang, "date"));
  for (guint i = 0; i < s->trainees->len; i++)
    {
      const Trainee *t = g_ptr_array_index (s->trainees, i);
      g_autofree char *attempts = g_strdup_printf ("%u", t->attempts);
      g_autofree char *best = format_percent (t->best, lang);
      g_autofree char *last = format_percent (t->last, lang);
      g_autofree char *date = format_time (t->date, FALSE);
      g_string_append (out, "  ");
      psim_format_append_padded (out, *t->name != '\0' ? t->name : "—", 27);
      g_string_append_c (out, ' ');
      psim_format_append_padded (out, attempts, 10);
      psim_format_append_padded (out, best, 10);
      psim_format_append_padded (out, last, 10);
      g_string_append_printf (out, "%s\n", date);
    }
}

static void
text_summary (GString *out, const Summary *s, const char *lang)
{
  g_string_append_printf (out, "%s (%s)\n", s->title, s->id);
  g_autofree char *rate_s = psim_format_decimal (psimp_report_pass_rate (s), lang);
  g_autofree char *mean_s = psim_format_decimal (psimp_report_mean_percent (s), lang);
  g_autofree char *minutes = psim_format_decimal (psimp_report_mean_minutes (s), lang);
  g_string_append_printf (out, psim_gettext (lang, "  attempts %u, finished %u, passed %u (%s %%), mean score %s %%, "
             "mean time %s min\n"),
           s->attempts, s->finished, s->passed, rate_s, mean_s, minutes);
  if (s->scripted > 0)
    g_string_append_printf (out, psim_gettext (lang, "  scripted replays, not counted: %u\n"),
                            s->scripted);
  text_trainees (out, s, lang);
  if (s->open->len > 0)
    g_string_append_printf (out, psim_gettext (lang, "  unfinished sessions: %u\n"),
                            s->open->len);
  for (guint i = 0; i < s->open->len; i++)
    {
      const Entry *e = g_ptr_array_index (s->open, i);
      g_autofree char *when = format_time (e->started, TRUE);
      g_string_append_printf (out, "    %s · %s · %s · ", e->session != NULL ? e->session : "—",
                              e->actor != NULL ? e->actor : "—", when);
      g_string_append_printf (out, psim_ngettext (lang, "%u answer", "%u answers", e->answers),
                              e->answers);
      g_string_append_c (out, '\n');
    }
  gboolean asked = FALSE;
  for (guint i = 0; i < s->questions->len; i++)
    {
      const Question *q = g_ptr_array_index (s->questions, i);
      if (q->asked == 0)
        continue;
      if (!asked)
        g_string_append_printf (out, "%s\n", psim_gettext (lang, "  questions, share answered right:"));
      asked = TRUE;
      g_autofree char *share = format_percent (round (100.0 * q->right / q->asked), lang);
      g_string_append_printf (out, "    %5s %3u/%-3u %s\n", share, q->right, q->asked,
                              q->label != NULL ? q->label : q->id);
    }
  if (s->mistakes->len > 0)
    g_string_append_printf (out, "%s\n", psim_gettext (lang, "  most frequent mistakes:"));
  for (guint m = 0; m < s->mistakes->len && m < TOP_MISTAKES; m++)
    {
      const Mistake *x = g_ptr_array_index (s->mistakes, m);
      g_string_append_printf (out, "    %3u × %s\n", x->count, x->label);
    }
}

char *
psim_report_format_text (const PsimReport *report, const PsimReportOptions *options)
{
  g_return_val_if_fail (report != NULL, NULL);
  const PsimReportOptions *o = psimp_report_options_or_default (options);
  g_autoptr (GPtrArray) all = psimp_report_summarise (report, o, NULL);
  g_autoptr (GString) out = g_string_new (NULL);
  for (guint i = 0; i < all->len; i++)
    text_summary (out, g_ptr_array_index (all, i), o->lang);
  return psim_format_wrap (out->str, 80);
}

char *
psim_report_to_text (const PsimReport *report, const char *lang)
{
  const PsimReportOptions o = { .lang = lang };
  return psim_report_format_text (report, &o);
}
