/* psim-sim-load.c — what the simulation reads from a procedure file: the
 * optional <simulation> block (calendar, arrivals, offices with a queue,
 * service times, case data drawn at random) and the distributions of step
 * durations (<duration dist=…>). psim-load.c hands each element over with
 * its attributes; the checks here run after the model's own.
 */
#include "psim-sim-private.h"

#include <procsim/psim-i18n.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

PsimSimSpec *
psim_sim_spec_ensure (PsimProcedure *proc)
{
  if (proc->sim == NULL)
    {
      PsimSimSpec *s = g_new0 (PsimSimSpec, 1);
      s->weekdays = 0x1f; /* Monday to Friday */
      s->hours = g_array_new (FALSE, FALSE, sizeof (double));
      s->cut_off = -1;
      s->profile = g_array_new (FALSE, FALSE, sizeof (double));
      s->times = g_array_new (FALSE, FALSE, sizeof (double));
      s->resources = g_ptr_array_new ();
      s->services = g_ptr_array_new ();
      s->samples = g_ptr_array_new ();
      s->durations = g_hash_table_new_full (NULL, NULL, NULL, g_free);
      s->provenance = g_array_new (FALSE, FALSE, sizeof (PsimSimProvenance));
      proc->sim = s;
      proc->sim_free = psim_sim_spec_free;
    }
  return proc->sim;
}

static void
resource_free (PsimSimResource *r)
{
  if (r->shifts != NULL)
    g_array_unref (r->shifts);
  g_free (r->id);
  psim_ref_clear (&r->actor);
  g_free (r);
}

static void
service_free (PsimSimService *s)
{
  g_free (s->step_id);
  g_free (s->variant_id);
  psim_ref_clear (&s->resource);
  g_free (s->values);
  g_free (s);
}

static void
sample_free (PsimSimSample *s)
{
  psim_ref_clear (&s->param);
  g_free (s->values);
  g_free (s);
}

void
psim_sim_spec_free (PsimSimSpec *s)
{
  if (s == NULL)
    return;
  g_array_unref (s->hours);
  g_array_unref (s->profile);
  g_array_unref (s->times);
  if (s->days != NULL)
    g_array_unref (s->days);
  g_free (s->holidays);
  for (guint i = 0; i < s->resources->len; i++)
    resource_free (g_ptr_array_index (s->resources, i));
  for (guint i = 0; i < s->services->len; i++)
    service_free (g_ptr_array_index (s->services, i));
  for (guint i = 0; i < s->samples->len; i++)
    sample_free (g_ptr_array_index (s->samples, i));
  g_ptr_array_unref (s->resources);
  g_ptr_array_unref (s->services);
  g_ptr_array_unref (s->samples);
  g_hash_table_unref (s->durations);
  for (guint i = 0; i < s->provenance->len; i++)
    g_free (g_array_index (s->provenance, PsimSimProvenance, i).source);
  g_array_unref (s->provenance);
  g_free (s);
}

/* ---- small parsers --------------------------------------------------------- */

static gboolean
number (GHashTable *attrs, const char *name, double *out)
{
  const char *text = g_hash_table_lookup (attrs, name);
  if (text == NULL)
    return FALSE;
  char *end = NULL;
  errno = 0;
  double v = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || errno != 0 || !isfinite (v))
    return FALSE;
  *out = v;
  return TRUE;
}

/* "HH:MM" → hours; -1 when malformed (the schema has rejected it). */
double
psimp_clock_hours (const char *text)
{
  int h = 0, m = 0;
  if (text == NULL || sscanf (text, "%2d:%2d", &h, &m) != 2)
    return -1;
  return h + m / 60.0;
}

/* A space-separated list of decimals. (transfer full) NULL when empty or
 * malformed. */
