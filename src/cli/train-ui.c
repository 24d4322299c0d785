/* train-ui.c — the terminal trainer's screens (see train-ui.h). Texts are
 * wrapped to the terminal's width, two columns short of it (78 on an
 * 80-column terminal), and asked for again at every paragraph, so that a
 * terminal made narrower or wider is followed.
 */
#include "train-ui.h"

#include <math.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

enum { BOLD, GREEN, RED, YELLOW, DIM, N_STYLES };
static const char *const styles[N_STYLES] = { "\033[1m", "\033[32m", "\033[31m", "\033[33m", "\033[2m" };

void
train_ui_init (TrainUi *ui, const char *lang, FILE *out)
{
  ui->lang = lang;
  ui->out = out;
  const char *term = g_getenv ("TERM");
  ui->colour = isatty (fileno (out)) && g_getenv ("NO_COLOR") == NULL && term != NULL
               && strcmp (term, "dumb") != 0;
}

guint
train_ui_columns (FILE *out)
{
  struct winsize ws;
  if (isatty (fileno (out)) && ioctl (fileno (out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
    return ws.ws_col;
  const char *env = g_getenv ("COLUMNS");
  char *end = NULL;
  guint64 n = env != NULL ? g_ascii_strtoull (env, &end, 10) : 0;
  if (env != NULL && end != env && *end == '\0' && n > 0 && n < 10000)
    return (guint) n;
  return 80;
}

guint
train_ui_width (const TrainUi *ui)
{
  return MAX (train_ui_columns (ui->out), 32) - 2;
}

static const char *
on (const TrainUi *ui, int style)
{
  return ui->colour ? styles[style] : "";
}

static const char *
off (const TrainUi *ui)
{
  return ui->colour ? "\033[0m" : "";
}

/* Prints @text wrapped, each line indented by @indent spaces. */
static void
para (const TrainUi *ui, guint indent, const char *text)
{
  if (text == NULL || *text == '\0')
    return;
  g_autoptr (GString) in = g_string_new (NULL);
  for (guint i = 0; i < indent; i++)
    g_string_append_c (in, ' ');
  g_string_append (in, text);
  g_autofree char *wrapped = psim_format_wrap (in->str, train_ui_width (ui));
  fprintf (ui->out, "%s\n", wrapped);
}

static void
heading (const TrainUi *ui, const char *text)
{
  fprintf (ui->out, "\n%s== %s ==%s\n", on (ui, BOLD), text, off (ui));
}

/* "7 days", "1.5 days" (simulated: working and calendar days added, hours
 * counted 8 to a day). */
static char *
days (double d, const char *lang)
{
  g_autofree char *n = psim_format_decimal (d, lang);
  return g_strdup_printf (ngettext ("%s day", "%s days", d == 1 ? 1 : 2), n);
}

static char *
money (double amount, const char *lang)
{
  g_autofree char *n = psim_format_amount (amount, lang);
  return g_strdup_printf ("%s VND", n);
}

static char *
points (int p)
{
  return p > 0 ? g_strdup_printf ("+%d", p) : p < 0 ? g_strdup_printf ("−%d", -p) : g_strdup ("0");
}

void
train_ui_para (const TrainUi *ui, guint indent, const char *text)
{
  para (ui, indent, text);
}

/* "You are: …" and "The case: …", when the scenario says. */
static void
persona_and_case (const TrainUi *ui, const PsimScenario *sc)
{
  const char *lang = ui->lang;
  const char *persona = psim_scenario_get_persona (sc, lang);
  if (persona != NULL)
    {
      const char *role = psim_scenario_get_role (sc, lang);
      g_autofree char *you = role != NULL ? g_strdup_printf (_("You are: %s, %s"), persona, role)
                                          : g_strdup_printf (_("You are: %s"), persona);
      para (ui, 0, you);
    }
  const char *cased = psim_scenario_get_case_description (sc, lang);
  if (cased != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The case: %s"), cased);
      para (ui, 0, text);
    }
}

void
train_ui_briefing (const TrainUi *ui, const PsimSession *s)
{
  const PsimScenario *sc = psim_session_get_scenario (s);
  const char *lang = ui->lang;
  fprintf (ui->out, "%s%s%s\n", on (ui, BOLD), psim_scenario_get_title (sc, lang), off (ui));
  const PsimVariant *v = psim_scenario_get_variant (sc);
  g_autofree char *on_variant = g_strdup_printf (
    _("Procedure: %s — %s"), psim_procedure_get_title (psim_scenario_get_procedure (sc), lang),
    psim_variant_get_title (v, lang));
  para (ui, 0, on_variant);
  heading (ui, _("Briefing"));
  para (ui, 0, psim_scenario_get_briefing (sc, lang));
  if (psim_scenario_get_persona (sc, lang) != NULL)
    fputc ('\n', ui->out);
  persona_and_case (ui, sc);
}

void
train_ui_rules (const TrainUi *ui, const PsimSession *s)
{
  const PsimScenario *sc = psim_session_get_scenario (s);
  const char *lang = ui->lang;
  guint n = psim_scenario_get_n_objectives (sc);
  if (n > 0)
    {
      heading (ui, _("Objectives"));
      for (guint i = 0; i < n; i++)
        {
          g_autofree char *item = g_strdup_printf ("- %s", psim_scenario_get_objective (sc, i, lang));
          para (ui, 2, item);
        }
    }
  const PsimScoring *r = psim_scenario_get_scoring (sc);
  heading (ui, _("How it works"));
  g_autofree char *rules = g_strdup_printf (
    _("At each point choose what happens next: type the option's number. A step done right "
      "earns %d points; a wrong action costs %d, a step the reform made unnecessary %d, a step "
      "out of order %d, a step you skip %d. Type h for a hint (it costs points), s to skip, c "
      "to see the case again, q to save and stop. Full marks: %d; the pass mark is %d %%."),
    r->step, r->wrong, r->unnecessary, r->out_of_order, r->skipped,
    psim_scenario_get_max_score (sc), r->pass_mark);
  para (ui, 0, rules);
  double limit = psim_scenario_get_time_limit_days (sc);
  if (limit > 0)
    {
      g_autofree char *d = days (limit, lang);
      g_autofree char *text = g_strdup_printf (_("Time limit: %s on the simulated clock."), d);
      para (ui, 0, text);
    }
  double minutes = psim_scenario_get_time_limit_minutes (sc);
  if (minutes > 0)
    {
      g_autofree char *m = psim_format_decimal (minutes, lang);
      g_autofree char *text = g_strdup_printf (_("Time limit: %s minutes."), m);
      para (ui, 0, text);
    }
}

void
train_ui_case (const TrainUi *ui, const PsimSession *s)
{
  const PsimScenario *sc = psim_session_get_scenario (s);
  fprintf (ui->out, "\n%s%s%s\n", on (ui, BOLD), psim_scenario_get_title (sc, ui->lang), off (ui));
  persona_and_case (ui, sc);
}

void
train_ui_hint_again (const TrainUi *ui, const PsimSession *s, guint event)
{
  fprintf (ui->out, "%s", on (ui, YELLOW));
  para (ui, 0, _("The hint again (no further cost):"));
  fprintf (ui->out, "%s", off (ui));
  para (ui, 2, psim_session_get_event_feedback (s, event, ui->lang));
}

static void
status_line (const TrainUi *ui, const PsimSession *s)
{
  const PsimScenario *sc = psim_session_get_scenario (s);
  const PsimTally *t = psim_session_get_tally (s);
  g_autofree char *clock = psim_format_decimal (psim_elapsed_days (&t->clock), ui->lang);
  g_autofree char *fees = money (t->fees, ui->lang);
  g_autofree char *visits = g_strdup_printf (ngettext ("%u visit", "%u visits", t->visits), t->visits);
  /* TRANSLATORS: the trainer's status line: "Step 2 of 6 | day 1.5 | 1 visit | 1,000 VND paid" */
  g_autofree char *line = g_strdup_printf (_("Step %u of %u | day %s | %s | %s paid | score %d"),
                                           psim_session_get_step_number (s),
                                           psim_scenario_get_n_path_steps (sc), clock, visits, fees,
                                           psim_session_get_score (s)->score);
  /* Too long for the terminal (Vietnamese words are longer): broken at
   * the separators, never inside a figure. */
  g_autofree char *framed = g_strdup_printf ("-- %s --", line);
  g_auto (GStrv) parts = g_strsplit (framed, " | ", -1);
  g_autoptr (GString) out = g_string_new (parts[0]);
  glong col = g_utf8_strlen (parts[0], -1);
  for (guint i = 1; parts[i] != NULL; i++)
    {
      glong len = g_utf8_strlen (parts[i], -1);
      if (col + 3 + len > (glong) train_ui_width (ui))
        {
          g_string_append (out, " |\n   ");
          col = 3;
        }
      else
        {
          g_string_append (out, " | ");
          col += 3;
        }
      g_string_append (out, parts[i]);
      col += len;
    }
  fprintf (ui->out, "\n%s%s%s\n", on (ui, DIM), out->str, off (ui));
}

void
train_ui_prompt (const TrainUi *ui, const PsimSession *s)
{
  const char *lang = ui->lang;
  if (psim_session_get_prompt (s) == PSIM_PROMPT_FINISHED)
    return;
  status_line (ui, s);
  if (psim_session_get_prompt (s) == PSIM_PROMPT_STEP)
    {
      const PsimNode *last = psim_session_get_last_step (s);
      if (last != NULL)
        {
          g_autofree char *done = g_strdup_printf (_("Done: %s."), psim_node_get_name (last, lang));
          para (ui, 0, done);
        }
      fprintf (ui->out, "%s%s%s\n", on (ui, BOLD), _("What happens next?"), off (ui));
    }
  else
    {
      const PsimQuestion *q = psim_session_get_question (s);
      g_autofree char *text = g_strdup_printf (_("Question (%d points): %s"),
                                               psim_question_get_points (q),
                                               psim_question_get_prompt (q, lang));
      fprintf (ui->out, "%s", on (ui, BOLD));
      para (ui, 0, text);
      fprintf (ui->out, "%s", off (ui));
      switch (psim_question_get_kind (q))
        {
        case PSIM_QUESTION_MULTIPLE:
          para (ui, 0, _("Choose every right option: numbers separated by commas (1,3)."));
          break;
        case PSIM_QUESTION_ORDER:
          para (ui, 0, _("Type the numbers in the right order, separated by commas (3,1,2)."));
          break;
        case PSIM_QUESTION_NUMBER:
          {
            const char *unit = psim_question_get_unit (q);
            g_autofree char *how = unit != NULL
                                       ? g_strdup_printf (_("Type a number, in %s."), unit)
                                       : g_strdup (_("Type a number."));
            para (ui, 0, how);
            break;
          }
        case PSIM_QUESTION_SINGLE:
        default:
          break;
        }
    }
  for (guint i = 0; i < psim_session_get_n_options (s); i++)
    {
      g_autofree char *item = g_strdup_printf ("%2u. %s", i + 1,
                                               psim_session_get_option_label (s, i, lang));
      para (ui, 2, item);
    }
}

/* The right answer to @q, as labels or a formatted number. */
static char *
right_answer (const PsimQuestion *q, const char *lang)
{
  if (psim_question_get_kind (q) == PSIM_QUESTION_NUMBER)
    {
      g_autofree char *n = fabs (psim_question_get_answer (q)) >= 1000
                               ? psim_format_amount (psim_question_get_answer (q), lang)
                               : psim_format_decimal (psim_question_get_answer (q), lang);
      const char *unit = psim_question_get_unit (q);
      return unit != NULL ? g_strdup_printf ("%s %s", n, unit) : g_strdup (n);
    }
  g_autoptr (GString) out = g_string_new (NULL);
  gboolean order = psim_question_get_kind (q) == PSIM_QUESTION_ORDER;
  for (guint i = 0; i < psim_question_get_n_options (q); i++)
    {
      if (!order && !psim_question_get_option_correct (q, i))
        continue;
      if (out->len > 0)
        g_string_append (out, order ? " → " : "; ");
      g_string_append (out, psim_question_get_option_label (q, i, lang));
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* A multiple choice answered wrong: the feedback of each option chosen
 * that is wrong and of each right one left out. */
static void
explain_choices (const TrainUi *ui, const PsimQuestion *q, const char *response)
{
  g_auto (GStrv) chosen = g_strsplit (response != NULL ? response : "", "[,]", -1);
  for (guint i = 0; i < psim_question_get_n_options (q); i++)
    {
      gboolean picked = g_strv_contains ((const char *const *) chosen,
                                         psim_question_get_option_id (q, i));
      gboolean right = psim_question_get_option_correct (q, i);
      const char *why = psim_question_get_option_feedback (q, i, ui->lang);
      if (picked == right || why == NULL)
        continue;
      g_autofree char *line = g_strdup_printf (
        picked ? _("Not this one: %s. %s") : _("This one too: %s. %s"),
        psim_question_get_option_label (q, i, ui->lang), why);
      para (ui, 2, line);
    }
}

void
train_ui_feedback (const TrainUi *ui, const PsimSession *s, guint first)
{
  const char *lang = ui->lang;
  for (guint i = first; i < psim_session_get_n_events (s); i++)
    {
      const PsimEvent *e = psim_session_get_event (s, i);
      g_autofree char *pts = points (e->points);
      const char *why = psim_session_get_event_feedback (s, i, lang);
      g_autofree char *line = NULL;
      int style = RED;
      switch (e->kind)
        {
        case PSIM_EVENT_STEP:
          style = GREEN;
          line = g_strdup_printf (_("Right: %s (%s)"), psim_node_get_name (e->step, lang), pts);
          break;
        case PSIM_EVENT_SKIPPED:
          style = YELLOW;
          line = g_strdup_printf (_("The step was: %s (%s)"), psim_node_get_name (e->step, lang), pts);
          break;
        case PSIM_EVENT_WRONG:
          line = g_strdup_printf (_("Wrong: %s (%s)."), psim_session_get_event_label (s, i, lang), pts);
          break;
        case PSIM_EVENT_UNNECESSARY:
          line = g_strdup_printf (_("Unnecessary step: %s (%s)."),
                                  psim_session_get_event_label (s, i, lang), pts);
          break;
        case PSIM_EVENT_OUT_OF_ORDER:
          line = g_strdup_printf (_("Not yet, that comes later: %s (%s)."),
                                  psim_session_get_event_label (s, i, lang), pts);
          break;
        case PSIM_EVENT_HINT:
          style = YELLOW;
          line = g_strdup_printf (_("Hint (%s):"), pts);
          break;
        case PSIM_EVENT_RIGHT:
          style = GREEN;
          line = g_strdup_printf (_("Right (%s)."), pts);
          break;
        case PSIM_EVENT_MISSED:
        default:
          {
            g_autofree char *answer = right_answer (e->question, lang);
            line = g_strdup_printf (_("Not right. The answer: %s."), answer);
            break;
          }
        }
      fprintf (ui->out, "%s", on (ui, style));
      para (ui, 0, line);
      fprintf (ui->out, "%s", off (ui));
      para (ui, 2, why);
      if (e->kind == PSIM_EVENT_MISSED && e->question != NULL
          && psim_question_get_kind (e->question) == PSIM_QUESTION_MULTIPLE)
        explain_choices (ui, e->question, psim_session_get_event_response (s, i));
      if (e->kind == PSIM_EVENT_UNNECESSARY && e->step != NULL && psim_step_is_visit (e->step))
        para (ui, 2, _("That trip cost you a visit and its time on the clock."));
    }
}

void
train_ui_explain (const TrainUi *ui, const PsimSession *s)
{
  const char *lang = ui->lang;
  if (psim_session_get_prompt (s) != PSIM_PROMPT_STEP)
    return;
  g_autofree char *ideal = psim_session_dup_ideal_answer (s);
  for (guint i = 0; i < psim_session_get_n_options (s); i++)
    {
      const char *id = psim_session_get_option_id (s, i);
      if (g_strcmp0 (id, ideal) == 0)
        continue;
      const char *why = psim_session_get_option_feedback (s, i, lang);
      if (why == NULL)
        continue; /* another step enabled now: either order is right */
      g_autofree char *line = g_strdup_printf (_("Not option %u (%s): %s"), i + 1,
                                               psim_session_get_option_label (s, i, lang), why);
      para (ui, 2, line);
    }
  const PsimNode *step = psim_variant_find_node (
    psim_scenario_get_variant (psim_session_get_scenario (s)), ideal);
  const char *how = step != NULL ? psim_step_get_instructions (step, lang) : NULL;
  if (how != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("How: %s"), how);
      para (ui, 2, text);
    }
}

/* A table of a label and up to three figures a row, laid out at the end
 * (table_print) to the terminal's width: the label column as wide
 * as its longest label (at least 22), the figures right-aligned in columns
 * of 18, narrower when the terminal is; a label too long for its column
 * goes on a line of its own. */
typedef struct {
  GPtrArray *cells; /* 4 a row; NULL for a missing figure */
} Table;

static void
table_init (Table *t)
{
  t->cells = g_ptr_array_new_with_free_func (g_free);
}

static void
row (Table *t, const char *label, const char *a, const char *b, const char *c)
{
  g_ptr_array_add (t->cells, g_strdup (label));
  g_ptr_array_add (t->cells, g_strdup (a));
  g_ptr_array_add (t->cells, g_strdup (b));
  g_ptr_array_add (t->cells, g_strdup (c));
}

static glong
columns_of (const char *text)
{
  return text != NULL ? g_utf8_strlen (text, -1) : 0;
}

static void
table_print (const TrainUi *ui, Table *t)
{
  glong label_w = 22, figure_w = 0;
  for (guint i = 0; i < t->cells->len; i++)
    {
      glong n = columns_of (g_ptr_array_index (t->cells, i));
      if (i % 4 == 0)
        label_w = MAX (label_w, n + 1);
      else
        figure_w = MAX (figure_w, n + 2);
    }
  glong width = (glong) train_ui_width (ui);
  glong cell_w = MAX (figure_w, MIN (18, (width - 2 - 22) / 3));
  label_w = MIN (label_w, MAX (22, width - 2 - 3 * cell_w));
  g_autoptr (GString) out = g_string_new (NULL);
  for (guint i = 0; i < t->cells->len; i += 4)
    {
      const char *label = g_ptr_array_index (t->cells, i);
      g_string_append (out, "  ");
      if (columns_of (label) >= label_w)
        {
          g_string_append (out, label);
          g_string_append (out, "\n  ");
          label = "";
        }
      psim_format_append_padded (out, label, (guint) label_w);
      for (guint k = 1; k < 4; k++)
        {
          const char *cell = g_ptr_array_index (t->cells, i + k);
          if (cell == NULL)
            continue;
          for (glong n = columns_of (cell); n < cell_w; n++)
            g_string_append_c (out, ' ');
          g_string_append (out, cell);
        }
      g_string_append_c (out, '\n');
    }
  fputs (out->str, ui->out);
  g_ptr_array_set_size (t->cells, 0);
}

static void
table_clear (Table *t)
{
  g_ptr_array_unref (t->cells);
}

static void
score_row (Table *t, const char *label, guint count, int pts)
{
  g_autofree char *c = g_strdup_printf ("%u", count);
  g_autofree char *p = points (pts);
  row (t, label, c, p, NULL);
}

static const char *
event_label (PsimEventKind kind)
{
  switch (kind)
    {
    case PSIM_EVENT_STEP: return _("right step");
    case PSIM_EVENT_WRONG: return _("wrong action");
    case PSIM_EVENT_UNNECESSARY: return _("unnecessary step");
    case PSIM_EVENT_OUT_OF_ORDER: return _("out of order");
    case PSIM_EVENT_SKIPPED: return _("revealed");
    case PSIM_EVENT_HINT: return _("hint");
    case PSIM_EVENT_RIGHT: return _("right answer");
    case PSIM_EVENT_MISSED: default: return _("wrong answer");
    }
}

void
train_ui_debrief (const TrainUi *ui, const PsimSession *s)
{
  const char *lang = ui->lang;
  const PsimScenario *sc = psim_session_get_scenario (s);
  const PsimScore *r = psim_session_get_score (s);
  const PsimTally *t = psim_session_get_tally (s);
  heading (ui, _("Debrief"));
  g_autofree char *pct = psim_format_decimal (round (r->percent), lang);
  g_autofree char *verdict = g_strdup_printf (
    r->passed ? _("Score %d of %d (%s %%): passed (pass mark %d %%).")
              : _("Score %d of %d (%s %%): not passed (pass mark %d %%)."),
    r->score, r->max_score, pct, psim_scenario_get_scoring (sc)->pass_mark);
  fprintf (ui->out, "%s%s", on (ui, BOLD), on (ui, r->passed ? GREEN : RED));
  para (ui, 0, verdict);
  fprintf (ui->out, "%s", off (ui));
  if (r->over_time)
    {
      double limit = psim_scenario_get_time_limit_days (sc);
      g_autofree char *took = days (psim_elapsed_days (&t->clock), lang);
      g_autofree char *allowed = days (limit, lang);
      g_autofree char *text = limit > 0 && psim_elapsed_days (&t->clock) > limit
                                  ? g_strdup_printf (_("Over the time limit: %s on the simulated "
                                                       "clock, the limit is %s."),
                                                     took, allowed)
                                  : g_strdup (_("Over the time limit."));
      para (ui, 0, text);
    }

  Table tab;
  table_init (&tab);
  Table *table = &tab;
  score_row (table, _("Steps done right"), r->steps_right, r->step_points);
  score_row (table, _("Steps revealed"), r->steps_skipped, -r->skipped_cost);
  score_row (table, _("Wrong actions"), r->n_wrong, -r->wrong_cost);
  score_row (table, _("Unnecessary steps"), r->n_unnecessary, -r->unnecessary_cost);
  score_row (table, _("Out of order"), r->n_out_of_order, -r->out_of_order_cost);
  score_row (table, _("Hints"), r->n_hints, -r->hint_cost);
  {
    g_autofree char *q = g_strdup_printf ("%u/%u", r->questions_right, r->questions_asked);
    g_autofree char *p = points (r->question_points);
    row (table, _("Questions right"), q, p, NULL);
  }
  table_print (ui, table);

  /* The run against the ideal run and the compared path of this case. */
  const PsimPath *ideal = psim_scenario_get_path (sc);
  const PsimPath *cmp = psim_scenario_get_compare_path (sc);
  const PsimTotals *it = psim_path_get_totals (ideal);
  const PsimTotals *ct = cmp != NULL ? psim_path_get_totals (cmp) : NULL;
  fputc ('\n', ui->out);
  row (table, "", _("Your run"), _("Ideal run"), ct != NULL ? _("Compared path") : NULL);
  {
    g_autofree char *a = g_strdup_printf ("%u", t->actions);
    g_autofree char *b = g_strdup_printf ("%u", it->steps);
    g_autofree char *c = ct != NULL ? g_strdup_printf ("%u", ct->steps) : NULL;
    row (table, _("Actions / steps"), a, b, c);
  }
  {
    g_autofree char *a = g_strdup_printf ("%u", t->visits);
    g_autofree char *b = g_strdup_printf ("%u", it->visits);
    g_autofree char *c = ct != NULL ? g_strdup_printf ("%u", ct->visits) : NULL;
    row (table, _("In-person visits"), a, b, c);
  }
  {
    g_autofree char *a = days (psim_elapsed_days (&t->clock), lang);
    g_autofree char *b = days (psim_elapsed_days (&it->elapsed), lang);
    g_autofree char *c = ct != NULL ? days (psim_elapsed_days (&ct->elapsed), lang) : NULL;
    row (table, _("Simulated time"), a, b, c);
  }
  {
    g_autofree char *a = psim_format_amount (t->fees, lang);
    g_autofree char *b = psim_format_amount (it->fees_total, lang);
    g_autofree char *c = ct != NULL ? psim_format_amount (ct->fees_total, lang) : NULL;
    row (table, _("Fees and taxes (VND)"), a, b, c);
  }
  table_print (ui, table);
  table_clear (table);
  if (ct != NULL)
    {
      g_autofree char *steps = g_strdup_printf (ngettext ("%u step", "%u steps", ct->steps), ct->steps);
      g_autofree char *visits = g_strdup_printf (ngettext ("%u visit", "%u visits", ct->visits), ct->visits);
      g_autofree char *d = days (psim_elapsed_days (&ct->elapsed), lang);
      g_autofree char *mine = days (psim_elapsed_days (&t->clock), lang);
      g_autofree char *actions = g_strdup_printf (ngettext ("%u action", "%u actions", t->actions),
                                                  t->actions);
      g_autofree char *my_visits = g_strdup_printf (ngettext ("%u visit", "%u visits", t->visits),
                                                    t->visits);
      /* TRANSLATORS: "The compared path (Paper path) would have taken you 10 steps,
       * 8 visits and 20 days; this run took 6 actions, 1 visit and 7 days." */
      g_autofree char *line = g_strdup_printf (
        _("The compared path (%s) would have taken you %s, %s and %s; this run took %s, %s and "
          "%s."),
        psim_variant_get_title (psim_scenario_get_compare_variant (sc), lang), steps, visits, d,
        actions, my_visits, mine);
      fputc ('\n', ui->out);
      para (ui, 0, line);
    }

  /* The legal limits, measured on the ideal run of this case. */
  if (psim_path_get_n_limits (ideal) > 0)
    {
      heading (ui, _("Legal time limits"));
      for (guint i = 0; i < psim_path_get_n_limits (ideal); i++)
        {
          g_autofree char *line = psim_limit_check_to_text (psim_path_get_limit (ideal, i), lang);
          para (ui, 2, line);
        }
    }

  /* The alignment: each action against the model. */
  heading (ui, _("Your actions"));
  guint n = 0;
  for (guint i = 0; i < psim_session_get_n_events (s); i++)
    {
      const PsimEvent *e = psim_session_get_event (s, i);
      g_autofree char *pts = points (e->points);
      g_autofree char *item = NULL;
      const char *mark = e->kind == PSIM_EVENT_STEP || e->kind == PSIM_EVENT_RIGHT ? "✓"
                         : e->kind == PSIM_EVENT_HINT                             ? "i"
                                                                                  : "✗";
      const char *kind = event_label (e->kind);
      const char *what = e->kind == PSIM_EVENT_HINT ? _("hint") : psim_session_get_event_label (s, i, lang);
      item = g_strdup_printf ("%2u. %s %s: %s (%s)", ++n, mark, kind, what, pts);
      para (ui, 2, item);
    }
  const char *text = psim_scenario_get_debrief (sc, lang);
  if (text != NULL)
    {
      heading (ui, _("What to remember"));
      para (ui, 0, text);
    }
}
