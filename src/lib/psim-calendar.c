/* psim-calendar.c — the working calendar of the simulation: which days are
 * working days (days of the week, minus holidays, plus make-up days), the
 * office hours of a working day, and a cut-off time for filings.
 *
 * The clock counts hours from 00:00 of the start day. The calendar maps
 * clock time to "working hours since the origin" (W) and back: adding
 * working time, counting working days between two instants and finding
 * the next opening are then a lookup each. W is tabulated per day over the
 * stretch that holds exceptions (the holiday list); past it the week
 * repeats, so the mapping stays exact whatever the horizon: the table goes
 * on for some decades with the values the week arithmetic gives (a lookup
 * instead of that arithmetic), and the week arithmetic takes over beyond.
 * The day an amount of working time falls in is looked up too (the k-th
 * working day). The calendar is immutable once built: simulation threads
 * share it.
 */
#include "psim-private.h"

#include <procsim/psim-i18n.h>

#include <math.h>
#include <procsim/psim-sim.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "psim-calendar-private.h"
#include "psim-resources.h"

G_DEFINE_QUARK (psim-calendar-error-quark, psim_calendar_error)

GArray *
psim_calendar_parse_days (const char *text, gsize len, const char *name, const char *lang,
                          int *first_year, int *last_year, GError **error)
{
  g_autoptr (GArray) days = g_array_new (FALSE, FALSE, sizeof (PsimCalendarDay));
  g_autofree char *copy = g_strndup (text, len);
  g_auto (GStrv) lines = g_strsplit (copy, "\n", -1);
  int fy = 0, ly = 0;
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      if (line[0] == '\0' || line[0] == '#')
        continue;
      g_auto (GStrv) f = g_strsplit_set (line, " \t", 3);
      if (strcmp (f[0], "covers") == 0)
        {
          if (f[1] == NULL || f[2] == NULL || sscanf (f[1], "%d", &fy) != 1
              || sscanf (f[2], "%d", &ly) != 1 || fy > ly)
            goto bad;
          continue;
        }
      PsimCalendarDay day = { .working = FALSE };
      g_date_clear (&day.date, 1);
      int y, m, dd;
      char tail;
      if (sscanf (f[0], "%4d-%2d-%2d%c", &y, &m, &dd, &tail) != 3 || strlen (f[0]) != 10
          || !g_date_valid_dmy (dd, m, y) || f[1] == NULL)
        goto bad;
      g_date_set_dmy (&day.date, dd, m, y);
      if (strcmp (f[1], "work") == 0)
        day.working = TRUE;
      else if (strcmp (f[1], "off") != 0)
        goto bad;
      g_array_append_val (days, day);
      continue;
    bad:
      g_set_error (error, PSIM_CALENDAR_ERROR, PSIM_CALENDAR_ERROR_PARSE,
                   psim_gettext (lang, "%s:%u: expected 'YYYY-MM-DD off|work [comment]' or "
                     "'covers FIRST-YEAR LAST-YEAR'"), name, i + 1);
      return NULL;
    }
  if (first_year != NULL)
    *first_year = fy;
  if (last_year != NULL)
    *last_year = ly;
  return g_steal_pointer (&days);
}