static double *
number_list (const char *text, guint *n)
{
  *n = 0;
  if (text == NULL)
    return NULL;
  g_auto (GStrv) items = g_strsplit_set (text, " \t\r\n", -1);
  g_autoptr (GArray) out = g_array_new (FALSE, FALSE, sizeof (double));
  for (char **it = items; *it != NULL; it++)
    {
      if (**it == '\0')
        continue;
      char *end = NULL;
      double v = g_ascii_strtod (*it, &end);
      if (*end != '\0' || !isfinite (v))
        return NULL;
      g_array_append_val (out, v);
    }
  *n = out->len;
  if (out->len == 0)
    return NULL;
  return (double *) (gpointer) g_array_free (g_steal_pointer (&out), FALSE);
}

typedef enum { DIST_OK, DIST_UNKNOWN, DIST_MISSING, DIST_RANGE } DistProblem;

/* Reads a distribution from dist and its parameters. */
static DistProblem
parse_dist (GHashTable *attrs, PsimDist *d, double **values)
{
  const char *name = g_hash_table_lookup (attrs, "dist");
  gboolean has_value = number (attrs, "value", &d->min);
  gboolean has_min = number (attrs, "min", &d->min);
  gboolean has_likely = number (attrs, "likely", &d->likely);
  gboolean has_max = number (attrs, "max", &d->max);
  gboolean has_mean = number (attrs, "mean", &d->mean);
  gboolean has_sd = number (attrs, "sd", &d->sd);
  *values = NULL;

  if (name == NULL)
    name = has_value ? "fixed" : "triangular";
  if (!psim_dist_kind_from_string (name, &d->kind))
    return DIST_UNKNOWN;
  gboolean ok = TRUE;
  switch (d->kind)
    {
    case PSIM_DIST_FIXED:
      if (has_value)
        number (attrs, "value", &d->min);
      ok = has_value;
      d->likely = d->max = d->min;
      break;
    case PSIM_DIST_UNIFORM:
      ok = has_min && has_max;
      d->likely = (d->min + d->max) / 2;
      break;
    case PSIM_DIST_TRIANGULAR:
    case PSIM_DIST_PERT:
      ok = has_min && has_likely && has_max;
      break;
    case PSIM_DIST_EXPONENTIAL:
      ok = has_mean;
      break;
    case PSIM_DIST_NORMAL:
    case PSIM_DIST_LOGNORMAL:
      ok = has_mean && has_sd;
      break;
    case PSIM_DIST_EMPIRICAL:
      *values = number_list (g_hash_table_lookup (attrs, "values"), &d->n_values);
      d->values = *values;
      ok = *values != NULL;
      break;
    default:
      break;
    }
  if (!ok)
    return DIST_MISSING;
  if (psim_dist_check (d) != NULL)
    return DIST_RANGE;
  if (d->kind >= PSIM_DIST_EXPONENTIAL)
    d->min = d->likely = d->max = psim_dist_mean (d);
  return DIST_OK;
}

static void
dist_error (GPtrArray *diags, const char *file, guint line, const char *what,
            const char *elem, DistProblem problem, GHashTable *attrs, const char *lang)
{
  const char *name = g_hash_table_lookup (attrs, "dist");
  if (name == NULL)
    name = "triangular";
  if (problem == DIST_UNKNOWN)
    psim_diag_add (diags, PSIM_SEVERITY_ERROR, file, line,
                   psim_gettext (lang, "%s: <%s>: unknown distribution '%s'"), what, elem, name);
  else if (problem == DIST_MISSING)
    psim_diag_add (diags, PSIM_SEVERITY_ERROR, file, line,
                   psim_gettext (lang, "%s: <%s>: distribution '%s' lacks a parameter: fixed needs value; uniform "
                     "min and max; triangular and pert min, likely and max; exponential mean; "
                     "normal and lognormal mean and sd; empirical values"), what, elem, name);
  else
    psim_diag_add (diags, PSIM_SEVERITY_ERROR, file, line,
                   psim_gettext (lang, "%s: <%s>: distribution '%s' has parameters out of range: no negative "
                     "values, min <= likely <= max, mean and sd above 0"), what, elem, name);
}

