/* psim-calendar-private.h — the working calendar's layout and its
 * lookups (working time at an instant, the instant of an amount of
 * working time, the next opening, a filing's registration), inline: a
 * replication asks them for nearly every event (psim-sim-run.c), and
 * psim-calendar.c's public functions are these. See psim-calendar.c for how the tables are built.
 */
#pragma once

#include <glib.h>
#include <math.h>
#include <procsim/psim-sim.h>

/* Days tabulated past the exceptions' stretch (about 27 years, 90 KiB):
 * a lookup instead of week arithmetic for every instant a simulation
 * converts. */
#define CALENDAR_WEEKLY_DAYS 10000

/* A working day: its number, and the working hours before it (its W). */
typedef struct {
  double work;
  guint day;
} CalendarWorkDay;

struct _PsimCalendar {
  GDate start;
  guint32 start_jdn;
  guint start_weekday; /* 0 = Monday */
  guint8 weekdays;
  double *iv; /* pairs */
  guint n_iv;
  double iv_len[2], iv_before[2]; /* two intervals: each one's length, and
                                     0 and the first's length */
  double day_hours;
  double per_day_hour; /* 1 / day_hours: a first guess, corrected */
  double cut_off;
  guint n_days;     /* days of the exceptions' stretch */
  guint n_ext;      /* tabulated days: the stretch, then weeks that repeat */
  guint8 *working;  /* per tabulated day */
  double *W;        /* n_ext + 1: working hours before day d */
  CalendarWorkDay *first; /* the working days of the first n_search days */
  guint n_first;
  guint n_search;   /* days psimp_calendar_time_at () looks up in the table */
  double week_hours;
  double P[8]; /* working hours of the first j days past the table */
};

static inline gboolean
psimp_calendar_weekday_works (const PsimCalendar *cal, guint64 d)
{
  guint wd = (guint) ((cal->start_weekday + d) % 7);
  return (cal->weekdays >> wd) & 1;
}

static inline gboolean
psimp_calendar_day_works (const PsimCalendar *cal, gint64 d)
{
  if (d < 0)
    return FALSE;
  if ((guint64) d < cal->n_ext)
    return cal->working[d];
  return psimp_calendar_weekday_works (cal, (guint64) d);
}

/* Working hours before day @d > n_days, past the exceptions: whole weeks
 * and the first days of one. */
static inline double
psimp_calendar_weekly_work_before_day (const PsimCalendar *cal, guint64 d)
{
  guint64 k = d - cal->n_days; /* > 0: unsigned division is cheaper */
  return cal->W[cal->n_days] + (double) (k / 7) * cal->week_hours + cal->P[k % 7];
}

/* Working hours before day @d: tabulated for the exceptions' stretch and
 * some decades past it (with the values the week arithmetic gives, so
 * that the table changes no result), computed beyond. */
static inline double
psimp_calendar_work_before_day (const PsimCalendar *cal, gint64 d)
{
  if (d <= 0)
    return 0;
  if ((guint64) d <= cal->n_ext)
    return cal->W[d];
  return psimp_calendar_weekly_work_before_day (cal, (guint64) d);
}

/* Office hours of a working day before @tod. Every interval adds what
 * of it has passed, nothing (+0) once @tod is at or before its start: no
 * branch on which interval @tod falls in, which a simulation's random
 * times leave unpredictable (the clamps are written so that the compiler
 * makes them minsd and maxsd). */
static inline double
psimp_calendar_work_in_day (const PsimCalendar *cal, double tod)
{
  double w = 0;
  for (guint i = 0; i < cal->n_iv; i++)
    {
      double a = cal->iv[2 * i], b = cal->iv[2 * i + 1];
      double end = tod < b ? tod : b;
      end = end > a ? end : a;
      w += end - a;
    }
  return w;
}

