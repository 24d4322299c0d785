/* psim-session.c — the training engine (see psim-session.h).
 *
 * The state is the set of occurrences (steps of the ideal run) done; the
 * steps enabled are those not done whose predecessors all are. A step
 * prompt offers the enabled steps and the distractors declared for them;
 * once a step is done, the questions attached to it are asked in file
 * order. Everything the trainee did is an event with its points, and the
 * score and tally are sums over the events, kept up to date as they come.
 *
 * Options are ordered by a hash of the seed and the option's id: the order
 * depends on nothing else, so a checkpoint needs only the seed.
 */
#include "psim-train-private.h"

#include <json-glib/json-glib.h>
#include <procsim/psim-json.h>
#include <math.h>
#include <string.h>

G_DEFINE_QUARK (psim-session-error-quark, psim_session_error)

static const char *const event_kind_names[] = {
  "step", "wrong", "unnecessary", "out-of-order", "skipped", "hint", "right", "missed", NULL,
};

const char *
psim_event_kind_to_string (PsimEventKind kind)
{
  return (guint) kind < G_N_ELEMENTS (event_kind_names) - 1 ? event_kind_names[kind] : NULL;
}

gboolean
psim_event_kind_is_on_path (PsimEventKind kind)
{
  return kind == PSIM_EVENT_STEP || kind == PSIM_EVENT_SKIPPED || kind == PSIM_EVENT_UNNECESSARY;
}

static void
answer_free (Answer *a)
{
  g_free (a->input);
  g_free (a);
}

