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

#include "psim-resources.h"

G_DEFINE_QUARK (psim-calendar-error-quark, psim_calendar_error)

/* Days tabulated past the exceptions' stretch (about 27 years, 90 KiB):
 * a lookup instead of week arithmetic for every instant a simulation
 * converts. */
#define CALENDAR_WEEKLY_DAYS 10000

struct _PsimCalendar {
  GDate start;
  guint32 start_jdn;
  guint start_weekday; /* 0 = Monday */
  guint8 weekdays;
  double *iv; /* pairs */
  guint n_iv;
  double day_hours;
  double cut_off;
  guint n_days;     /* days of the exceptions' stretch */
  guint n_ext;      /* tabulated days: the stretch, then weeks that repeat */
  guint8 *working;  /* per tabulated day */
  double *W;        /* n_ext + 1: working hours before day d */
  guint *first;     /* the working days of the first n_search days */
  guint n_first;
  guint n_search;   /* days psim_calendar_time_at () looks up in the table */
  double week_hours;
  double P[8]; /* working hours of the first j days past the table */
};

static gboolean
weekday_works (const PsimCalendar *cal, guint64 d)
{
  guint wd = (guint) ((cal->start_weekday + d) % 7);
  return (cal->weekdays >> wd) & 1;
}

static inline gboolean
day_works (const PsimCalendar *cal, gint64 d)
{
  if (d < 0)
    return FALSE;
  if ((guint64) d < cal->n_ext)
    return cal->working[d];
  return weekday_works (cal, (guint64) d);
}

/* Working hours before day @d > n_days, past the exceptions: whole weeks
 * and the first days of one. */
static double
weekly_work_before_day (const PsimCalendar *cal, guint64 d)
{
  guint64 k = d - cal->n_days; /* > 0: unsigned division is cheaper */
  return cal->W[cal->n_days] + (double) (k / 7) * cal->week_hours + cal->P[k % 7];
}

/* Working hours before day @d: tabulated for the exceptions' stretch and
 * some decades past it (with the values weekly_work_before_day () gives,
 * so that the table changes no result), computed beyond. */
G_ALWAYS_INLINE static inline double
work_before_day (const PsimCalendar *cal, gint64 d)
{
  if (d <= 0)
    return 0;
  if ((guint64) d <= cal->n_ext)
    return cal->W[d];
  return weekly_work_before_day (cal, (guint64) d);
}

/* Office hours of a working day before @tod. */
static double
work_in_day (const PsimCalendar *cal, double tod)
{
  double w = 0;
  for (guint i = 0; i < cal->n_iv; i++)
    {
      double a = cal->iv[2 * i], b = cal->iv[2 * i + 1];
      if (tod <= a)
        break;
      w += (tod < b ? tod : b) - a;
    }
  return w;
}

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
  cal->day_hours = day_hours;
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
    cal->working[d] = weekday_works (cal, d);
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
    cal->P[j + 1] = cal->P[j] + (weekday_works (cal, n + j) ? day_hours : 0);
  cal->week_hours = cal->P[7];
  for (guint d = n + 1; d <= cal->n_ext; d++)
    cal->W[d] = weekly_work_before_day (cal, d);
  /* psim_calendar_time_at () searches the table for the exceptions'
   * stretch. Past it, when the hours of a day are a whole number of
   * quarter hours, every W and every difference it takes is exact, so
   * the week arithmetic and the table find the same day: it searches the
   * rest of the table too. */
  cal->n_search = fmod (day_hours * 4, 1) == 0 ? cal->n_ext : n;
  /* The working days of the searched table, in order. */
  cal->first = g_new (guint, cal->n_search + 1);
  cal->n_first = 0;
  for (guint d = 0; d < cal->n_search; d++)
    if (cal->working[d])
      cal->first[cal->n_first++] = d;
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
  return day_works (cal, d);
}

double
psim_calendar_work_at (const PsimCalendar *cal, double t)
{
  if (t <= 0)
    return 0;
  gint64 d = (gint64) (t / 24); /* t > 0: truncation is floor */
  double w = work_before_day (cal, d);
  if (day_works (cal, d))
    w += work_in_day (cal, t - 24.0 * d);
  return w;
}

/* Clock time @offset working hours into working day @d (0 < offset <= day
 * hours): the end of the interval when it falls on its boundary. */
static double
time_in_day (const PsimCalendar *cal, gint64 d, double offset)
{
  for (guint i = 0; i < cal->n_iv; i++)
    {
      double a = cal->iv[2 * i], b = cal->iv[2 * i + 1];
      if (offset <= b - a)
        return 24.0 * d + a + offset;
      offset -= b - a;
    }
  return 24.0 * d + cal->iv[2 * cal->n_iv - 1];
}

double
psim_calendar_time_at (const PsimCalendar *cal, double w)
{
  if (w <= 0)
    return psim_calendar_next_open (cal, 0);
  gint64 d;
  if (w <= cal->W[cal->n_search])
    {
      /* The last tabulated day that starts before w (W[lo] < w <=
       * W[lo + 1]): working day number w / day_hours, or the one before
       * when w ends it; the steps back and forth make it exact whatever
       * the rounding. There is a working day: W[n_search] >= w > 0. */
      guint k = MIN ((guint) (w / cal->day_hours), cal->n_first - 1);
      guint lo = cal->first[k];
      if (!(cal->W[lo] < w) && k > 0)
        lo = cal->first[k - 1];
      while (lo > 0 && !(cal->W[lo] < w))
        lo--;
      while (lo + 1 < cal->n_search && cal->W[lo + 1] < w)
        lo++;
      d = lo;
    }
  else
    {
      double r = w - cal->W[cal->n_days];
      gint64 k = (gint64) (r / cal->week_hours); /* r > 0: truncation is floor */
      double rem = r - (double) k * cal->week_hours;
      if (rem <= 0)
        {
          k--;
          rem += cal->week_hours;
        }
      guint j = 0;
      while (j < 6 && cal->P[j + 1] < rem)
        j++;
      d = (gint64) cal->n_days + 7 * k + j;
    }
  /* Skip days off at the start of the stretch (their W does not grow). */
  while (!day_works (cal, d))
    d++;
  return time_in_day (cal, d, w - work_before_day (cal, d));
}

double
psim_calendar_add_work (const PsimCalendar *cal, double t, double hours)
{
  if (hours <= 0)
    return t;
  return psim_calendar_time_at (cal, psim_calendar_work_at (cal, t) + hours);
}

double
psim_calendar_next_open (const PsimCalendar *cal, double t)
{
  if (t < 0)
    t = 0;
  gint64 d = (gint64) (t / 24); /* t >= 0: truncation is floor */
  double tod = t - 24.0 * d;
  for (;;)
    {
      if (day_works (cal, d))
        for (guint i = 0; i < cal->n_iv; i++)
          if (tod < cal->iv[2 * i + 1])
            return 24.0 * d + (tod > cal->iv[2 * i] ? tod : cal->iv[2 * i]);
      d++;
      tod = 0;
    }
}

double
psim_calendar_file (const PsimCalendar *cal, double t)
{
  gint64 d = (gint64) floor (t / 24);
  if (cal->cut_off >= 0 && t - 24.0 * d >= cal->cut_off)
    t = 24.0 * (d + 1);
  return psim_calendar_next_open (cal, t);
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
