/* view-session.c — a training session as HTML (view.h): what the trainee
 * sees at each point and at the end, and what a trainer sees in a replay
 * or a preview. The texts are the terminal trainer's (src/cli/train-ui.c),
 * looked up for the page's language; the layout is the browser's: lists,
 * tables, buttons, the graph inlined. Meaning never rests on colour alone:
 * every mark has its word.
 */
#include "view.h"

#include <math.h>
#include <string.h>

#define _(msgid) psim_gettext (lang, msgid)

void
view_tag (GString *p, const char *tag, const char *text)
{
  g_string_append_printf (p, "<%s>", tag);
  html_escape (p, text);
  const char *space = strchr (tag, ' ');
  g_string_append_printf (p, "</%.*s>", space != NULL ? (int) (space - tag) : (int) strlen (tag),
                          tag);
}

void
view_wide_begin (GString *p, const char *label)
{
  g_string_append (p, "<div class=\"wide\" tabindex=\"0\" role=\"region\" aria-label=\"");
  html_escape (p, label);
  g_string_append (p, "\">");
}

char *
view_days (double d, const char *lang)
{
  g_autofree char *n = psim_format_decimal (d, lang);
  return g_strdup_printf (psim_ngettext (lang, "%s day", "%s days", d == 1 ? 1 : 2), n);
}

char *
view_money (double amount, const char *lang)
{
  g_autofree char *n = psim_format_amount (amount, lang);
  return g_strdup_printf ("%s VND", n);
}

char *
view_points (int p)
{
  return p > 0 ? g_strdup_printf ("+%d", p) : p < 0 ? g_strdup_printf ("−%d", -p) : g_strdup ("0");
}

char *
view_time (gint64 usec)
{
  g_autoptr (GDateTime) t = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  return t != NULL ? g_date_time_format (t, "%Y-%m-%d %H:%M") : g_strdup ("?");
}

char *
view_duration (gint64 ms, const char *lang)
{
  gint64 s = (ms + 500) / 1000;
  if (s < 60)
    return g_strdup_printf (_("%d s"), (int) s);
  if (s < 3600)
    return g_strdup_printf (_("%d min %d s"), (int) (s / 60), (int) (s % 60));
  return g_strdup_printf (_("%d h %d min"), (int) (s / 3600), (int) (s % 3600 / 60));
}

void
view_case_panel (GString *p, const PsimScenario *sc, const char *lang)
{
  g_string_append (p, "<aside class=\"case\" aria-labelledby=\"case-title\">\n"
                      "<details open id=\"case-panel\"><summary id=\"case-title\">");
  html_escape (p, _("The case"));
  g_string_append (p, "</summary>\n");
  const char *persona = psim_scenario_get_persona (sc, lang);
  if (persona != NULL)
    {
      const char *role = psim_scenario_get_role (sc, lang);
      g_autofree char *you = role != NULL ? g_strdup_printf (_("You are: %s, %s"), persona, role)
                                          : g_strdup_printf (_("You are: %s"), persona);
      view_tag (p, "p class=\"persona\"", you);
    }
  const char *cased = psim_scenario_get_case_description (sc, lang);
  if (cased != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The case: %s"), cased);
      view_tag (p, "p", text);
    }
  view_tag (p, "h2", _("Briefing"));
  view_tag (p, "p", psim_scenario_get_briefing (sc, lang));
  guint n = psim_scenario_get_n_objectives (sc);
  if (n > 0)
    {
      view_tag (p, "h2", _("Objectives"));
      g_string_append (p, "<ul>\n");
      for (guint i = 0; i < n; i++)
        view_tag (p, "li", psim_scenario_get_objective (sc, i, lang));
      g_string_append (p, "</ul>\n");
    }
  const PsimScoring *r = psim_scenario_get_scoring (sc);
  g_autofree char *marks = g_strdup_printf (_("Full marks: %d; the pass mark is %d %%."),
                                            psim_scenario_get_max_score (sc), r->pass_mark);
  view_tag (p, "p", marks);
  double limit = psim_scenario_get_time_limit_days (sc);
  if (limit > 0)
    {
      g_autofree char *d = view_days (limit, lang);
      g_autofree char *text = g_strdup_printf (_("Time limit: %s on the simulated clock."), d);
      view_tag (p, "p", text);
    }
  g_string_append (p, "</details>\n</aside>\n");
}