/* splitmix64 over FNV-1a of the id: a stable, well-spread order key. */
static guint64
option_key (guint64 seed, const char *id)
{
  guint64 h = 1469598103934665603ULL;
  for (const unsigned char *c = (const unsigned char *) id; *c != '\0'; c++)
    h = (h ^ *c) * 1099511628211ULL;
  guint64 z = h ^ (seed + 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

static gint
compare_options (gconstpointer a, gconstpointer b)
{
  const StepOption *x = a, *y = b;
  if (x->key != y->key)
    return x->key < y->key ? -1 : 1;
  return strcmp (x->id, y->id);
}

static const PsimOccurrence *
occ (const PsimSession *s, guint i)
{
  return &g_array_index (s->sc->occurrences, PsimOccurrence, i);
}

/* The position of @i in s->ready, or where it would go. */
static guint
ready_position (const PsimSession *s, guint i)
{
  guint lo = 0, hi = s->ready->len;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      if (g_array_index (s->ready, guint, mid) < i)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/* The successor lists (the predecessors turned round) and the steps
 * enabled at the start. */
static void
init_ready (PsimSession *s)
{
  guint n = s->sc->occurrences->len;
  s->waiting = g_new0 (guint, MAX (1, n));
  s->succ_start = g_new0 (guint, n + 1);
  for (guint i = 0; i < n; i++)
    {
      const GArray *preds = occ (s, i)->preds;
      s->waiting[i] = preds->len;
      for (guint p = 0; p < preds->len; p++)
        s->succ_start[g_array_index (preds, guint, p) + 1]++;
    }
  for (guint i = 0; i < n; i++)
    s->succ_start[i + 1] += s->succ_start[i];
  s->succ = g_new0 (guint, MAX (1, s->succ_start[n]));
  g_autofree guint *fill = g_memdup2 (s->succ_start, sizeof (guint) * (n + 1));
  for (guint i = 0; i < n; i++)
    {
      const GArray *preds = occ (s, i)->preds;
      for (guint p = 0; p < preds->len; p++)
        s->succ[fill[g_array_index (preds, guint, p)]++] = i;
    }
  s->ready = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint i = 0; i < n; i++)
    if (s->waiting[i] == 0)
      g_array_append_val (s->ready, i);
}

/* Occurrence @i is done: out of the steps enabled, and its successors
 * one predecessor nearer. */
static void
mark_done (PsimSession *s, guint i)
{
  s->done[i] = TRUE;
  guint at = ready_position (s, i);
  if (at < s->ready->len && g_array_index (s->ready, guint, at) == i)
    g_array_remove_index (s->ready, at);
  for (guint k = s->succ_start[i]; k < s->succ_start[i + 1]; k++)
    {
      guint j = s->succ[k];
      if (s->waiting[j] > 0 && --s->waiting[j] == 0 && !s->done[j])
        g_array_insert_val (s->ready, ready_position (s, j), j);
    }
}

static void
update_score (PsimSession *s)
{
  PsimScore *sc = &s->score;
  sc->max_score = s->sc->max_score;
  /* Points lost can outweigh points won while the run lasts; the final
   * score is at least 0. */
  sc->score = s->prompt == PSIM_PROMPT_FINISHED ? MAX (0, s->raw_score) : s->raw_score;
  sc->percent = sc->max_score > 0 ? 100.0 * MAX (0, sc->score) / sc->max_score : 100.0;
  double days = psim_elapsed_days (&s->tally.clock);
  sc->over_time = (s->sc->limit_days > 0 && days > s->sc->limit_days + 1e-9)
                  || (s->sc->limit_minutes > 0 && sc->real_ms > s->sc->limit_minutes * 60000.0);
  sc->passed = s->prompt == PSIM_PROMPT_FINISHED && !sc->over_time
               && sc->percent + 1e-9 >= s->sc->scoring.pass_mark;
}

/* Lays out the options of the next prompt, or finishes. */
static void
next_prompt (PsimSession *s)
{
  g_array_set_size (s->options, 0);
  g_array_set_size (s->q_order, 0);
  if (s->queue->len > 0)
    {
      s->prompt = PSIM_PROMPT_QUESTION;
      const PsimQuestion *q = g_ptr_array_index (s->queue, 0);
      g_autoptr (GArray) keyed = g_array_new (FALSE, FALSE, sizeof (StepOption));
      for (guint i = 0; i < q->options->len; i++)
        {
          const PsimOption *o = g_ptr_array_index (q->options, i);
          g_autofree char *salted = g_strconcat (q->id, "/", o->id, NULL);
          StepOption so = { .key = option_key (s->seed, salted), .id = o->id, .occurrence = (int) i };
          g_array_append_val (keyed, so);
        }
      g_array_sort (keyed, compare_options);
      for (guint i = 0; i < keyed->len; i++)
        {
          guint idx = (guint) g_array_index (keyed, StepOption, i).occurrence;
          g_array_append_val (s->q_order, idx);
        }
      return;
    }
  for (guint r = 0; r < s->ready->len; r++)
    {
      guint i = g_array_index (s->ready, guint, r);
      const PsimOccurrence *o = occ (s, i);
      StepOption so = { .id = psim_node_get_id (o->node), .occurrence = (int) i };
      so.key = option_key (s->seed, so.id);
      g_array_append_val (s->options, so);
      for (guint d = 0; d < o->distractors->len; d++)
        {
          const PsimDistractor *dis = g_ptr_array_index (o->distractors, d);
          gboolean used = FALSE;
          for (guint u = 0; u < s->used->len && !used; u++)
            used = g_ptr_array_index (s->used, u) == dis;
          if (used)
            continue;
          StepOption x = { .key = option_key (s->seed, dis->id), .id = dis->id,
                           .occurrence = -1, .distractor = dis };
          g_array_append_val (s->options, x);
        }
    }
  if (s->options->len == 0)
    s->prompt = PSIM_PROMPT_FINISHED;
  else
    {
      s->prompt = PSIM_PROMPT_STEP;
      g_array_sort (s->options, compare_options);
    }
}

static void
add_event (PsimSession *s, PsimEventKind kind, const char *ref, const PsimNode *step,
           const PsimQuestion *q, int points, Source src)
{
  const Answer *a = g_ptr_array_index (s->answers, s->answers->len - 1);
  PsimEvent e = { .kind = kind, .ref = ref, .step = step, .question = q, .points = points,
                  .answer = s->answers->len - 1, .real_ms = a->ms, .clock = s->tally.clock };
  g_array_append_val (s->events, e);
  g_array_append_val (s->sources, src);
  s->raw_score += points;
  PsimScore *sc = &s->score;
  switch (kind)
    {
    case PSIM_EVENT_STEP: sc->steps_right++; sc->step_points += points; break;
    case PSIM_EVENT_WRONG: sc->n_wrong++; sc->wrong_cost -= points; break;
    case PSIM_EVENT_UNNECESSARY: sc->n_unnecessary++; sc->unnecessary_cost -= points; break;
    case PSIM_EVENT_OUT_OF_ORDER: sc->n_out_of_order++; sc->out_of_order_cost -= points; break;
    case PSIM_EVENT_SKIPPED: sc->steps_skipped++; sc->skipped_cost -= points; break;
    case PSIM_EVENT_HINT: sc->n_hints++; sc->hint_cost -= points; break;
    case PSIM_EVENT_RIGHT: sc->questions_right++; sc->questions_asked++; sc->question_points += points; break;
    case PSIM_EVENT_MISSED: default: sc->questions_asked++; break;
    }
}

static void
update_clock (PsimSession *s)
{
  s->tally.clock = s->reached;
  psim_elapsed_add (&s->tally.clock, &s->detour);
}

/* Occurrence @i is done, right (@kind STEP) or revealed (SKIPPED). */
static void
complete (PsimSession *s, guint i, PsimEventKind kind)
{
  const PsimOccurrence *o = occ (s, i);
  mark_done (s, i);
  s->n_done++;
  s->last_step = o->node;
  PsimTally *t = &s->tally;
  t->steps++;
  t->actions++;
  t->visits += psim_step_is_visit (o->node);
  t->documents += o->documents;
  t->fees += o->fees;
  if (psim_elapsed_days (&o->finish) > psim_elapsed_days (&s->reached))
    s->reached = o->finish;
  update_clock (s);
  const PsimScoring *sc = &s->sc->scoring;
  add_event (s, kind, psim_node_get_id (o->node), o->node, NULL,
             kind == PSIM_EVENT_STEP ? sc->step : -sc->skipped, (Source) { 0 });
  g_ptr_array_set_size (s->used, 0);
  s->wrong_here = 0;
  s->hint_here = FALSE;
  for (guint q = 0; q < o->questions->len; q++)
    g_ptr_array_add (s->queue, g_ptr_array_index (o->questions, q));
}

static int
first_enabled (const PsimSession *s)
{
  return s->ready->len > 0 ? (int) g_array_index (s->ready, guint, 0) : -1;
}

static const PsimHint *
current_hint (const PsimSession *s)
{
  if (s->prompt != PSIM_PROMPT_STEP || s->hint_here)
    return NULL;
  for (guint r = 0; r < s->ready->len; r++)
    if (occ (s, g_array_index (s->ready, guint, r))->hint != NULL)
      return occ (s, g_array_index (s->ready, guint, r))->hint;
  return NULL;
}

/* Parses "3" (1-based, of @n) or an id found by @lookup. -1 if neither. */
static int
parse_choice (const char *token, guint n, int (*lookup) (const PsimSession *, const char *),
              const PsimSession *s)
{
  char *end = NULL;
  guint64 v = g_ascii_strtoull (token, &end, 10);
  if (end != token && *end == '\0')
    return v >= 1 && v <= n ? (int) v - 1 : -1;
  return lookup (s, token);
}

static int
lookup_step_option (const PsimSession *s, const char *id)
{
  for (guint i = 0; i < s->options->len; i++)
    if (strcmp (g_array_index (s->options, StepOption, i).id, id) == 0)
      return (int) i;
  return -1;
}

/* How much of a refused answer its message quotes. */
#define ECHO_MAX 80

static gboolean
answer_step (PsimSession *s, const char *input, GError **error)
{
  const PsimScoring *scoring = &s->sc->scoring;
  if (g_ascii_strcasecmp (input, "hint") == 0)
    {
      const PsimHint *h = current_hint (s);
      if (h == NULL)
        {
          g_set_error (error, PSIM_SESSION_ERROR, PSIM_SESSION_ERROR_INPUT,
                       psim_gettext (s->lang, "there is no hint here"));
          return FALSE;
        }
      s->hint_here = TRUE;
      add_event (s, PSIM_EVENT_HINT, h->at, NULL, NULL, -h->cost, (Source) { .hint = h });
      return TRUE;
    }
  if (g_ascii_strcasecmp (input, "skip") == 0)
    {
      complete (s, (guint) first_enabled (s), PSIM_EVENT_SKIPPED);
      return TRUE;
    }
  int k = parse_choice (input, s->options->len, lookup_step_option, s);
  if (k < 0)
    {
      g_autofree char *shown = psim_excerpt (input, ECHO_MAX);
      g_set_error (
          error, PSIM_SESSION_ERROR, PSIM_SESSION_ERROR_INPUT,
          psim_gettext (s->lang, "\"%s\" is not one of the options: type a number from 1 to %u"),
          shown, s->options->len);
      return FALSE;
    }
  StepOption o = g_array_index (s->options, StepOption, k);
  if (o.occurrence >= 0)
    {
      complete (s, (guint) o.occurrence, PSIM_EVENT_STEP);
      return TRUE;
    }
  const PsimDistractor *d = o.distractor;
  PsimEventKind kind = d->kind == PSIM_DISTRACTOR_UNNECESSARY    ? PSIM_EVENT_UNNECESSARY
                       : d->kind == PSIM_DISTRACTOR_OUT_OF_ORDER ? PSIM_EVENT_OUT_OF_ORDER
                                                                 : PSIM_EVENT_WRONG;
  s->tally.actions++;
  if (kind == PSIM_EVENT_UNNECESSARY && d->step != NULL)
    {
      /* The trainee went there: the visit and the time are spent. */
      s->tally.visits += psim_step_is_visit (d->step);
      psim_elapsed_add_step (&s->detour, d->step);
      update_clock (s);
    }
  g_ptr_array_add (s->used, (gpointer) d);
  s->wrong_here++;
  add_event (s, kind, d->id, d->step, NULL, -d->cost, (Source) { .distractor = d });
  if ((int) s->wrong_here >= scoring->attempts)
    complete (s, (guint) first_enabled (s), PSIM_EVENT_SKIPPED);
  return TRUE;
}

static const PsimQuestion *
current_question (const PsimSession *s)
{
  return s->prompt == PSIM_PROMPT_QUESTION ? g_ptr_array_index (s->queue, 0) : NULL;
}

static int
lookup_question_option (const PsimSession *s, const char *id)
{
  const PsimQuestion *q = current_question (s);
  for (guint i = 0; i < s->q_order->len; i++)
    {
      const PsimOption *o = g_ptr_array_index (q->options, g_array_index (s->q_order, guint, i));
      if (strcmp (o->id, id) == 0)
        return (int) i;
    }
  return -1;
}

/* Numbers as people type them: "64000000", "64,000,000", "64 000 000",
 * "0.5", and the Vietnamese way, "64.000.000", "1.234,5" or "0,5".
 *
 * The decimal separator is the one of '.' and ',' that comes last when
 * both are used; alone, either is a decimal separator when it appears once
 * (but a single ',' followed by exactly three digits after a whole number
 * other than 0 groups thousands: "1,500"), and groups thousands when it
 * appears more than once. Spaces and '_' group thousands too. Groups after
 * the first have exactly three digits. Nothing else is a number: no hex,
 * no exponent, no "6,4,0". */
static gboolean
parse_number (const char *input, double *out)
{
  const char *p = input;
  gboolean negative = FALSE;
  if (*p == '+' || *p == '-')
    negative = *p++ == '-';
  guint dots = 0, commas = 0;
  const char *last_dot = NULL, *last_comma = NULL;
  for (const char *c = p; *c != '\0'; c++)
    {
      if (*c == '.')
        dots++, last_dot = c;
      else if (*c == ',')
        commas++, last_comma = c;
      else if (!g_ascii_isdigit (*c) && *c != ' ' && *c != '_')
        return FALSE;
    }
  char decimal = '\0';
  if (dots > 0 && commas > 0)
    decimal = last_dot > last_comma ? '.' : ',';
  else if (dots == 1)
    decimal = '.';
  else if (commas == 1)
    {
      guint after = 0;
      for (const char *c = last_comma + 1; g_ascii_isdigit (*c); c++)
        after++;
      gboolean zero = last_comma - p == 1 && *p == '0';
      decimal = after == 3 && last_comma > p && !zero && last_comma[1 + after] == '\0' ? '\0' : ',';
    }
  if (decimal != '\0' && (decimal == '.' ? dots : commas) != 1)
    return FALSE;

  /* The whole part, in groups; the fraction, digits only. */
  const char *sep = decimal != '\0' ? strchr (p, decimal) : NULL;
  g_autofree char *whole = sep != NULL ? g_strndup (p, sep - p) : g_strdup (p);
  const char *fraction = sep != NULL ? sep + 1 : "";
  g_autoptr (GString) digits = g_string_new (negative ? "-" : "");
  guint groups = 0, group = 0, first = 0;
  for (const char *c = whole;; c++)
    {
      if (g_ascii_isdigit (*c))
        {
          g_string_append_c (digits, *c);
          group++;
          continue;
        }
      /* the end of a group */
      if (group == 0 || (groups > 0 && group != 3))
        return FALSE;
      if (groups++ == 0)
        first = group;
      group = 0;
      if (*c == '\0')
        break;
    }
  if (groups > 1 && first > 3)
    return FALSE;
  if (sep != NULL)
    {
      if (*fraction == '\0')
        return FALSE;
      g_string_append_c (digits, '.');
      for (const char *c = fraction; *c != '\0'; c++)
        {
          if (!g_ascii_isdigit (*c))
            return FALSE;
          g_string_append_c (digits, *c);
        }
    }
  char *end = NULL;
  double v = g_ascii_strtod (digits->str, &end);
  if (*end != '\0' || !isfinite (v))
    return FALSE;
  *out = v;
  return TRUE;
}

/* @input without the unit typed after the number, lower-cased: the
 * question's unit ("16,000,000 VND"), and for an amount in VND the other
 * ways of writing the currency ("16.000.000 đ", "₫", "đồng", "VNĐ").
 * (transfer full) */
static char *
without_unit (const char *input, const char *unit)
{
  static const char *const dong[] = { "vnd", "vnđ", "đồng", "dong", "đ", "₫", NULL };
  g_autofree char *nfc = g_utf8_normalize (input, -1, G_NORMALIZE_NFC);
  char *folded = g_utf8_casefold (nfc != NULL ? nfc : input, -1);
  g_autofree char *unit_folded = unit != NULL ? g_utf8_casefold (unit, -1) : NULL;
  gboolean vnd = unit_folded != NULL && strcmp (unit_folded, "vnd") == 0;
  g_strchomp (folded);
  if (unit_folded != NULL && *unit_folded != '\0' && g_str_has_suffix (folded, unit_folded))
    folded[strlen (folded) - strlen (unit_folded)] = '\0';
  else
    for (guint i = 0; vnd && dong[i] != NULL; i++)
      if (g_str_has_suffix (folded, dong[i]))
        {
          folded[strlen (folded) - strlen (dong[i])] = '\0';
          break;
        }
  return g_strchomp (folded);
}

static gboolean
answer_question (PsimSession *s, const char *input, GError **error)
{
  const PsimQuestion *q = current_question (s);
  gboolean right = FALSE;
  Source src = { 0 };
  if (g_ascii_strcasecmp (input, "skip") == 0)
    right = FALSE;
  else if (q->kind == PSIM_QUESTION_NUMBER)
    {
      double v = 0;
      g_autofree char *number = without_unit (input, q->unit);
      if (!parse_number (number, &v))
        {
          g_autofree char *shown = psim_excerpt (input, ECHO_MAX);
          g_set_error (error, PSIM_SESSION_ERROR, PSIM_SESSION_ERROR_INPUT,
                       psim_gettext (s->lang, "\"%s\" is not a number"), shown);
          return FALSE;
        }
      right = fabs (v - q->answer) <= q->tolerance + 1e-9 * fabs (q->answer);
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      src.response = g_strdup (g_ascii_dtostr (buf, sizeof buf, v));
    }
  else
    {
      g_auto (GStrv) tokens = g_strsplit (input, ",", -1);
      guint n = q->options->len;
      g_autofree gboolean *chosen = g_new0 (gboolean, n);
      g_autoptr (GArray) seq = g_array_new (FALSE, FALSE, sizeof (guint));
      for (guint i = 0; tokens[i] != NULL; i++)
        {
          char *t = g_strstrip (tokens[i]);
          if (*t == '\0')
            continue;
          int k = parse_choice (t, n, lookup_question_option, s);
          if (k < 0)
            {
              g_autofree char *token = psim_excerpt (t, ECHO_MAX);
              g_set_error (
                  error, PSIM_SESSION_ERROR, PSIM_SESSION_ERROR_INPUT,
                  psim_gettext (s->lang,
                                "\"%s\" is not one of the options: type a number from 1 to %u"),
                  token, n);
              return FALSE;
            }
          guint idx = g_array_index (s->q_order, guint, k);
          if (!chosen[idx])
            g_array_append_val (seq, idx);
          chosen[idx] = TRUE;
        }
      if (seq->len == 0 || (q->kind == PSIM_QUESTION_SINGLE && seq->len != 1))
        {
          g_set_error (error, PSIM_SESSION_ERROR, PSIM_SESSION_ERROR_INPUT,
                       q->kind == PSIM_QUESTION_SINGLE
                           ? psim_gettext (s->lang, "choose one option")
                           : psim_gettext (s->lang, "choose one or more options, "
                                                    "separated by commas"));
          return FALSE;
        }
      if (q->kind == PSIM_QUESTION_ORDER && seq->len != n)
        {
          g_set_error (error, PSIM_SESSION_ERROR, PSIM_SESSION_ERROR_INPUT,
                       psim_gettext (s->lang, "put all %u options in order, separated by commas"),
                       n);
          return FALSE;
        }
      right = TRUE;
      for (guint i = 0; i < n; i++)
        {
          const PsimOption *o = g_ptr_array_index (q->options, i);
          if (q->kind == PSIM_QUESTION_ORDER)
            right &= g_array_index (seq, guint, i) == i;
          else
            right &= chosen[i] == o->correct;
        }
      if (q->kind == PSIM_QUESTION_SINGLE)
        src.option = g_ptr_array_index (q->options, g_array_index (seq, guint, 0));
      /* xAPI's form of a choice or sequencing response: ids joined by "[,]". */
      g_autoptr (GString) response = g_string_new (NULL);
      for (guint i = 0; i < seq->len; i++)
        {
          const PsimOption *o = g_ptr_array_index (q->options, g_array_index (seq, guint, i));
          g_string_append_printf (response, "%s%s", i > 0 ? "[,]" : "", o->id);
        }
      src.response = g_string_free (g_steal_pointer (&response), FALSE);
    }
  g_ptr_array_remove_index (s->queue, 0);
  add_event (s, right ? PSIM_EVENT_RIGHT : PSIM_EVENT_MISSED, q->id, NULL, q,
             right ? q->points : 0, src);
  return TRUE;
}

static void
source_clear (gpointer data)
{
  Source *src = data;
  g_clear_pointer (&src->response, g_free);
}

PsimSession *
psim_session_new (PsimScenario *sc, guint64 seed)
{
  g_return_val_if_fail (sc != NULL, NULL);
  PsimSession *s = g_new0 (PsimSession, 1);
  s->sc = psim_scenario_ref (sc);
  s->seed = seed;
  s->lang = psim_lang_normalize (NULL);
  s->answers = g_ptr_array_new_with_free_func ((GDestroyNotify) answer_free);
  s->events = g_array_new (FALSE, TRUE, sizeof (PsimEvent));
  s->sources = g_array_new (FALSE, TRUE, sizeof (Source));
  g_array_set_clear_func (s->sources, source_clear);
  s->done = g_new0 (gboolean, MAX (1, sc->occurrences->len));
  init_ready (s);
  s->options = g_array_new (FALSE, FALSE, sizeof (StepOption));
  s->used = g_ptr_array_new ();
  s->queue = g_ptr_array_new ();
  s->q_order = g_array_new (FALSE, FALSE, sizeof (guint));
  next_prompt (s);
  update_score (s);
  return s;
}

void
psim_session_free (PsimSession *s)
{
  if (s == NULL)
    return;
  psim_scenario_unref (s->sc);
  g_free (s->id);
  g_free (s->actor);
  g_free (s->home_page);
  g_ptr_array_unref (s->answers);
  g_array_unref (s->events);
  g_array_unref (s->sources);
  g_free (s->done);
  g_free (s->waiting);
  g_free (s->succ_start);
  g_free (s->succ);
  g_array_unref (s->ready);
  g_array_unref (s->options);
  g_ptr_array_unref (s->used);
  g_ptr_array_unref (s->queue);
  g_array_unref (s->q_order);
  g_free (s);
}

gboolean
psim_session_answer (PsimSession *s, const char *input, gint64 real_ms, GError **error)
{
  g_return_val_if_fail (s != NULL && input != NULL, FALSE);
  if (s->prompt == PSIM_PROMPT_FINISHED)
    {
      g_set_error (error, PSIM_SESSION_ERROR, PSIM_SESSION_ERROR_FINISHED,
                   psim_gettext (s->lang, "the session is over"));
      return FALSE;
    }
  if (strlen (input) > PSIM_SESSION_MAX_ANSWER_BYTES)
    {
      g_set_error (error, PSIM_SESSION_ERROR, PSIM_SESSION_ERROR_INPUT,
                   psim_gettext (s->lang, "the answer is longer than %u bytes"),
                   PSIM_SESSION_MAX_ANSWER_BYTES);
      return FALSE;
    }
  g_autofree char *clean = g_strstrip (g_strdup (input));
  if (*clean == '\0')
    {
      g_set_error (error, PSIM_SESSION_ERROR, PSIM_SESSION_ERROR_INPUT,
                   psim_gettext (s->lang, "no answer given"));
      return FALSE;
    }
  Answer *a = g_new0 (Answer, 1);
  a->input = g_strdup (clean);
  a->ms = CLAMP (real_ms, 0, PSIM_SESSION_MAX_ANSWER_MS);
  g_ptr_array_add (s->answers, a);
  gboolean ok = s->prompt == PSIM_PROMPT_STEP ? answer_step (s, clean, error)
                                              : answer_question (s, clean, error);
  if (!ok)
    {
      g_ptr_array_set_size (s->answers, s->answers->len - 1);
      return FALSE;
    }
  s->score.real_ms += a->ms;
  next_prompt (s);
  update_score (s);
  return TRUE;
}

/* ---- getters ------------------------------------------------------------- */

PsimScenario *psim_session_get_scenario (const PsimSession *s) { return s->sc; }
guint64 psim_session_get_seed (const PsimSession *s) { return s->seed; }

void
psim_session_set_language (PsimSession *s, const char *lang)
{
  g_return_if_fail (s != NULL);
  s->lang = psim_lang_normalize (lang);
}

const char *
psim_session_get_language (const PsimSession *s)
{
  g_return_val_if_fail (s != NULL, "en");
  return s->lang;
}
const char *psim_session_get_id (const PsimSession *s) { return s->id; }
const char *psim_session_get_actor (const PsimSession *s) { return s->actor; }
gint64 psim_session_get_started (const PsimSession *s) { return s->started; }
PsimPromptKind psim_session_get_prompt (const PsimSession *s) { return s->prompt; }
const PsimTally *psim_session_get_tally (const PsimSession *s) { return &s->tally; }
const PsimNode *psim_session_get_last_step (const PsimSession *s) { return s->last_step; }
const PsimScore *psim_session_get_score (const PsimSession *s) { return &s->score; }
guint psim_session_get_n_answers (const PsimSession *s) { return s->answers->len; }
guint psim_session_get_n_events (const PsimSession *s) { return s->events->len; }

void
psim_session_set_identity (PsimSession *s, const char *id, const char *actor, gint64 started)
{
  g_return_if_fail (s != NULL);
  g_free (s->id);
  g_free (s->actor);
  s->id = g_strdup (id);
  s->actor = g_strdup (actor);
  s->started = started;
}

void
psim_session_set_home_page (PsimSession *s, const char *iri)
{
  g_return_if_fail (s != NULL);
  g_free (s->home_page);
  s->home_page = g_strdup (iri);
}

const char *
psim_session_get_home_page (const PsimSession *s)
{
  return s->home_page;
}

void
psim_session_set_scripted (PsimSession *s, gboolean scripted)
{
  g_return_if_fail (s != NULL);
  s->scripted = scripted;
}

gboolean
psim_session_get_scripted (const PsimSession *s)
{
  g_return_val_if_fail (s != NULL, FALSE);
  return s->scripted;
}

guint
psim_session_get_step_number (const PsimSession *s)
{
  /* The questions on a step are asked while the trainee is still at it. */
  return s->n_done + (s->prompt == PSIM_PROMPT_STEP ? 1 : 0);
}

const char *
psim_session_get_answer (const PsimSession *s, guint i)
{
  g_return_val_if_fail (i < s->answers->len, NULL);
  return ((const Answer *) g_ptr_array_index (s->answers, i))->input;
}

const PsimEvent *
psim_session_get_event (const PsimSession *s, guint i)
{
  g_return_val_if_fail (i < s->events->len, NULL);
  return &g_array_index (s->events, PsimEvent, i);
}

const char *
psim_session_get_event_feedback (const PsimSession *s, guint i, const char *lang)
{
  g_return_val_if_fail (i < s->events->len, NULL);
  const PsimEvent *e = &g_array_index (s->events, PsimEvent, i);
  const Source *src = &g_array_index (s->sources, Source, i);
  if (src->distractor != NULL)
    return psim_texts_get (src->distractor->feedback, lang);
  if (src->hint != NULL)
    return psim_texts_get (src->hint->texts, lang);
  if (e->question != NULL)
    {
      if (src->option != NULL && src->option->feedback->len > 0)
        return psim_texts_get (src->option->feedback, lang);
      return psim_texts_get (e->question->feedback, lang);
    }
  return NULL;
}

guint
psim_session_get_n_options (const PsimSession *s)
{
  return s->prompt == PSIM_PROMPT_STEP ? s->options->len : s->q_order->len;
}

const char *
psim_session_get_option_id (const PsimSession *s, guint i)
{
  g_return_val_if_fail (i < psim_session_get_n_options (s), NULL);
  if (s->prompt == PSIM_PROMPT_STEP)
    return g_array_index (s->options, StepOption, i).id;
  const PsimQuestion *q = g_ptr_array_index (s->queue, 0);
  return ((const PsimOption *) g_ptr_array_index (q->options, g_array_index (s->q_order, guint, i)))
      ->id;
}

const char *
psim_session_get_option_label (const PsimSession *s, guint i, const char *lang)
{
  g_return_val_if_fail (i < psim_session_get_n_options (s), NULL);
  if (s->prompt == PSIM_PROMPT_QUESTION)
    {
      const PsimQuestion *q = current_question (s);
      const PsimOption *o = g_ptr_array_index (q->options, g_array_index (s->q_order, guint, i));
      return psim_texts_get (o->labels, lang);
    }
  const StepOption *o = &g_array_index (s->options, StepOption, i);
  if (o->occurrence >= 0)
    return psim_node_get_name (occ (s, (guint) o->occurrence)->node, lang);
  if (o->distractor->labels->len > 0)
    return psim_texts_get (o->distractor->labels, lang);
  return psim_node_get_name (o->distractor->step, lang);
}

const PsimQuestion *
psim_session_get_question (const PsimSession *s)
{
  return current_question (s);
}

const char *
psim_session_get_hint (const PsimSession *s, const char *lang, int *cost)
{
  const PsimHint *h = current_hint (s);
  if (h == NULL)
    return NULL;
  if (cost != NULL)
    *cost = h->cost;
  return psim_texts_get (h->texts, lang);
}

char *
psim_session_dup_ideal_answer (const PsimSession *s)
{
  if (s->prompt == PSIM_PROMPT_FINISHED)
    return NULL;
  if (s->prompt == PSIM_PROMPT_STEP)
    return g_strdup (psim_node_get_id (occ (s, (guint) first_enabled (s))->node));
  const PsimQuestion *q = g_ptr_array_index (s->queue, 0);
  if (q->kind == PSIM_QUESTION_NUMBER)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      return g_strdup (g_ascii_dtostr (buf, sizeof buf, q->answer));
    }
  g_autoptr (GString) out = g_string_new (NULL);
  for (guint i = 0; i < q->options->len; i++)
    {
      const PsimOption *o = g_ptr_array_index (q->options, i);
      if (q->kind != PSIM_QUESTION_ORDER && !o->correct)
        continue;
      if (out->len > 0)
        g_string_append_c (out, ',');
      g_string_append (out, o->id);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
psim_session_dup_ideal_answer_typed (const PsimSession *s)
{
  g_autofree char *ideal = psim_session_dup_ideal_answer (s);
  if (ideal == NULL)
    return NULL;
  const PsimQuestion *q = current_question (s);
  if (q != NULL && q->kind == PSIM_QUESTION_NUMBER)
    return g_steal_pointer (&ideal);
  g_auto (GStrv) ids = g_strsplit (ideal, ",", -1);
  g_autoptr (GString) out = g_string_new (NULL);
  for (guint k = 0; ids[k] != NULL; k++)
    for (guint i = 0; i < psim_session_get_n_options (s); i++)
      if (strcmp (psim_session_get_option_id (s, i), ids[k]) == 0)
        g_string_append_printf (out, "%s%u", out->len > 0 ? "," : "", i + 1);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

const char *
psim_session_get_option_feedback (const PsimSession *s, guint i, const char *lang)
{
  g_return_val_if_fail (i < psim_session_get_n_options (s), NULL);
  if (s->prompt != PSIM_PROMPT_STEP)
    return NULL;
  const StepOption *o = &g_array_index (s->options, StepOption, i);
  return o->distractor != NULL ? psim_texts_get (o->distractor->feedback, lang) : NULL;
}

const char *
psim_session_get_event_label (const PsimSession *s, guint i, const char *lang)
{
  g_return_val_if_fail (i < s->events->len, NULL);
  const PsimEvent *e = &g_array_index (s->events, PsimEvent, i);
  const Source *src = &g_array_index (s->sources, Source, i);
  if (src->distractor != NULL)
    return src->distractor->labels->len > 0 ? psim_texts_get (src->distractor->labels, lang)
                                             : psim_node_get_name (src->distractor->step, lang);
  if (src->hint != NULL)
    return psim_texts_get (src->hint->texts, lang);
  if (e->question != NULL)
    return psim_texts_get (e->question->prompt, lang);
  return e->step != NULL ? psim_node_get_name (e->step, lang) : e->ref;
}

const char *
psim_session_get_event_response (const PsimSession *s, guint i)
{
  g_return_val_if_fail (i < s->events->len, NULL);
  return g_array_index (s->sources, Source, i).response;
}