/* Working hours from the origin to clock time @t. */
static inline double
psimp_calendar_work_at (const PsimCalendar *cal, double t)
{
  if (t <= 0)
    return 0;
  gint64 d = (gint64) (t / 24); /* t > 0: truncation is floor */
  double w = psimp_calendar_work_before_day (cal, d);
  if (psimp_calendar_day_works (cal, d))
    w += psimp_calendar_work_in_day (cal, t - 24.0 * d);
  return w;
}

/* Clock time @offset working hours into working day @d (0 < offset <= day
 * hours): the end of the interval when it falls on its boundary. */
static inline double
psimp_calendar_time_in_day (const PsimCalendar *cal, gint64 d, double offset)
{
  if (cal->n_iv == 2)
    {
      /* Two intervals (a day with a lunch break), without a branch on
       * which one: the interval's start and what is left of @offset
       * chosen by index, as the loop below would compute them. */
      guint i = !(offset <= cal->iv_len[0]);
      double left = offset - cal->iv_before[i];
      if (G_LIKELY (left <= cal->iv_len[i]))
        return 24.0 * d + cal->iv[2 * i] + left;
      return 24.0 * d + cal->iv[3];
    }
  for (guint i = 0; i < cal->n_iv; i++)
    {
      double a = cal->iv[2 * i], b = cal->iv[2 * i + 1];
      if (offset <= b - a)
        return 24.0 * d + a + offset;
      offset -= b - a;
    }
  return 24.0 * d + cal->iv[2 * cal->n_iv - 1];
}

/* The first instant of the office's open hours at or after clock time @t. */
static inline double
psimp_calendar_next_open (const PsimCalendar *cal, double t)
{
  if (t < 0)
    t = 0;
  gint64 d = (gint64) (t / 24); /* t >= 0: truncation is floor */
  double tod = t - 24.0 * d;
  for (;;)
    {
      if (psimp_calendar_day_works (cal, d))
        for (guint i = 0; i < cal->n_iv; i++)
          if (tod < cal->iv[2 * i + 1])
            return 24.0 * d + (tod > cal->iv[2 * i] ? tod : cal->iv[2 * i]);
      d++;
      tod = 0;
    }
}

/* When a filing at clock time @t is registered: the next opening, from
 * the next day when @t is at or after the cut-off. */
static inline double
psimp_calendar_file (const PsimCalendar *cal, double t)
{
  gint64 d = (gint64) floor (t / 24);
  if (cal->cut_off >= 0 && t - 24.0 * d >= cal->cut_off)
    t = 24.0 * (d + 1);
  return psimp_calendar_next_open (cal, t);
}

/* The clock time at which @w working hours from the origin have passed. */
static inline double
psimp_calendar_time_at (const PsimCalendar *cal, double w)
{
  if (w <= 0)
    return psimp_calendar_next_open (cal, 0);
  if (w <= cal->W[cal->n_search])
    {
      /* The last tabulated day that starts before w (W[lo] < w <=
       * W[lo + 1]): working day number w / day_hours, or the one before
       * when w ends it; the steps back and forth make it exact whatever
       * the rounding of that guess. There is a working day: W[n_search]
       * >= w > 0. */
      guint k = MIN ((guint) (w * cal->per_day_hour), cal->n_first - 1);
      /* Only one day has W[lo] < w <= W[lo + 1], a working day (W grows
       * on it): the last working day whose W is below w, found among
       * the working days with its W beside it (one load, not two that
       * wait for each other). */
      while (k > 0 && !(cal->first[k].work < w))
        k--;
      while (k + 1 < cal->n_first && cal->first[k + 1].work < w)
        k++;
      const CalendarWorkDay *lo = &cal->first[k];
      return psimp_calendar_time_in_day (cal, lo->day, w - lo->work);
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
      gint64 d = (gint64) cal->n_days + 7 * k + j;
      /* Skip days off (their W does not grow). */
      while (!psimp_calendar_day_works (cal, d))
        d++;
      return psimp_calendar_time_in_day (cal, d, w - psimp_calendar_work_before_day (cal, d));
    }
}