/* ---- loader hooks -------------------------------------------------------- */

void
psim_sim_load_duration (PsimProcedure *proc, PsimNode *step, PsimQuantitySlot *slot,
                        GHashTable *attrs, guint line, const char *what,
                        const char *lang, GPtrArray *diags, const char *file)
{
  PsimDist d = { 0 };
  double *values = NULL;
  DistProblem msg = parse_dist (attrs, &d, &values);
  if (msg != DIST_OK)
    {
      g_free (values);
      dist_error (diags, file, line, what, "duration", msg, attrs, lang);
      return;
    }
  slot->q.min = d.min;
  slot->q.likely = d.likely;
  slot->q.max = d.max;
  /* One allocation: the struct, then its values. */
  gsize extra = sizeof (double) * d.n_values;
  PsimDist *owned = g_malloc (sizeof (PsimDist) + extra);
  *owned = d;
  if (values != NULL)
    {
      owned->values = memcpy ((char *) owned + sizeof (PsimDist), values, extra);
      g_free (values);
    }
  g_hash_table_replace (psim_sim_spec_ensure (proc)->durations, step, owned);
}

static guint8
parse_weekdays (const char *text)
{
  static const char *const names[] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };
  guint8 mask = 0;
  g_auto (GStrv) items = g_strsplit_set (text, " \t\r\n", -1);
  for (char **it = items; *it != NULL; it++)
    for (guint i = 0; i < 7; i++)
      if (strcmp (*it, names[i]) == 0)
        mask |= 1 << i;
  return mask;
}