void
view_status (GString *p, const PsimSession *s, const char *lang)
{
  const PsimScenario *sc = psim_session_get_scenario (s);
  const PsimTally *t = psim_session_get_tally (s);
  g_autofree char *clock = psim_format_decimal (psim_elapsed_days (&t->clock), lang);
  g_autofree char *fees = view_money (t->fees, lang);
  g_autofree char *step = g_strdup_printf (_("Step %u of %u"), psim_session_get_step_number (s),
                                           psim_scenario_get_n_path_steps (sc));
  g_autofree char *day = g_strdup_printf (_("day %s"), clock);
  g_autofree char *visits = g_strdup_printf (
    psim_ngettext (lang, "%u visit", "%u visits", t->visits), t->visits);
  g_autofree char *paid = g_strdup_printf (_("%s paid"), fees);
  g_autofree char *score = g_strdup_printf (_("score %d"), psim_session_get_score (s)->score);
  const char *items[] = { step, day, visits, paid, score };
  g_string_append (p, "<ul class=\"status\" aria-label=\"");
  html_escape (p, _("Where you are"));
  g_string_append (p, "\">");
  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    view_tag (p, "li", items[i]);
  g_string_append (p, "</ul>\n");
}

/* The right answer to @q, as labels or a formatted number. */
static char *
right_answer (const PsimQuestion *q, const char *lang)
{
  if (psim_question_get_kind (q) == PSIM_QUESTION_NUMBER)
    {
      double v = psim_question_get_answer (q);
      g_autofree char *n = fabs (v) >= 1000 ? psim_format_amount (v, lang)
                                            : psim_format_decimal (v, lang);
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

/* The class and the sentence of event @i. (transfer full) */
static char *
event_sentence (const PsimSession *s, guint i, const char *lang, const char **cls)
{
  const PsimEvent *e = psim_session_get_event (s, i);
  g_autofree char *pts = view_points (e->points);
  *cls = "bad";
  switch (e->kind)
    {
    case PSIM_EVENT_STEP:
      *cls = "good";
      return g_strdup_printf (_("Right: %s (%s)"), psim_node_get_name (e->step, lang), pts);
    case PSIM_EVENT_SKIPPED:
      *cls = "info";
      return g_strdup_printf (_("The step was: %s (%s)"), psim_node_get_name (e->step, lang), pts);
    case PSIM_EVENT_WRONG:
      return g_strdup_printf (_("Wrong: %s (%s)."), psim_session_get_event_label (s, i, lang), pts);
    case PSIM_EVENT_UNNECESSARY:
      return g_strdup_printf (_("Unnecessary step: %s (%s)."),
                              psim_session_get_event_label (s, i, lang), pts);
    case PSIM_EVENT_OUT_OF_ORDER:
      return g_strdup_printf (_("Not yet, that comes later: %s (%s)."),
                              psim_session_get_event_label (s, i, lang), pts);
    case PSIM_EVENT_HINT:
      *cls = "info";
      return g_strdup_printf (_("Hint (%s):"), pts);
    case PSIM_EVENT_RIGHT:
      *cls = "good";
      return g_strdup_printf (_("Right (%s)."), pts);
    case PSIM_EVENT_MISSED:
    default:
      {
        g_autofree char *answer = right_answer (e->question, lang);
        return g_strdup_printf (_("Not right. The answer: %s."), answer);
      }
    }
}

/* A multiple choice answered wrong: the feedback of each option chosen
 * that is wrong and of each right one left out. */
static void
explain_choices (GString *p, const PsimQuestion *q, const char *response, const char *lang)
{
  g_auto (GStrv) chosen = g_strsplit (response != NULL ? response : "", "[,]", -1);
  for (guint i = 0; i < psim_question_get_n_options (q); i++)
    {
      gboolean picked = g_strv_contains ((const char *const *) chosen,
                                         psim_question_get_option_id (q, i));
      gboolean right = psim_question_get_option_correct (q, i);
      const char *why = psim_question_get_option_feedback (q, i, lang);
      if (picked == right || why == NULL)
        continue;
      g_autofree char *line = g_strdup_printf (
        picked ? _("Not this one: %s. %s") : _("This one too: %s. %s"),
        psim_question_get_option_label (q, i, lang), why);
      view_tag (p, "p", line);
    }
}

static const char *
mark_of (const char *cls)
{
  return strcmp (cls, "good") == 0 ? "✓" : strcmp (cls, "info") == 0 ? "i" : "✗";
}

void
view_feedback (GString *p, const PsimSession *s, guint answer, const char *lang, gboolean titled)
{
  gboolean any = FALSE;
  for (guint i = 0; i < psim_session_get_n_events (s); i++)
    {
      const PsimEvent *e = psim_session_get_event (s, i);
      if (e->answer != answer)
        continue;
      if (!any && titled)
        {
          g_string_append (p, "<section class=\"feedback\" aria-labelledby=\"feedback-title\" "
                              "tabindex=\"-1\" id=\"feedback\">\n<h2 id=\"feedback-title\">");
          html_escape (p, _("Your last answer"));
          g_string_append (p, "</h2>\n");
        }
      else if (!any)
        g_string_append (p, "<div class=\"feedback\">\n");
      any = TRUE;
      const char *cls;
      g_autofree char *line = event_sentence (s, i, lang, &cls);
      g_string_append_printf (p, "<div class=\"event %s\"><p><span class=\"mark\" "
                                 "aria-hidden=\"true\">%s</span> <strong>",
                              cls, mark_of (cls));
      html_escape (p, line);
      g_string_append (p, "</strong></p>\n");
      const char *why = psim_session_get_event_feedback (s, i, lang);
      if (why != NULL)
        view_tag (p, "p", why);
      if (e->kind == PSIM_EVENT_MISSED && e->question != NULL
          && psim_question_get_kind (e->question) == PSIM_QUESTION_MULTIPLE)
        explain_choices (p, e->question, psim_session_get_event_response (s, i), lang);
      if (e->kind == PSIM_EVENT_UNNECESSARY && e->step != NULL && psim_step_is_visit (e->step))
        view_tag (p, "p", _("That trip cost you a visit and its time on the clock."));
      const char *how = (e->kind == PSIM_EVENT_STEP || e->kind == PSIM_EVENT_SKIPPED)
                            ? psim_step_get_instructions (e->step, lang)
                            : NULL;
      if (how != NULL)
        {
          g_autofree char *text = g_strdup_printf (_("How: %s"), how);
          view_tag (p, "p class=\"how\"", text);
        }
      g_string_append (p, "</div>\n");
    }
  if (any)
    g_string_append (p, titled ? "</section>\n" : "</div>\n");
}

void
view_explain (GString *p, const PsimSession *s, const char *lang)
{
  if (psim_session_get_prompt (s) != PSIM_PROMPT_STEP)
    return;
  g_autofree char *ideal = psim_session_dup_ideal_answer (s);
  g_string_append (p, "<ul class=\"explain\">\n");
  for (guint i = 0; i < psim_session_get_n_options (s); i++)
    {
      const char *id = psim_session_get_option_id (s, i);
      const char *why = psim_session_get_option_feedback (s, i, lang);
      g_autofree char *line = NULL;
      if (g_strcmp0 (id, ideal) == 0)
        line = g_strdup_printf (_("Option %u is right: %s"), i + 1,
                                psim_session_get_option_label (s, i, lang));
      else if (why != NULL)
        line = g_strdup_printf (_("Not option %u (%s): %s"), i + 1,
                                psim_session_get_option_label (s, i, lang), why);
      else
        continue; /* another step enabled now: either order is right */
      view_tag (p, "li", line);
    }
  g_string_append (p, "</ul>\n");
  const PsimNode *step = psim_variant_find_node (
    psim_scenario_get_variant (psim_session_get_scenario (s)), ideal);
  const char *how = step != NULL ? psim_step_get_instructions (step, lang) : NULL;
  if (how != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("How: %s"), how);
      view_tag (p, "p class=\"how\"", text);
    }
}

/* ---- the form of a point ------------------------------------------------ */

static void
option_button (GString *p, guint i, const char *value, const char *label)
{
  g_string_append_printf (p, "<li><button type=\"submit\" class=\"option\" name=\"answer\" "
                             "value=\"");
  html_escape (p, value);
  g_string_append_printf (p, "\" data-key=\"%u\"><span class=\"key\">%u</span> <span>", i + 1,
                          i + 1);
  html_escape (p, label);
  g_string_append (p, "</span></button></li>\n");
}

static void
question_fields (GString *p, const PsimSession *s, const PsimQuestion *q, const char *lang)
{
  guint n = psim_session_get_n_options (s);
  switch (psim_question_get_kind (q))
    {
    case PSIM_QUESTION_SINGLE:
      g_string_append (p, "<ol class=\"options\">\n");
      for (guint i = 0; i < n; i++)
        option_button (p, i, psim_session_get_option_id (s, i),
                       psim_session_get_option_label (s, i, lang));
      g_string_append (p, "</ol>\n");
      return;
    case PSIM_QUESTION_MULTIPLE:
      view_tag (p, "p class=\"how-to\"", _("Choose every right option, then answer."));
      g_string_append (p, "<ol class=\"options picks\">\n");
      for (guint i = 0; i < n; i++)
        {
          g_string_append_printf (p, "<li><label class=\"pick\" data-key=\"%u\">"
                                     "<input type=\"checkbox\" name=\"pick-%u\" value=\"",
                                  i + 1, i);
          html_escape (p, psim_session_get_option_id (s, i));
          g_string_append_printf (p, "\"> <span class=\"key\">%u</span> <span>", i + 1);
          html_escape (p, psim_session_get_option_label (s, i, lang));
          g_string_append (p, "</span></label></li>\n");
        }
      g_string_append (p, "</ol>\n");
      break;
    case PSIM_QUESTION_ORDER:
      view_tag (p, "p class=\"how-to\"", _("Give each its place in the order, then answer."));
      g_string_append (p, "<ol class=\"options places\">\n");
      for (guint i = 0; i < n; i++)
        {
          g_string_append_printf (p, "<li><label for=\"place-%u\">", i);
          html_escape (p, psim_session_get_option_label (s, i, lang));
          g_string_append_printf (p, "</label> <select id=\"place-%u\" name=\"place-%u\" "
                                     "required data-option=\"",
                                  i, i);
          html_escape (p, psim_session_get_option_id (s, i));
          g_string_append (p, "\"><option value=\"\">—</option>");
          for (guint k = 1; k <= n; k++)
            g_string_append_printf (p, "<option value=\"%u\">%u</option>", k, k);
          g_string_append (p, "</select></li>\n");
        }
      g_string_append (p, "</ol>\n");
      break;
    case PSIM_QUESTION_NUMBER:
    default:
      {
        const char *unit = psim_question_get_unit (q);
        g_autofree char *label = unit != NULL ? g_strdup_printf (_("Your answer, in %s"), unit)
                                              : g_strdup (_("Your answer"));
        g_string_append (p, "<p class=\"number\"><label for=\"number\">");
        html_escape (p, label);
        g_string_append (p, "</label> <input id=\"number\" name=\"answer\" inputmode=\"decimal\" "
                            "autocomplete=\"off\" required autofocus></p>\n");
        break;
      }
    }
  g_string_append (p, "<p><button type=\"submit\" class=\"primary\" name=\"do\" value=\"answer\">");
  html_escape (p, _("Answer"));
  g_string_append (p, "</button></p>\n");
}

void
view_point_form (GString *p, Req *req, const PsimSession *s, const char *action)
{
  const char *lang = req->lang;
  PsimPromptKind kind = psim_session_get_prompt (s);
  if (kind == PSIM_PROMPT_FINISHED)
    return;
  static const char *const kinds[] = { "single", "multiple", "number", "order" };
  const PsimQuestion *q = psim_session_get_question (s);
  g_string_append_printf (p, "<form method=\"post\" class=\"point\" data-kind=\"%s\" action=\"",
                          q != NULL ? kinds[psim_question_get_kind (q)] : "step");
  html_escape (p, action);
  g_string_append (p, "\">\n");
  html_csrf_field (req, p);
  g_string_append_printf (p, "<input type=\"hidden\" name=\"shown\" value=\"%" G_GINT64_FORMAT
                             "\"><input type=\"hidden\" name=\"n\" value=\"%u\">\n",
                          g_get_real_time () / 1000, psim_session_get_n_answers (s));
  g_string_append (p, "<fieldset>\n<legend>");
  if (kind == PSIM_PROMPT_STEP)
    {
      html_escape (p, _("What happens next?"));
      g_string_append (p, "</legend>\n");
      const PsimNode *last = psim_session_get_last_step (s);
      if (last != NULL)
        {
          g_autofree char *done = g_strdup_printf (_("Done: %s."), psim_node_get_name (last, lang));
          view_tag (p, "p class=\"done\"", done);
        }
      g_string_append (p, "<ol class=\"options\">\n");
      for (guint i = 0; i < psim_session_get_n_options (s); i++)
        option_button (p, i, psim_session_get_option_id (s, i),
                       psim_session_get_option_label (s, i, lang));
      g_string_append (p, "</ol>\n");
    }
  else
    {
      g_autofree char *text = g_strdup_printf (_("Question (%d points): %s"),
                                               psim_question_get_points (q),
                                               psim_question_get_prompt (q, lang));
      html_escape (p, text);
      g_string_append (p, "</legend>\n");
      question_fields (p, s, q, lang);
    }
  g_string_append (p, "</fieldset>\n<p class=\"aux\">");
  int cost = 0;
  if (psim_session_get_hint (s, lang, &cost) != NULL)
    {
      g_autofree char *pts = view_points (-cost);
      g_autofree char *label = g_strdup_printf (_("Hint (%s)"), pts);
      g_string_append (p, "<button type=\"submit\" name=\"action\" value=\"hint\" "
                          "data-key=\"h\" aria-keyshortcuts=\"h\">");
      html_escape (p, label);
      g_string_append (p, " <kbd>h</kbd></button> ");
    }
  g_string_append (p, "<button type=\"submit\" name=\"action\" value=\"skip\" data-key=\"s\" "
                      "aria-keyshortcuts=\"s\">");
  html_escape (p, _("Skip"));
  g_string_append (p, " <kbd>s</kbd></button></p>\n");
  if (q == NULL || psim_question_get_kind (q) == PSIM_QUESTION_SINGLE)
    view_tag (p, "p class=\"keys\"", _("Keys: the option's number, h for a hint, s to skip."));
  g_string_append (p, "</form>\n");
}

/* ---- the graph ---------------------------------------------------------- */

gboolean
view_graph (GString *p, Server *srv, const PsimSession *s, gboolean compare, const char *lang,
            GError **error)
{
  const PsimScenario *sc = psim_session_get_scenario (s);
  g_autoptr (GPtrArray) ids = g_ptr_array_new ();
  g_autoptr (GPtrArray) names = g_ptr_array_new ();
  g_autoptr (GArray) wrong = g_array_new (FALSE, FALSE, sizeof (gboolean));
  for (guint i = 0; i < psim_session_get_n_events (s); i++)
    {
      const PsimEvent *e = psim_session_get_event (s, i);
      /* The path `procsim render --highlight` draws from the session's
       * record: an old step taken for nothing is a wrong turn into it, a
       * ghost of it in the trained variant's view. */
      if (e->step == NULL || !psim_event_kind_is_on_path (e->kind))
        continue;
      gboolean is_wrong = e->kind == PSIM_EVENT_UNNECESSARY;
      g_ptr_array_add (ids, (gpointer) psim_node_get_id (e->step));
      g_ptr_array_add (names, (gpointer) psim_node_get_name (e->step, lang));
      g_array_append_val (wrong, is_wrong);
    }
  g_ptr_array_add (ids, NULL);
  gboolean old = compare && psim_scenario_get_compare_variant (sc) != NULL;
  g_autoptr (GError) local = NULL;
  g_autoptr (GBytes) svg = graph_worker_render (srv_get_graph_worker (srv),
                                                psim_scenario_get_file (sc), old, lang,
                                                (const char *const *) ids->pdata, &local);
  if (svg == NULL)
    {
      g_warning ("graph of %s: %s", psim_scenario_get_id (sc), local->message);
      /* The graph's own problem (too large to lay out): the page without it. */
      if (g_error_matches (local, GRAPH_WORKER_ERROR, GRAPH_WORKER_ERROR_REFUSED))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  gsize n = 0;
  const char *data = g_bytes_get_data (svg, &n);
  const char *start = g_strstr_len (data, (gssize) n, "<svg");
  if (start == NULL)
    return TRUE;
  g_string_append (p, "<figure class=\"graph\">\n<figcaption>");
  gboolean any_wrong = FALSE;
  for (guint i = 0; i < wrong->len; i++)
    any_wrong |= g_array_index (wrong, gboolean, i);
  html_escape (p, old ? _("The process graph: the compared path and the trained path, "
                                  "your steps numbered, wrong turns dashed in red")
                  : any_wrong ? _("The process graph: your steps numbered and drawn heavy, the "
                                  "old steps you went to for nothing in grey dashed boxes, wrong "
                                  "turns dashed in red")
                              : _("The process graph: your steps numbered and drawn heavy"));
  g_string_append (p, "</figcaption>\n<div class=\"scroll\" tabindex=\"0\" role=\"region\" "
                      "aria-label=\"");
  html_escape (p, _("The process graph"));
  g_string_append (p, "\"><svg role=\"img\" aria-label=\"");
  html_escape (p, _("The process graph"));
  g_string_append (p, "\"");
  /* The rest of Graphviz's own element as it is: our renderer escapes every
   * label it puts in (psim-render.c), and the page's CSP forbids scripts in
   * it anyway. */
  g_string_append_len (p, start + 4, (gssize) (n - (gsize) (start + 4 - data)));
  g_string_append (p, "</div>\n");
  if (names->len > 0)
    {
      g_string_append (p, "<details><summary>");
      html_escape (p, _("Your path as a list"));
      g_string_append (p, "</summary>\n<ol>\n");
      for (guint i = 0; i < names->len; i++)
        {
          gboolean w = g_array_index (wrong, gboolean, i);
          g_autofree char *item = w ? g_strdup_printf (_("%s (wrong turn)"),
                                                       (const char *) names->pdata[i])
                                    : g_strdup (names->pdata[i]);
          view_tag (p, w ? "li class=\"bad\"" : "li", item);
        }
      g_string_append (p, "</ol>\n</details>\n");
    }
  g_string_append (p, "</figure>\n");
  return TRUE;
}

void
view_graph_unavailable (Req *req)
{
  const char *lang = req->lang;
  reply_error (req, SOUP_STATUS_SERVICE_UNAVAILABLE,
               _("The process graph cannot be drawn now. Please try again in a moment."));
}

/* ---- the debrief -------------------------------------------------------- */

static void
score_row (GString *p, const char *label, const char *count, int pts)
{
  g_autofree char *pp = view_points (pts);
  g_string_append (p, "<tr>");
  view_tag (p, "th scope=\"row\"", label);
  view_tag (p, "td", count);
  view_tag (p, "td", pp);
  g_string_append (p, "</tr>\n");
}

static void
count_row (GString *p, const char *label, guint count, int pts)
{
  g_autofree char *c = g_strdup_printf ("%u", count);
  score_row (p, label, c, pts);
}

static void
compare_row (GString *p, const char *label, const char *a, const char *b, const char *c)
{
  g_string_append (p, "<tr>");
  view_tag (p, "th scope=\"row\"", label);
  view_tag (p, "td", a);
  view_tag (p, "td", b);
  if (c != NULL)
    view_tag (p, "td", c);
  g_string_append (p, "</tr>\n");
}

static const char *
event_kind_label (PsimEventKind kind, const char *lang)
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
view_debrief (GString *p, const PsimSession *s, const GString *graph, const char *lang)
{
  const PsimScenario *sc = psim_session_get_scenario (s);
  const PsimScore *r = psim_session_get_score (s);
  const PsimTally *t = psim_session_get_tally (s);
  g_string_append (p, "<section class=\"debrief\" aria-labelledby=\"debrief-title\">\n"
                      "<h2 id=\"debrief-title\">");
  html_escape (p, _("Debrief"));
  g_string_append (p, "</h2>\n");
  g_autofree char *pct = psim_format_decimal (round (r->percent), lang);
  g_autofree char *verdict = g_strdup_printf (
    r->passed ? _("Score %d of %d (%s %%): passed (pass mark %d %%).")
              : _("Score %d of %d (%s %%): not passed (pass mark %d %%)."),
    r->score, r->max_score, pct, psim_scenario_get_scoring (sc)->pass_mark);
  g_string_append_printf (p, "<p class=\"verdict %s\"><span class=\"mark\" aria-hidden=\"true\">"
                             "%s</span> ",
                          r->passed ? "good" : "bad", r->passed ? "✓" : "✗");
  html_escape (p, verdict);
  g_string_append (p, "</p>\n");
  if (r->over_time)
    {
      double limit = psim_scenario_get_time_limit_days (sc);
      g_autofree char *took = view_days (psim_elapsed_days (&t->clock), lang);
      g_autofree char *allowed = view_days (limit, lang);
      g_autofree char *text = limit > 0 && psim_elapsed_days (&t->clock) > limit
                                  ? g_strdup_printf (_("Over the time limit: %s on the simulated "
                                                       "clock, the limit is %s."),
                                                     took, allowed)
                                  : g_strdup (_("Over the time limit."));
      view_tag (p, "p", text);
    }

  g_string_append (p, "<div class=\"tables\">");
  view_wide_begin (p, _("Where the points went"));
  g_string_append (p, "<table class=\"score\">\n<caption>");
  html_escape (p, _("Where the points went"));
  g_string_append (p, "</caption>\n<thead><tr><td></td>");
  view_tag (p, "th scope=\"col\"", _("Count"));
  view_tag (p, "th scope=\"col\"", _("Points"));
  g_string_append (p, "</tr></thead>\n<tbody>\n");
  count_row (p, _("Steps done right"), r->steps_right, r->step_points);
  count_row (p, _("Steps revealed"), r->steps_skipped, -r->skipped_cost);
  count_row (p, _("Wrong actions"), r->n_wrong, -r->wrong_cost);
  count_row (p, _("Unnecessary steps"), r->n_unnecessary, -r->unnecessary_cost);
  count_row (p, _("Out of order"), r->n_out_of_order, -r->out_of_order_cost);
  count_row (p, _("Hints"), r->n_hints, -r->hint_cost);
  {
    g_autofree char *q = g_strdup_printf ("%u/%u", r->questions_right, r->questions_asked);
    score_row (p, _("Questions right"), q, r->question_points);
  }
  g_string_append (p, "</tbody>\n</table></div>\n");

  const PsimPath *ideal = psim_scenario_get_path (sc);
  const PsimPath *cmp = psim_scenario_get_compare_path (sc);
  const PsimTotals *it = psim_path_get_totals (ideal);
  const PsimTotals *ct = cmp != NULL ? psim_path_get_totals (cmp) : NULL;
  view_wide_begin (p, _("Your run against the ideal run and the compared path"));
  g_string_append (p, "<table class=\"against\">\n<caption>");
  html_escape (p, _("Your run against the ideal run and the compared path"));
  g_string_append (p, "</caption>\n<thead><tr><td></td>");
  view_tag (p, "th scope=\"col\"", _("Your run"));
  view_tag (p, "th scope=\"col\"", _("Ideal run"));
  if (ct != NULL)
    view_tag (p, "th scope=\"col\"", _("Compared path"));
  g_string_append (p, "</tr></thead>\n<tbody>\n");
  {
    g_autofree char *a = g_strdup_printf ("%u", t->actions);
    g_autofree char *b = g_strdup_printf ("%u", it->steps);
    g_autofree char *c = ct != NULL ? g_strdup_printf ("%u", ct->steps) : NULL;
    compare_row (p, _("Actions / steps"), a, b, c);
  }
  {
    g_autofree char *a = g_strdup_printf ("%u", t->visits);
    g_autofree char *b = g_strdup_printf ("%u", it->visits);
    g_autofree char *c = ct != NULL ? g_strdup_printf ("%u", ct->visits) : NULL;
    compare_row (p, _("In-person visits"), a, b, c);
  }
  {
    g_autofree char *a = view_days (psim_elapsed_days (&t->clock), lang);
    g_autofree char *b = view_days (psim_elapsed_days (&it->elapsed), lang);
    g_autofree char *c = ct != NULL ? view_days (psim_elapsed_days (&ct->elapsed), lang) : NULL;
    compare_row (p, _("Simulated time"), a, b, c);
  }
  {
    g_autofree char *a = psim_format_amount (t->fees, lang);
    g_autofree char *b = psim_format_amount (it->fees_total, lang);
    g_autofree char *c = ct != NULL ? psim_format_amount (ct->fees_total, lang) : NULL;
    compare_row (p, _("Fees and taxes (VND)"), a, b, c);
  }
  g_string_append (p, "</tbody>\n</table></div></div>\n");
  if (ct != NULL)
    {
      g_autofree char *steps = g_strdup_printf (
        psim_ngettext (lang, "%u step", "%u steps", ct->steps), ct->steps);
      g_autofree char *visits = g_strdup_printf (
        psim_ngettext (lang, "%u visit", "%u visits", ct->visits), ct->visits);
      g_autofree char *d = view_days (psim_elapsed_days (&ct->elapsed), lang);
      g_autofree char *mine = view_days (psim_elapsed_days (&t->clock), lang);
      g_autofree char *actions = g_strdup_printf (
        psim_ngettext (lang, "%u action", "%u actions", t->actions), t->actions);
      g_autofree char *my_visits = g_strdup_printf (
        psim_ngettext (lang, "%u visit", "%u visits", t->visits), t->visits);
      g_autofree char *line = g_strdup_printf (
        _("The compared path (%s) would have taken you %s, %s and %s; this run took %s, %s and "
          "%s."),
        psim_variant_get_title (psim_scenario_get_compare_variant (sc), lang), steps, visits, d,
        actions, my_visits, mine);
      view_tag (p, "p", line);
    }

  /* The legal limits, measured on the ideal run of this case, as the
   * terminal trainer's debrief states them. */
  if (psim_path_get_n_limits (ideal) > 0)
    {
      view_tag (p, "h3", _("Legal time limits"));
      g_string_append (p, "<ul class=\"limits\">\n");
      for (guint i = 0; i < psim_path_get_n_limits (ideal); i++)
        {
          const PsimLimitCheck *check = psim_path_get_limit (ideal, i);
          const char *cls = !check->applies ? "" : check->met ? "good" : "bad";
          g_autofree char *line = psim_limit_check_to_text (check, lang);
          g_string_append_printf (p, "<li class=\"%s\"><span class=\"mark\" aria-hidden=\"true\">"
                                     "%s</span> ",
                                  cls, !check->applies ? "·" : check->met ? "✓" : "✗");
          html_escape (p, line);
          g_string_append (p, "</li>\n");
        }
      g_string_append (p, "</ul>\n");
    }

  view_tag (p, "h3", _("Your actions"));
  g_string_append (p, "<ol class=\"actions\">\n");
  for (guint i = 0; i < psim_session_get_n_events (s); i++)
    {
      const PsimEvent *e = psim_session_get_event (s, i);
      const char *cls;
      /* Only the class is used here; the sentence is the feedback view's. */
      g_free (event_sentence (s, i, lang, &cls));
      g_autofree char *pts = view_points (e->points);
      const char *what = e->kind == PSIM_EVENT_HINT ? _("hint")
                                                    : psim_session_get_event_label (s, i, lang);
      g_autofree char *item = g_strdup_printf ("%s: %s (%s)", event_kind_label (e->kind, lang),
                                               what, pts);
      g_string_append_printf (p, "<li class=\"%s\"><span class=\"mark\" aria-hidden=\"true\">%s"
                                 "</span> ",
                              cls, mark_of (cls));
      html_escape (p, item);
      g_string_append (p, "</li>\n");
    }
  g_string_append (p, "</ol>\n");
  const char *text = psim_scenario_get_debrief (sc, lang);
  if (text != NULL)
    {
      view_tag (p, "h3", _("What to remember"));
      view_tag (p, "p", text);
    }
  g_string_append (p, "</section>\n");
  g_string_append_len (p, graph->str, (gssize) graph->len);
}