GBytes *
psim_calendar_get_vn_holidays (void)
{
  return g_resource_lookup_data (psim_resources_get_resource (), "/org/procsim/holidays-vn.txt",
                                 G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
}

PsimCalendar *
psim_calendar_new (const PsimCalendarSpec *spec, GError **error)
{
  g_return_val_if_fail (spec != NULL && g_date_valid (&spec->start), NULL);
  const char *lang = spec->lang;
  double prev = 0;
  double day_hours = 0;
  for (guint i = 0; i < spec->n_intervals; i++)
    {
      double a = spec->hours[2 * i], b = spec->hours[2 * i + 1];
      if (!(a >= prev && b > a && b <= 24))
        {
          g_set_error (error, PSIM_CALENDAR_ERROR, PSIM_CALENDAR_ERROR_SPEC,
                       psim_gettext (lang, "office hours must be increasing, not overlapping, within 00:00–24:00"));
          return NULL;
        }
      day_hours += b - a;
      prev = b;
    }
  if (day_hours <= 0 || (spec->weekdays & 0x7f) == 0)
    {
      g_set_error (error, PSIM_CALENDAR_ERROR, PSIM_CALENDAR_ERROR_SPEC,
                   psim_gettext (lang, "the calendar has no working time: give working days and office hours"));
      return NULL;
    }

  g_autoptr (PsimCalendar) cal = g_new0 (PsimCalendar, 1);
  cal->start = spec->start;
  cal->start_jdn = g_date_get_julian (&spec->start);
  cal->start_weekday = g_date_get_weekday (&spec->start) - 1;
  cal->weekdays = spec->weekdays & 0x7f;
  cal->n_iv = spec->n_intervals;
  cal->iv = g_memdup2 (spec->hours, sizeof (double) * 2 * spec->n_intervals);
  if (cal->n_iv == 2)
    {
      cal->iv_len[0] = cal->iv[1] - cal->iv[0];
      cal->iv_len[1] = cal->iv[3] - cal->iv[2];
      cal->iv_before[1] = cal->iv_len[0];
    }
  cal->day_hours = day_hours;
  cal->per_day_hour = 1 / day_hours;
  cal->cut_off = spec->cut_off;

  guint n = 0;
  for (guint i = 0; i < spec->n_days; i++)
    {
      guint32 j = g_date_get_julian (&spec->days[i].date);
      if (j >= cal->start_jdn && j - cal->start_jdn + 1 > n)
        n = j - cal->start_jdn + 1;
    }
  cal->n_days = n;
  cal->n_ext = n + CALENDAR_WEEKLY_DAYS;
  cal->working = g_new (guint8, cal->n_ext);
  for (guint d = 0; d < cal->n_ext; d++)
    cal->working[d] = psimp_calendar_weekday_works (cal, d);
  for (guint i = 0; i < spec->n_days; i++)
    {
      guint32 j = g_date_get_julian (&spec->days[i].date);
      if (j >= cal->start_jdn)
        cal->working[j - cal->start_jdn] = spec->days[i].working;
    }
  cal->W = g_new (double, cal->n_ext + 1);
  cal->W[0] = 0;
  for (guint d = 0; d < n; d++)
    cal->W[d + 1] = cal->W[d] + (cal->working[d] ? day_hours : 0);
  cal->P[0] = 0;
  for (guint j = 0; j < 7; j++)
    cal->P[j + 1] = cal->P[j] + (psimp_calendar_weekday_works (cal, n + j) ? day_hours : 0);
  cal->week_hours = cal->P[7];
  for (guint d = n + 1; d <= cal->n_ext; d++)
    cal->W[d] = psimp_calendar_weekly_work_before_day (cal, d);
  /* psim_calendar_time_at () searches the table for the exceptions'
   * stretch. Past it, when the hours of a day are a whole number of
   * quarter hours, every W and every difference it takes is exact, so
   * the week arithmetic and the table find the same day: it searches the
   * rest of the table too. */
  cal->n_search = fmod (day_hours * 4, 1) == 0 ? cal->n_ext : n;
  /* The working days of the searched table, in order. */
  cal->first = g_new (CalendarWorkDay, cal->n_search + 1);
  cal->n_first = 0;
  for (guint d = 0; d < cal->n_search; d++)
    if (cal->working[d])
      cal->first[cal->n_first++] = (CalendarWorkDay) { cal->W[d], d };
  return g_steal_pointer (&cal);
}

void
psim_calendar_free (PsimCalendar *cal)
{
  if (cal == NULL)
    return;
  g_free (cal->iv);
  g_free (cal->working);
  g_free (cal->W);
  g_free (cal->first);
  g_free (cal);
}

double
psim_calendar_get_day_hours (const PsimCalendar *cal)
{
  return cal->day_hours;
}

gboolean
psim_calendar_is_working_day (const PsimCalendar *cal, const GDate *date)
{
  gint64 d = (gint64) g_date_get_julian (date) - cal->start_jdn;
  return psimp_calendar_day_works (cal, d);
}

double
psim_calendar_work_at (const PsimCalendar *cal, double t)
{
  return psimp_calendar_work_at (cal, t);
}

double
psim_calendar_time_at (const PsimCalendar *cal, double w)
{
  return psimp_calendar_time_at (cal, w);
}

double
psim_calendar_next_open (const PsimCalendar *cal, double t)
{
  return psimp_calendar_next_open (cal, t);
}

double
psim_calendar_add_work (const PsimCalendar *cal, double t, double hours)
{
  if (hours <= 0)
    return t;
  return psimp_calendar_time_at (cal, psimp_calendar_work_at (cal, t) + hours);
}

double
psim_calendar_file (const PsimCalendar *cal, double t)
{
  return psimp_calendar_file (cal, t);
}

void
psim_calendar_get_date (const PsimCalendar *cal, double t, GDate *date, double *hour)
{
  gint64 d = (gint64) floor (t / 24);
  g_date_clear (date, 1);
  g_date_set_julian (date, (guint32) (cal->start_jdn + d));
  if (hour != NULL)
    *hour = t - 24.0 * d;
}

double
psim_calendar_time_of (const PsimCalendar *cal, const GDate *date, double hour)
{
  return 24.0 * ((double) g_date_get_julian (date) - cal->start_jdn) + hour;
}