void
psim_sim_load_element (PsimProcedure *proc, const char *name, GHashTable *attrs,
                       guint line, const char *lang, GPtrArray *diags, const char *file)
{
  PsimSimSpec *s = psim_sim_spec_ensure (proc);
  const char *v;
  const char *basis = g_hash_table_lookup (attrs, "basis");
  const char *source = g_hash_table_lookup (attrs, "source");
  if (basis != NULL || source != NULL)
    {
      PsimSimProvenance pv = { .line = line, .element = g_intern_string (name),
                               .source = g_strdup (source),
                               .sourced = g_strcmp0 (basis, "sourced") == 0 };
      g_array_append_val (s->provenance, pv);
    }
  if (strcmp (name, "calendar") == 0)
    {
      s->calendar_line = line;
      s->in_arrivals = FALSE;
      if ((v = g_hash_table_lookup (attrs, "start")) != NULL)
        {
          g_date_clear (&s->start, 1);
          g_date_set_parse (&s->start, v);
          int y, m, dd;
          if (sscanf (v, "%4d-%2d-%2d", &y, &m, &dd) == 3 && g_date_valid_dmy (dd, m, y))
            {
              g_date_set_dmy (&s->start, dd, m, y);
              s->has_start = TRUE;
            }
        }
      if ((v = g_hash_table_lookup (attrs, "days")) != NULL)
        s->weekdays = parse_weekdays (v);
      if ((v = g_hash_table_lookup (attrs, "cut-off")) != NULL)
        s->cut_off = psimp_clock_hours (v);
      g_free (s->holidays);
      s->holidays = g_strdup (g_hash_table_lookup (attrs, "holidays"));
    }
  else if (strcmp (name, "hours") == 0)
    {
      double pair[2] = { psimp_clock_hours (g_hash_table_lookup (attrs, "from")),
                         psimp_clock_hours (g_hash_table_lookup (attrs, "to")) };
      g_array_append_vals (s->hours, pair, 2);
    }
  else if (strcmp (name, "arrivals") == 0)
    {
      s->in_arrivals = TRUE;
      s->arrivals_line = line;
      double rate = 0;
      const char *per = g_hash_table_lookup (attrs, "per");
      guint n = 0;
      g_autofree double *times = number_list (g_hash_table_lookup (attrs, "times"), &n);
      if (number (attrs, "rate", &rate))
        {
          s->arrivals = PSIM_ARRIVALS_POISSON;
          /* per day: spread over the office hours, converted later */
          s->rate = per != NULL && strcmp (per, "hour") == 0 ? rate : -rate;
        }
      else if (times != NULL)
        {
          s->arrivals = PSIM_ARRIVALS_LIST;
          g_array_append_vals (s->times, times, n);
        }
      else
        s->arrivals = PSIM_ARRIVALS_PROFILE;
    }
  else if (strcmp (name, "rate") == 0 && s->in_arrivals)
    {
      double rate = 0;
      number (attrs, "per-hour", &rate);
      double triple[3] = { psimp_clock_hours (g_hash_table_lookup (attrs, "from")),
                           psimp_clock_hours (g_hash_table_lookup (attrs, "to")), rate };
      g_array_append_vals (s->profile, triple, 3);
      s->arrivals = PSIM_ARRIVALS_PROFILE;
    }
  else if (strcmp (name, "resource") == 0)
    {
      PsimSimResource *r = g_new0 (PsimSimResource, 1);
      double cap = 1;
      r->id = g_strdup (g_hash_table_lookup (attrs, "id"));
      r->line = line;
      r->actor.id = g_strdup (g_hash_table_lookup (attrs, "actor"));
      r->actor.line = line;
      number (attrs, "capacity", &cap);
      r->capacity = cap >= 1 && cap <= 100000 ? (guint) cap : 1;
      v = g_hash_table_lookup (attrs, "queue");
      r->priority = v != NULL && strcmp (v, "priority") == 0;
      r->shifts = g_array_new (FALSE, FALSE, sizeof (PsimSimShift));
      g_ptr_array_add (s->resources, r);
    }
  else if (strcmp (name, "shift") == 0 && s->resources->len > 0)
    {
      /* The schema allows <shift> only inside <resource>: the last one. */
      PsimSimResource *r = g_ptr_array_index (s->resources, s->resources->len - 1);
      double clerks = 0;
      number (attrs, "clerks", &clerks);
      PsimSimShift sh = { .line = line,
                          .from = psimp_clock_hours (g_hash_table_lookup (attrs, "from")),
                          .to = psimp_clock_hours (g_hash_table_lookup (attrs, "to")),
                          .clerks = clerks >= 0 && clerks <= 100000 ? (guint) clerks : 0 };
      g_array_append_val (r->shifts, sh);
    }
  else if (strcmp (name, "service") == 0)
    {
      PsimSimService *sv = g_new0 (PsimSimService, 1);
      double prio = 0;
      sv->line = line;
      sv->step_id = g_strdup (g_hash_table_lookup (attrs, "step"));
      sv->variant_id = g_strdup (g_hash_table_lookup (attrs, "variant"));
      sv->resource.id = g_strdup (g_hash_table_lookup (attrs, "resource"));
      sv->resource.line = line;
      if (number (attrs, "priority", &prio))
        sv->priority = (int) prio;
      DistProblem msg = parse_dist (attrs, &sv->dist, &sv->values);
      if (msg != DIST_OK)
        dist_error (diags, file, line, "<simulation>", name, msg, attrs, lang);
      /* Service times are in hours of work; minutes are common, so allow them. */
      v = g_hash_table_lookup (attrs, "unit");
      double scale = v != NULL && strcmp (v, "minutes") == 0 ? 1 / 60.0 : 1;
      sv->dist.min *= scale;
      sv->dist.likely *= scale;
      sv->dist.max *= scale;
      sv->dist.mean *= scale;
      sv->dist.sd *= scale;
      for (guint i = 0; i < sv->dist.n_values; i++)
        sv->values[i] *= scale;
      g_ptr_array_add (s->services, sv);
    }
  else if (strcmp (name, "sample") == 0)
    {
      PsimSimSample *sm = g_new0 (PsimSimSample, 1);
      sm->line = line;
      sm->param.id = g_strdup (g_hash_table_lookup (attrs, "param"));
      sm->param.line = line;
      if (number (attrs, "probability", &sm->probability))
        sm->is_probability = TRUE;
      else
        {
          DistProblem msg = parse_dist (attrs, &sm->dist, &sm->values);
          if (msg != DIST_OK)
            dist_error (diags, file, line, "<simulation>", name, msg, attrs, lang);
        }
      g_ptr_array_add (s->samples, sm);
    }
}

/* ---- checks --------------------------------------------------------------- */

static void
read_holidays (PsimProcedure *proc, PsimSimSpec *s, const char *lang, GPtrArray *diags)
{
  const char *which = s->holidays != NULL ? s->holidays : "vn";
  if (strcmp (which, "none") == 0)
    {
      s->days = g_array_new (FALSE, FALSE, sizeof (PsimCalendarDay));
      return;
    }
  g_autoptr (GBytes) bytes = NULL;
  g_autofree char *path = NULL;
  g_autoptr (GError) error = NULL;
  if (strcmp (which, "vn") == 0)
    bytes = psim_calendar_get_vn_holidays ();
  else
    {
      g_autofree char *dir = g_path_get_dirname (proc->file);
      path = g_path_is_absolute (which) ? g_strdup (which) : g_build_filename (dir, which, NULL);
      char *contents = NULL;
      gsize len = 0;
      if (!g_file_get_contents (path, &contents, &len, &error))
        {
          psim_diag_add (diags, PSIM_SEVERITY_ERROR, proc->file, s->calendar_line,
                         psim_gettext (lang, "<calendar>: cannot read the holiday list: %s"), error->message);
          return;
        }
      bytes = g_bytes_new_take (contents, len);
    }
  gsize len = 0;
  const char *data = g_bytes_get_data (bytes, &len);
  s->days = psim_calendar_parse_days (data, len, path != NULL ? path : "holidays-vn.txt", lang, NULL,
                                      &s->holidays_last_year, &error);
  if (s->days == NULL)
    psim_diag_add (diags, PSIM_SEVERITY_ERROR, proc->file, s->calendar_line,
                   psim_gettext (lang, "<calendar>: %s"), error->message);
}

/* Default duration distributions: triangular on min/likely/max, fixed on
 * a value. */
static void
default_durations (PsimProcedure *proc, PsimSimSpec *s)
{
  for (guint v = 0; v < proc->variants->len; v++)
    {
      const PsimVariant *var = g_ptr_array_index (proc->variants, v);
      for (guint i = 0; i < var->nodes->len; i++)
        {
          PsimNode *n = g_ptr_array_index (var->nodes, i);
          if (n->kind != PSIM_NODE_STEP || !n->duration.set
              || g_hash_table_contains (s->durations, n))
            continue;
          PsimDist *d = g_new0 (PsimDist, 1);
          d->min = n->duration.q.min;
          d->likely = n->duration.q.likely;
          d->max = n->duration.q.max;
          d->kind = d->min == d->max ? PSIM_DIST_FIXED : PSIM_DIST_TRIANGULAR;
          g_hash_table_insert (s->durations, n, d);
        }
    }
}

/* A resource's shifts: each ends after it starts, none overlaps another;
 * and the mean number of clerks over the office hours, for utilisation. */
static void
check_shifts (PsimSimResource *r, const PsimSimSpec *s, const char *file, const char *lang,
              GPtrArray *diags)
{
  for (guint i = 0; i < r->shifts->len; i++)
    {
      const PsimSimShift *a = &g_array_index (r->shifts, PsimSimShift, i);
      if (a->to <= a->from)
        psim_diag_add (diags, PSIM_SEVERITY_ERROR, file, a->line,
                       psim_gettext (lang, "resource '%s': <shift> must end after it starts"), r->id);
      for (guint j = 0; j < i; j++)
        {
          const PsimSimShift *b = &g_array_index (r->shifts, PsimSimShift, j);
          if (a->from < b->to && b->from < a->to)
            psim_diag_add (diags, PSIM_SEVERITY_ERROR, file, a->line,
                           psim_gettext (lang, "resource '%s': shifts must not overlap"), r->id);
        }
    }
  static const double default_hours[] = { 8, 12, 13, 17 };
  const double *hours = s->hours->len > 0 ? (const double *) (gpointer) s->hours->data : default_hours;
  guint n = s->hours->len > 0 ? s->hours->len / 2 : 2;
  double open = 0, clerk_hours = 0;
  for (guint k = 0; k < n; k++)
    {
      double from = hours[2 * k], to = hours[2 * k + 1];
      if (to <= from)
        continue;
      open += to - from;
      double covered = 0;
      for (guint i = 0; i < r->shifts->len; i++)
        {
          const PsimSimShift *sh = &g_array_index (r->shifts, PsimSimShift, i);
          double len = MIN (to, sh->to) - MAX (from, sh->from);
          if (len > 0)
            {
              covered += len;
              clerk_hours += len * sh->clerks;
            }
        }
      clerk_hours += (to - from - covered) * r->capacity;
    }
  r->mean_capacity = open > 0 ? clerk_hours / open : r->capacity;
  if (r->mean_capacity <= 0)
    psim_diag_add (diags, PSIM_SEVERITY_ERROR, file, r->line,
                   psim_gettext (lang, "resource '%s' has no clerk in any office hour"), r->id);
}

void
psim_sim_spec_check (PsimProcedure *proc, const char *lang, GPtrArray *diags)
{
  PsimSimSpec *s = psim_sim_spec_ensure (proc);
  const char *file = proc->file;
  default_durations (proc, s);
  read_holidays (proc, s, lang, diags);

  for (guint i = 1; i < s->hours->len / 2; i++)
    if (g_array_index (s->hours, double, 2 * i) < g_array_index (s->hours, double, 2 * i - 1))
      psim_diag_add (diags, PSIM_SEVERITY_ERROR, file, s->calendar_line,
                     psim_gettext (lang, "<calendar>: office hours must be in order and must not overlap"));
  for (guint i = 0; i < s->hours->len / 2; i++)
    if (g_array_index (s->hours, double, 2 * i + 1) <= g_array_index (s->hours, double, 2 * i))
      psim_diag_add (diags, PSIM_SEVERITY_ERROR, file, s->calendar_line,
                     psim_gettext (lang, "<calendar>: <hours> must end after it starts"));
  if (s->calendar_line > 0 && s->weekdays == 0)
    psim_diag_add (diags, PSIM_SEVERITY_ERROR, file, s->calendar_line,
                   psim_gettext (lang, "<calendar>: days names no working day (use mon tue wed thu fri sat sun)"));

  for (guint i = 0; i < s->provenance->len; i++)
    {
      const PsimSimProvenance *pv = &g_array_index (s->provenance, PsimSimProvenance, i);
      if (pv->source != NULL && !g_hash_table_contains (proc->source_index, pv->source))
        psim_diag_add (diags, PSIM_SEVERITY_ERROR, file, pv->line,
                       psim_gettext (lang, "<%s>: source '%s' is not a declared source"), pv->element,
                       pv->source);
      else if (pv->source == NULL && pv->sourced)
        psim_diag_add (diags, PSIM_SEVERITY_ERROR, file, pv->line,
                       psim_gettext (lang, "<%s> is marked sourced but names no source"), pv->element);
    }

  GHashTable *res_index = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < s->resources->len; i++)
    {
      PsimSimResource *r = g_ptr_array_index (s->resources, i);
      if (r->id != NULL && g_hash_table_contains (res_index, r->id))
        psim_diag_add (diags, PSIM_SEVERITY_ERROR, file, r->line,
                       psim_gettext (lang, "duplicate resource id '%s'"), r->id);
      else if (r->id != NULL)
        g_hash_table_insert (res_index, r->id, r);
      r->actor.target = r->actor.id != NULL ? g_hash_table_lookup (proc->actor_index, r->actor.id) : NULL;
      if (r->actor.target == NULL)
        psim_diag_add (diags, PSIM_SEVERITY_ERROR, file, r->line,
                       psim_gettext (lang, "resource '%s': actor '%s' is not a declared actor"), r->id, r->actor.id);
      check_shifts (r, s, file, lang, diags);
    }
  for (guint i = 0; i < s->services->len; i++)
    {
      PsimSimService *sv = g_ptr_array_index (s->services, i);
      sv->resource.target = sv->resource.id != NULL
        ? g_hash_table_lookup (res_index, sv->resource.id) : NULL;
      if (sv->resource.target == NULL)
        psim_diag_add (diags, PSIM_SEVERITY_ERROR, file, sv->line,
                       psim_gettext (lang, "service of step '%s': resource '%s' is not a declared resource"),
                       sv->step_id, sv->resource.id);
      gboolean found = FALSE;
      for (guint v = 0; v < proc->variants->len; v++)
        {
          const PsimVariant *var = g_ptr_array_index (proc->variants, v);
          if (sv->variant_id != NULL && g_strcmp0 (var->id, sv->variant_id) != 0)
            continue;
          const PsimNode *n = var->node_index != NULL && sv->step_id != NULL
            ? g_hash_table_lookup (var->node_index, sv->step_id) : NULL;
          found |= n != NULL && n->kind == PSIM_NODE_STEP;
        }
      if (!found)
        psim_diag_add (diags, PSIM_SEVERITY_ERROR, file, sv->line,
                       sv->variant_id != NULL
                         ? psim_gettext (lang, "service: '%s' is not a step of variant '%s'")
                         : psim_gettext (lang, "service: '%s' is not a step of any variant%s"),
                       sv->step_id, sv->variant_id != NULL ? sv->variant_id : "");
    }
  g_hash_table_unref (res_index);
  for (guint i = 0; i < s->samples->len; i++)
    {
      PsimSimSample *sm = g_ptr_array_index (s->samples, i);
      const PsimParam *p = sm->param.id != NULL
        ? g_hash_table_lookup (proc->param_index, sm->param.id) : NULL;
      sm->param.target = p;
      if (p == NULL)
        psim_diag_add (diags, PSIM_SEVERITY_ERROR, file, sm->line,
                       psim_gettext (lang, "sample: '%s' is not declared case data"), sm->param.id);
      else if (sm->is_probability && p->type != PSIM_PARAM_BOOLEAN)
        psim_diag_add (diags, PSIM_SEVERITY_ERROR, file, sm->line,
                       psim_gettext (lang, "sample '%s': a probability is for a boolean; give a distribution for a number"),
                       p->id);
      else if (!sm->is_probability && p->type != PSIM_PARAM_NUMBER)
        psim_diag_add (diags, PSIM_SEVERITY_ERROR, file, sm->line,
                       psim_gettext (lang, "sample '%s': a distribution is for a number; give a probability for a boolean"),
                       p->id);
    }
  if (s->arrivals == PSIM_ARRIVALS_PROFILE && s->profile->len == 0)
    psim_diag_add (diags, PSIM_SEVERITY_ERROR, file, s->arrivals_line,
                   psim_gettext (lang, "<arrivals> needs a rate, a list of times or <rate> elements"));
}

const PsimDist *
psim_step_get_duration_dist (const PsimNode *step)
{
  g_return_val_if_fail (step != NULL, NULL);
  PsimProcedure *proc = step->variant->proc;
  if (proc->sim == NULL)
    return NULL;
  return g_hash_table_lookup (proc->sim->durations, step);
}
