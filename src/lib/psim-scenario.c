/* psim-scenario.c — loading and checking training scenarios.
 *
 * A scenario is small (a few hundred lines), so unlike procedures it is
 * parsed into a tree and validated against the embedded scenario.xsd with
 * the network off and any DOCTYPE refused. The tree is then read into the
 * structures of psim-train-private.h, the procedure it names is loaded, and
 * the ideal run is computed once: the path of the case, and for every step
 * on it the steps that must come first. That order is what lets a trainee
 * do the branches of a parallel split in either order.
 *
 * Every reference and a perfect run are checked here, so that the engine
 * can trust what it is given.
 */
#include "psim-train-private.h"

#include <procsim/psim-file.h>

#include <errno.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlschemas.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SCENARIO_NS "urn:procsim:scenario:1"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlDoc, xmlFreeDoc)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlParserCtxt, xmlFreeParserCtxt)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlSchemaParserCtxt, xmlSchemaFreeParserCtxt)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlSchema, xmlSchemaFree)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlSchemaValidCtxt, xmlSchemaFreeValidCtxt)

static const char *const question_kind_names[] = { "single", "multiple", "number", "order", NULL };
static const char *const distractor_kind_names[] = { "unnecessary", "mistake", "out-of-order", NULL };

const char *
psim_question_kind_to_string (PsimQuestionKind kind)
{
  return (guint) kind < G_N_ELEMENTS (question_kind_names) - 1 ? question_kind_names[kind] : NULL;
}

const char *
psim_distractor_kind_to_string (PsimDistractorKind kind)
{
  return (guint) kind < G_N_ELEMENTS (distractor_kind_names) - 1 ? distractor_kind_names[kind]
                                                                 : NULL;
}

/* ---- freeing ------------------------------------------------------------- */


static void
distractor_free (PsimDistractor *d)
{
  g_free (d->id);
  g_free (d->at);
  g_free (d->step_id);
  g_ptr_array_unref (d->labels);
  g_ptr_array_unref (d->feedback);
  g_free (d);
}

static void
option_free (PsimOption *o)
{
  g_free (o->id);
  g_ptr_array_unref (o->labels);
  g_ptr_array_unref (o->feedback);
  g_free (o);
}

static void
question_free (PsimQuestion *q)
{
  g_free (q->id);
  g_free (q->after);
  g_ptr_array_unref (q->prompt);
  g_ptr_array_unref (q->feedback);
  g_ptr_array_unref (q->options);
  g_free (q->expr);
  g_free (q->unit);
  g_free (q);
}

static void
hint_free (PsimHint *h)
{
  g_free (h->at);
  g_ptr_array_unref (h->texts);
  g_free (h);
}

static void
occurrence_clear (PsimOccurrence *o)
{
  g_clear_pointer (&o->preds, g_array_unref);
  g_clear_pointer (&o->distractors, g_ptr_array_unref);
  g_clear_pointer (&o->questions, g_ptr_array_unref);
}

static PsimScenario *
scenario_new (const char *file)
{
  PsimScenario *sc = g_new0 (PsimScenario, 1);
  sc->ref_count = 1;
  sc->file = g_strdup (file);
  sc->titles = psim_texts_new ();
  sc->briefings = psim_texts_new ();
  sc->persona_names = psim_texts_new ();
  sc->persona_roles = psim_texts_new ();
  sc->case_descriptions = psim_texts_new ();
  sc->debriefs = psim_texts_new ();
  sc->objectives = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  sc->scoring = (PsimScoring) { .pass_mark = 70, .step = 10, .wrong = 5, .unnecessary = 5,
                                .out_of_order = 5, .skipped = 10, .attempts = 3 };
  sc->distractors = g_ptr_array_new_with_free_func ((GDestroyNotify) distractor_free);
  sc->questions = g_ptr_array_new_with_free_func ((GDestroyNotify) question_free);
  sc->hints = g_ptr_array_new_with_free_func ((GDestroyNotify) hint_free);
  sc->occurrences = g_array_new (FALSE, TRUE, sizeof (PsimOccurrence));
  g_array_set_clear_func (sc->occurrences, (GDestroyNotify) occurrence_clear);
  return sc;
}

PsimScenario *
psim_scenario_ref (PsimScenario *sc)
{
  g_return_val_if_fail (sc != NULL, NULL);
  g_atomic_int_inc (&sc->ref_count);
  return sc;
}

void
psim_scenario_unref (PsimScenario *sc)
{
  if (sc == NULL || !g_atomic_int_dec_and_test (&sc->ref_count))
    return;
  g_free (sc->file);
  g_free (sc->id);
  g_free (sc->checksum);
  g_ptr_array_unref (sc->titles);
  g_ptr_array_unref (sc->briefings);
  g_ptr_array_unref (sc->persona_names);
  g_ptr_array_unref (sc->persona_roles);
  g_ptr_array_unref (sc->case_descriptions);
  g_ptr_array_unref (sc->debriefs);
  g_ptr_array_unref (sc->objectives);
  g_array_unref (sc->occurrences);
  g_ptr_array_unref (sc->distractors);
  g_ptr_array_unref (sc->questions);
  g_ptr_array_unref (sc->hints);
  g_clear_pointer (&sc->path, psim_path_free);
  g_clear_pointer (&sc->compare_path, psim_path_free);
  g_clear_pointer (&sc->pcase, psim_case_free);
  g_clear_pointer (&sc->proc, psim_procedure_unref);
  g_free (sc);
}

/* ---- parsing ------------------------------------------------------------- */

typedef struct {
  const char *file;
  const char *lang; /* of the diagnostics: the loader's */
  GPtrArray *diags;
  guint missing[2];      /* texts without an "en", a "vi" version */
  guint missing_line[2]; /* the first of them */
} Load;

static void
on_xml_error (void *user_data, xmlErrorPtr e)
{
  Load *ld = user_data;
  if (e == NULL || e->level == XML_ERR_NONE)
    return;
  g_autofree char *msg = psim_libxml_message (e->message, SCENARIO_NS);
  psim_diag_add (ld->diags, e->level == XML_ERR_WARNING ? PSIM_SEVERITY_WARNING : PSIM_SEVERITY_ERROR,
                 ld->file, e->line > 0 ? (guint) e->line : 0, "%s", msg);
}

/* The parser hands its structured errors the parser context. */
static void
on_parse_error (void *user_data, xmlErrorPtr e)
{
  xmlParserCtxtPtr pctxt = user_data;
  on_xml_error (pctxt->_private, e);
}

static void
refuse_dtd (void *ctx, const xmlChar *name, const xmlChar *external_id, const xmlChar *system_id)
{
  (void) name;
  (void) external_id;
  (void) system_id;
  xmlParserCtxtPtr pctxt = ctx;
  Load *ld = pctxt->_private;
  psim_diag_add (ld->diags, PSIM_SEVERITY_ERROR, ld->file, (guint)xmlSAX2GetLineNumber (ctx),
                 psim_gettext (ld->lang, "a DOCTYPE is not allowed in a scenario"));
  xmlStopParser (pctxt);
}

static xmlDoc *
parse (Load *ld, const char *data, gsize size)
{
  g_autoptr (xmlParserCtxt) ctxt = xmlNewParserCtxt ();
  if (ctxt == NULL)
    return NULL;
  ctxt->_private = ld;
  ctxt->sax->internalSubset = refuse_dtd;
  ctxt->sax->serror = on_parse_error;
  /* No network, no entity substitution, no DTD: the file is read as is.
   * libxml2 reports some encoding failures through its global handler,
   * not the context's: that handler is ours for the parse (as in
   * psim-load.c), then given back. */
  xmlStructuredErrorFunc saved_handler = xmlStructuredError;
  void *saved_data = xmlStructuredErrorContext;
  xmlSetStructuredErrorFunc (ld, on_xml_error);
  xmlDoc *doc = xmlCtxtReadMemory (ctxt, data, (int) size, ld->file, NULL,
                                   XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOWARNING);
  xmlSetStructuredErrorFunc (saved_data, saved_handler);
  if (doc != NULL && (!ctxt->wellFormed || ctxt->disableSAX))
    {
      xmlFreeDoc (doc);
      doc = NULL;
    }
  return doc;
}

static gboolean
validate (Load *ld, PsimLoader *loader, xmlDoc *doc, GError **error)
{
  xmlSchemaPtr schema = psimp_loader_get_scenario_schema (loader, error);
  if (schema == NULL)
    return FALSE;
  g_autoptr (xmlSchemaValidCtxt) vctxt = xmlSchemaNewValidCtxt (schema);
  if (vctxt == NULL)
    {
      g_set_error (error, PSIM_LOAD_ERROR, PSIM_LOAD_ERROR_INTERNAL, "out of memory");
      return FALSE;
    }
  xmlSchemaSetValidStructuredErrors (vctxt, on_xml_error, ld);
  xmlSchemaValidateDoc (vctxt, doc);
  return TRUE;
}

static void
ignore_reader_error (void *arg, xmlErrorPtr e)
{
  (void) arg;
  (void) e;
}

gboolean
psim_file_is_scenario (const char *path)
{
  g_return_val_if_fail (path != NULL, FALSE);
  /* The first element, as libxml2 reads it (comments, a prefix, a long
   * prologue): no network, nothing substituted, errors ignored here (the
   * loader that follows reports them). */
  int fd = psim_file_open (path, NULL, NULL);
  if (fd < 0)
    return FALSE;
  xmlTextReaderPtr reader = xmlReaderForFd (fd, path, NULL, XML_PARSE_NONET);
  if (reader == NULL)
    {
      close (fd);
      return FALSE;
    }
  xmlTextReaderSetStructuredErrorHandler (reader, ignore_reader_error, NULL);
  xmlStructuredErrorFunc saved_handler = xmlStructuredError;
  void *saved_data = xmlStructuredErrorContext;
  xmlSetStructuredErrorFunc (NULL, ignore_reader_error);
  gboolean found = FALSE;
  while (xmlTextReaderRead (reader) == 1)
    if (xmlTextReaderNodeType (reader) == XML_READER_TYPE_ELEMENT)
      {
        const xmlChar *name = xmlTextReaderConstLocalName (reader);
        const xmlChar *ns = xmlTextReaderConstNamespaceUri (reader);
        found = name != NULL && ns != NULL && strcmp ((const char *) name, "scenario") == 0
                && strcmp ((const char *) ns, SCENARIO_NS) == 0;
        break;
      }
  xmlSetStructuredErrorFunc (saved_data, saved_handler);
  xmlFreeTextReader (reader);
  close (fd);
  return found;
}

/* ---- reading the tree ---------------------------------------------------- */

static gboolean
is (const xmlNode *n, const char *name)
{
  return n->type == XML_ELEMENT_NODE && n->ns != NULL
         && strcmp ((const char *) n->ns->href, SCENARIO_NS) == 0
         && strcmp ((const char *) n->name, name) == 0;
}

static char *
prop (const xmlNode *n, const char *name)
{
  xmlChar *v = xmlGetProp (n, BAD_CAST name);
  char *s = v != NULL ? g_strdup ((const char *) v) : NULL;
  xmlFree (v);
  return s;
}

static int
prop_int (const xmlNode *n, const char *name, int fallback)
{
  g_autofree char *v = prop (n, name);
  return v != NULL ? (int) g_ascii_strtoll (v, NULL, 10) : fallback;
}

static double
prop_double (const xmlNode *n, const char *name, double fallback)
{
  g_autofree char *v = prop (n, name);
  return v != NULL ? g_ascii_strtod (v, NULL) : fallback;
}

static guint
line_of (const xmlNode *n)
{
  long l = xmlGetLineNo (n);
  return l > 0 ? (guint) l : 0;
}


static void
add_text (Load *ld, GPtrArray *texts, const xmlNode *n)
{
  PsimText *t = g_new0 (PsimText, 1);
  xmlChar *lang = xmlNodeGetLang (n);
  xmlChar *content = xmlNodeGetContent (n);
  t->lang = lang != NULL ? g_strdup ((const char *) lang) : NULL;
  t->text = psim_collapse_space (content != NULL ? (const char *) content : "");
  xmlFree (lang);
  xmlFree (content);
  if (t->lang == NULL)
    psim_diag_add (ld->diags, PSIM_SEVERITY_ERROR, ld->file, line_of (n),
                   psim_gettext (ld->lang, "<%s> has no xml:lang"), (const char *)n->name);
  else
    for (guint i = 0; i < texts->len; i++)
      {
        const PsimText *o = g_ptr_array_index (texts, i);
        if (o->lang != NULL && strcmp (o->lang, t->lang) == 0)
          psim_diag_add (ld->diags, PSIM_SEVERITY_ERROR, ld->file, line_of (n),
                         psim_gettext (ld->lang, "<%s> is given twice in language '%s'"),
                         (const char *)n->name, t->lang);
      }
  g_ptr_array_add (texts, t);
}

/* The UI speaks English and Vietnamese: a text missing in either is
 * counted, and reported once per file (see report_languages). */
static const char *const ui_langs[] = { "en", "vi" };

static void
check_languages (Load *ld, const GPtrArray *texts, guint line)
{
  for (guint l = 0; l < G_N_ELEMENTS (ui_langs); l++)
    {
      gboolean found = FALSE;
      for (guint i = 0; i < texts->len && !found; i++)
        {
          const PsimText *t = g_ptr_array_index (texts, i);
          found = t->lang != NULL && strcmp (t->lang, ui_langs[l]) == 0;
        }
      if (!found && texts->len > 0 && ld->missing[l]++ == 0)
        ld->missing_line[l] = line;
    }
}

static void
report_languages (Load *ld)
{
  for (guint l = 0; l < G_N_ELEMENTS (ui_langs); l++)
    if (ld->missing[l] > 0)
      psim_diag_add (
          ld->diags, PSIM_SEVERITY_WARNING, ld->file, ld->missing_line[l],
          psim_ngettext (
              ld->lang, "%u text has no version in language '%s' (the first one is here)",
              "%u texts have no version in language '%s' (the first one is here)", ld->missing[l]),
          ld->missing[l], ui_langs[l]);
}

/* Reads the children named @name of @n into @texts. */
static void
read_texts (Load *ld, const xmlNode *n, const char *name, GPtrArray *texts)
{
  guint first = 0;
  for (const xmlNode *c = n->children; c != NULL; c = c->next)
    if (is (c, name))
      {
        if (first == 0)
          first = line_of (c);
        add_text (ld, texts, c);
      }
  check_languages (ld, texts, first);
}

typedef struct {
  char *param;
  char *value;
  guint line;
} CaseSet;

static void
case_set_free (CaseSet *s)
{
  g_free (s->param);
  g_free (s->value);
  g_free (s);
}

typedef struct {
  char *href;
  char *variant;
  char *compare;
  char *actor;
  guint line, actor_line;
  GPtrArray *sets; /* CaseSet* */
} Refs;

static void
read_distractors (Load *ld, PsimScenario *sc, const xmlNode *decision)
{
  g_autofree char *at = prop (decision, "at");
  for (const xmlNode *c = decision->children; c != NULL; c = c->next)
    {
      if (!is (c, "distractor"))
        continue;
      PsimDistractor *d = g_new0 (PsimDistractor, 1);
      d->id = prop (c, "id");
      d->line = line_of (c);
      d->at = g_strdup (at);
      g_autofree char *kind = prop (c, "kind");
      d->kind = MAX (0, psim_enum_from_string (distractor_kind_names, kind));
      d->step_id = prop (c, "step");
      d->cost = prop_int (c, "cost", -1);
      d->labels = psim_texts_new ();
      d->feedback = psim_texts_new ();
      read_texts (ld, c, "label", d->labels);
      read_texts (ld, c, "feedback", d->feedback);
      g_ptr_array_add (sc->distractors, d);
    }
}

static void
read_question (Load *ld, PsimScenario *sc, const xmlNode *n)
{
  PsimQuestion *q = g_new0 (PsimQuestion, 1);
  q->id = prop (n, "id");
  q->line = line_of (n);
  q->after = prop (n, "after");
  g_autofree char *type = prop (n, "type");
  q->kind = MAX (0, psim_enum_from_string (question_kind_names, type));
  q->points = prop_int (n, "points", 10);
  q->prompt = psim_texts_new ();
  q->feedback = psim_texts_new ();
  q->options = g_ptr_array_new_with_free_func ((GDestroyNotify) option_free);
  read_texts (ld, n, "prompt", q->prompt);
  read_texts (ld, n, "feedback", q->feedback);
  for (const xmlNode *c = n->children; c != NULL; c = c->next)
    if (is (c, "option"))
      {
        PsimOption *o = g_new0 (PsimOption, 1);
        o->id = prop (c, "id");
        g_autofree char *correct = prop (c, "correct");
        /* xs:boolean: whitespace collapsed, "true" or "1". */
        if (correct != NULL)
          g_strstrip (correct);
        o->correct = correct != NULL && (strcmp (correct, "true") == 0 || strcmp (correct, "1") == 0);
        o->labels = psim_texts_new ();
        o->feedback = psim_texts_new ();
        read_texts (ld, c, "label", o->labels);
        read_texts (ld, c, "feedback", o->feedback);
        g_ptr_array_add (q->options, o);
      }
    else if (is (c, "answer"))
      {
        q->expr = prop (c, "expr");
        q->tolerance = prop_double (c, "tolerance", 0);
        q->unit = prop (c, "unit");
      }
  g_ptr_array_add (sc->questions, q);
}

static void
read_scenario (Load *ld, PsimScenario *sc, const xmlNode *root, Refs *refs)
{
  sc->id = prop (root, "id");
  read_texts (ld, root, "title", sc->titles);
  read_texts (ld, root, "briefing", sc->briefings);
  read_texts (ld, root, "debrief", sc->debriefs);
  for (const xmlNode *n = root->children; n != NULL; n = n->next)
    {
      if (is (n, "procedure"))
        {
          refs->href = prop (n, "href");
          refs->variant = prop (n, "variant");
          refs->compare = prop (n, "compare");
          refs->line = line_of (n);
        }
      else if (is (n, "persona"))
        {
          read_texts (ld, n, "name", sc->persona_names);
          read_texts (ld, n, "role", sc->persona_roles);
          refs->actor = prop (n, "actor");
          refs->actor_line = line_of (n);
        }
      else if (is (n, "case"))
        {
          read_texts (ld, n, "description", sc->case_descriptions);
          for (const xmlNode *c = n->children; c != NULL; c = c->next)
            if (is (c, "set"))
              {
                CaseSet *s = g_new0 (CaseSet, 1);
                s->param = prop (c, "param");
                s->value = prop (c, "value");
                s->line = line_of (c);
                g_ptr_array_add (refs->sets, s);
              }
        }
      else if (is (n, "objectives"))
        {
          for (const xmlNode *c = n->children; c != NULL; c = c->next)
            if (is (c, "objective"))
              {
                GPtrArray *texts = psim_texts_new ();
                read_texts (ld, c, "text", texts);
                g_ptr_array_add (sc->objectives, texts);
              }
        }
      else if (is (n, "scoring"))
        {
          PsimScoring *s = &sc->scoring;
          s->pass_mark = prop_int (n, "pass-mark", s->pass_mark);
          s->step = prop_int (n, "step", s->step);
          s->wrong = prop_int (n, "wrong", s->wrong);
          s->unnecessary = prop_int (n, "unnecessary", s->unnecessary);
          s->out_of_order = prop_int (n, "out-of-order", s->out_of_order);
          s->skipped = prop_int (n, "skipped", s->skipped);
          s->attempts = prop_int (n, "attempts", s->attempts);
        }
      else if (is (n, "time-limit"))
        {
          sc->limit_days = prop_double (n, "simulated-days", 0);
          sc->limit_minutes = prop_double (n, "real-minutes", 0);
          sc->limit_line = line_of (n);
        }
      else if (is (n, "decision"))
        read_distractors (ld, sc, n);
      else if (is (n, "question"))
        read_question (ld, sc, n);
      else if (is (n, "hint"))
        {
          PsimHint *h = g_new0 (PsimHint, 1);
          h->at = prop (n, "at");
          h->line = line_of (n);
          h->cost = prop_int (n, "cost", 2);
          h->texts = psim_texts_new ();
          read_texts (ld, n, "text", h->texts);
          g_ptr_array_add (sc->hints, h);
        }
    }
}

/* "scenarios/../workflows/x.xml" → "workflows/x.xml", lexically. */
static char *
resolve_href (const char *scenario_file, const char *href)
{
  if (g_path_is_absolute (href))
    return g_strdup (href);
  g_autofree char *dir = g_path_get_dirname (scenario_file);
  g_autofree char *joined = g_build_filename (dir, href, NULL);
  g_auto (GStrv) parts = g_strsplit (joined, "/", -1);
  g_autoptr (GPtrArray) out = g_ptr_array_new ();
  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *p = parts[i];
      if (strcmp (p, ".") == 0 || (p[0] == '\0' && i > 0))
        continue;
      if (strcmp (p, "..") == 0 && out->len > 0
          && strcmp (g_ptr_array_index (out, out->len - 1), "..") != 0
          && ((const char *) g_ptr_array_index (out, out->len - 1))[0] != '\0')
        {
          g_ptr_array_set_size (out, out->len - 1);
          continue;
        }
      g_ptr_array_add (out, (gpointer) p);
    }
  if (out->len == 0)
    return g_strdup (".");
  g_ptr_array_add (out, NULL);
  return g_strjoinv ("/", (char **) out->pdata);
}

/* ---- the ideal run ------------------------------------------------------- */

typedef struct {
  const PsimNode *split;
  GArray *before; /* guint: occurrences the split waits for */
  GArray *ends;   /* guint: the last occurrences of the branches walked */
} Open;

static void
open_clear (Open *o)
{
  g_array_unref (o->before);
  g_array_unref (o->ends);
}

static GArray *
occ_set_new (void)
{
  return g_array_new (FALSE, FALSE, sizeof (guint));
}

static void
occ_set_copy (GArray *to, const GArray *from)
{
  g_array_set_size (to, 0);
  g_array_append_vals (to, from->data, from->len);
}

/* The successor of position @i of @path, as the path went. */
static const PsimNode *
path_successor (const PsimPath *path, guint i)
{
  const PsimNode *n = psim_path_get_node (path, i);
  int b = psim_path_get_branch (path, i);
  if (b >= 0)
    return psim_node_get_successor (n, (guint) b);
  if (psim_node_get_kind (n) == PSIM_NODE_SPLIT || psim_node_get_kind (n) == PSIM_NODE_END)
    return NULL;
  return psim_node_get_n_successors (n) > 0 ? psim_node_get_successor (n, 0) : NULL;
}

/* Builds the occurrences and their order from the path. The path lists a
 * split's branches one after the other; a branch ends at the node whose
 * successor is the split's join. */
static void
build_occurrences (PsimScenario *sc)
{
  const PsimPath *path = sc->path;
  g_autoptr (GArray) cur = occ_set_new ();
  g_autoptr (GArray) open = g_array_new (FALSE, FALSE, sizeof (Open));
  g_array_set_clear_func (open, (GDestroyNotify) open_clear);

  for (guint i = 0; i < psim_path_get_n_nodes (path); i++)
    {
      const PsimNode *n = psim_path_get_node (path, i);
      PsimNodeKind kind = psim_node_get_kind (n);
      if (kind == PSIM_NODE_STEP)
        {
          PsimOccurrence o = { .node = n, .path_index = i, .preds = occ_set_new () };
          occ_set_copy (o.preds, cur);
          guint n_fees = 0;
          const double *fees = psim_path_get_fees (path, i, &n_fees);
          for (guint f = 0; f < n_fees; f++)
            o.fees += fees[f];
          if (psim_step_is_interaction (n))
            o.documents = psim_step_get_n_inputs (n);
          PsimElapsed start = { 0 };
          for (guint p = 0; p < cur->len; p++)
            {
              const PsimOccurrence *po = &g_array_index (sc->occurrences, PsimOccurrence,
                                                         g_array_index (cur, guint, p));
              if (psim_elapsed_days (&po->finish) > psim_elapsed_days (&start))
                start = po->finish;
            }
          o.finish = start;
          psim_elapsed_add_step (&o.finish, n);
          o.distractors = g_ptr_array_new ();
          o.questions = g_ptr_array_new ();
          g_array_append_val (sc->occurrences, o);
          guint idx = sc->occurrences->len - 1;
          g_array_set_size (cur, 0);
          g_array_append_val (cur, idx);
        }
      else if (kind == PSIM_NODE_SPLIT)
        {
          Open o = { .split = n, .before = occ_set_new (), .ends = occ_set_new () };
          occ_set_copy (o.before, cur);
          /* A branch straight to the join ends where the split starts. */
          for (guint b = 0; b < psim_node_get_n_successors (n); b++)
            if (psim_node_get_successor (n, b) == psim_node_get_join (n))
              g_array_append_vals (o.ends, cur->data, cur->len);
          g_array_append_val (open, o);
        }
      else if (kind == PSIM_NODE_JOIN && open->len > 0
               && g_array_index (open, Open, open->len - 1).split != NULL
               && psim_node_get_join (g_array_index (open, Open, open->len - 1).split) == n)
        {
          Open *top = &g_array_index (open, Open, open->len - 1);
          occ_set_copy (cur, top->ends);
          g_array_set_size (open, open->len - 1);
        }

      /* The end of a branch: remember its last steps, start the next
       * branch from the split's own predecessors. */
      const PsimNode *next = path_successor (path, i);
      if (open->len > 0 && kind != PSIM_NODE_SPLIT)
        {
          Open *top = &g_array_index (open, Open, open->len - 1);
          if (next != NULL && next == psim_node_get_join (top->split))
            {
              g_array_append_vals (top->ends, cur->data, cur->len);
              occ_set_copy (cur, top->before);
            }
        }
    }
}

/* TRUE when occurrence @a must be done before occurrence @b. */
static gboolean
comes_before (const PsimScenario *sc, guint a, guint b)
{
  g_autoptr (GArray) stack = occ_set_new ();
  g_autofree gboolean *seen = g_new0 (gboolean, sc->occurrences->len);
  g_array_append_val (stack, b);
  while (stack->len > 0)
    {
      guint x = g_array_index (stack, guint, stack->len - 1);
      g_array_set_size (stack, stack->len - 1);
      const GArray *preds = g_array_index (sc->occurrences, PsimOccurrence, x).preds;
      for (guint i = 0; i < preds->len; i++)
        {
          guint p = g_array_index (preds, guint, i);
          if (p == a)
            return TRUE;
          if (!seen[p])
            {
              seen[p] = TRUE;
              g_array_append_val (stack, p);
            }
        }
    }
  return FALSE;
}

/* ---- checks -------------------------------------------------------------- */

/* Occurrences of step @id on the ideal run, into @out; FALSE (and a
 * diagnostic) when there is none. */
static gboolean
find_on_path (Load *ld, PsimScenario *sc, const char *id, guint line, const char *what,
              GArray *out)
{
  for (guint i = 0; i < sc->occurrences->len; i++)
    if (strcmp (psim_node_get_id (g_array_index (sc->occurrences, PsimOccurrence, i).node), id)
        == 0)
      g_array_append_val (out, i);
  if (out->len > 0)
    return TRUE;
  const PsimNode *n = psim_variant_find_node (sc->variant, id);
  if (n == NULL || psim_node_get_kind (n) != PSIM_NODE_STEP)
    psim_diag_add (ld->diags, PSIM_SEVERITY_ERROR, ld->file, line,
                   psim_gettext (ld->lang, "%s: variant '%s' has no step '%s'"), what,
                   psim_variant_get_id (sc->variant), id);
  else
    psim_diag_add (ld->diags, PSIM_SEVERITY_ERROR, ld->file, line,
                   psim_gettext (ld->lang, "%s: step '%s' is not on this case's path"), what, id);
  return FALSE;
}

static void
check_distractor (Load *ld, PsimScenario *sc, PsimDistractor *d, GHashTable *ids)
{
  g_autofree char *what = g_strdup_printf (psim_gettext (ld->lang, "distractor '%s'"), d->id);
  if (g_hash_table_contains (ids, d->id))
    psim_diag_add (ld->diags, PSIM_SEVERITY_ERROR, ld->file, d->line,
                   psim_gettext (ld->lang, "%s: the id is already used"), what);
  else
    g_hash_table_add (ids, d->id);
  if (psim_variant_find_node (sc->variant, d->id) != NULL)
    psim_diag_add (
        ld->diags, PSIM_SEVERITY_ERROR, ld->file, d->line,
        psim_gettext (ld->lang,
                      "%s: the id is a node of variant '%s'; give the distractor its own id"),
        what, psim_variant_get_id (sc->variant));
  if (d->cost < 0)
    d->cost = d->kind == PSIM_DISTRACTOR_UNNECESSARY    ? sc->scoring.unnecessary
              : d->kind == PSIM_DISTRACTOR_OUT_OF_ORDER ? sc->scoring.out_of_order
                                                        : sc->scoring.wrong;

  g_autoptr (GArray) at = occ_set_new ();
  gboolean at_ok = find_on_path (ld, sc, d->at, d->line, what, at);

  if (d->step_id == NULL)
    {
      if (d->kind == PSIM_DISTRACTOR_OUT_OF_ORDER)
        psim_diag_add (
            ld->diags, PSIM_SEVERITY_ERROR, ld->file, d->line,
            psim_gettext (ld->lang,
                          "%s: an out-of-order distractor names the step it brings too early "
                          "(step=\"...\")"),
            what);
      else if (d->kind == PSIM_DISTRACTOR_UNNECESSARY)
        psim_diag_add (
            ld->diags, PSIM_SEVERITY_ERROR, ld->file, d->line,
            psim_gettext (ld->lang,
                          "%s: an unnecessary distractor names the step of the compared variant "
                          "it stands for (step=\"...\")"),
            what);
      else if (d->labels->len == 0)
        psim_diag_add (
            ld->diags, PSIM_SEVERITY_ERROR, ld->file, d->line,
            psim_gettext (ld->lang, "%s: needs a <label> or a step=\"...\" to take it from"), what);
    }
  else if (d->kind == PSIM_DISTRACTOR_MISTAKE)
    psim_diag_add (ld->diags, PSIM_SEVERITY_ERROR, ld->file, d->line,
                   psim_gettext (ld->lang, "%s: a mistake names no step; give it a <label>"), what);
  else if (d->kind == PSIM_DISTRACTOR_UNNECESSARY)
    {
      if (sc->compare == NULL)
        psim_diag_add (
            ld->diags, PSIM_SEVERITY_ERROR, ld->file, d->line,
            psim_gettext (ld->lang,
                          "%s: step '%s' is taken from the compared variant, but the scenario "
                          "compares with none (<procedure compare=\"...\">)"),
            what, d->step_id);
      else
        {
          d->step = psim_variant_find_node (sc->compare, d->step_id);
          if (d->step == NULL || psim_node_get_kind (d->step) != PSIM_NODE_STEP)
            {
              d->step = NULL;
              psim_diag_add (ld->diags, PSIM_SEVERITY_ERROR, ld->file, d->line,
                             psim_gettext (ld->lang, "%s: variant '%s' has no step '%s'"), what,
                             psim_variant_get_id (sc->compare), d->step_id);
            }
        }
    }
  else
    {
      g_autoptr (GArray) later = occ_set_new ();
      if (find_on_path (ld, sc, d->step_id, d->line, what, later) && at_ok)
        {
          d->step = g_array_index (sc->occurrences, PsimOccurrence,
                                   g_array_index (later, guint, 0)).node;
          for (guint i = 0; i < at->len; i++)
            {
              gboolean after = FALSE;
              for (guint j = 0; j < later->len && !after; j++)
                after = comes_before (sc, g_array_index (at, guint, i),
                                      g_array_index (later, guint, j));
              if (!after)
                {
                  psim_diag_add (
                      ld->diags, PSIM_SEVERITY_ERROR, ld->file, d->line,
                      psim_gettext (ld->lang, "%s: step '%s' does not come after step '%s' on this "
                                              "case's path, so it is not out of order there"),
                      what, d->step_id, d->at);
                  break;
                }
            }
        }
    }
  for (guint i = 0; i < at->len; i++)
    g_ptr_array_add (g_array_index (sc->occurrences, PsimOccurrence,
                                    g_array_index (at, guint, i)).distractors,
                     d);
}

static void
check_question (Load *ld, PsimScenario *sc, PsimQuestion *q, GHashTable *ids)
{
  g_autofree char *what = g_strdup_printf (psim_gettext (ld->lang, "question '%s'"), q->id);
  if (g_hash_table_contains (ids, q->id))
    psim_diag_add (ld->diags, PSIM_SEVERITY_ERROR, ld->file, q->line,
                   psim_gettext (ld->lang, "%s: the id is already used"), what);
  else
    g_hash_table_add (ids, q->id);
  g_autoptr (GArray) after = occ_set_new ();
  if (find_on_path (ld, sc, q->after, q->line, what, after))
    for (guint i = 0; i < after->len; i++)
      g_ptr_array_add (g_array_index (sc->occurrences, PsimOccurrence,
                                      g_array_index (after, guint, i)).questions,
                       q);

  guint n_correct = 0;
  g_autoptr (GHashTable) option_ids = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < q->options->len; i++)
    {
      const PsimOption *o = g_ptr_array_index (q->options, i);
      n_correct += o->correct;
      if (!g_hash_table_add (option_ids, o->id))
        psim_diag_add (ld->diags, PSIM_SEVERITY_ERROR, ld->file, q->line,
                       psim_gettext (ld->lang, "%s: option '%s' is given twice"), what, o->id);
    }
  switch (q->kind)
    {
    case PSIM_QUESTION_SINGLE:
      if (n_correct != 1)
        psim_diag_add (
            ld->diags, PSIM_SEVERITY_ERROR, ld->file, q->line,
            psim_gettext (ld->lang,
                          "%s: a single-choice question needs exactly one correct option, "
                          "it has %u"),
            what, n_correct);
      break;
    case PSIM_QUESTION_MULTIPLE:
      if (n_correct == 0)
        psim_diag_add (ld->diags, PSIM_SEVERITY_ERROR, ld->file, q->line,
                       psim_gettext (ld->lang, "%s: no option is marked correct=\"true\""), what);
      break;
    case PSIM_QUESTION_ORDER:
      if (q->options->len < 2)
        psim_diag_add (
            ld->diags, PSIM_SEVERITY_ERROR, ld->file, q->line,
            psim_gettext (ld->lang, "%s: an ordering question needs at least two options"), what);
      break;
    case PSIM_QUESTION_NUMBER:
    default:
      if (q->expr == NULL)
        psim_diag_add (
            ld->diags, PSIM_SEVERITY_ERROR, ld->file, q->line,
            psim_gettext (ld->lang, "%s: a number question needs an <answer expr=\"...\">"), what);
      else
        {
          g_autoptr (GError) err = NULL;
          if (!psim_case_eval_number (sc->pcase, q->expr, &q->answer, &err))
            psim_diag_add (ld->diags, PSIM_SEVERITY_ERROR, ld->file, q->line, "%s: %s", what,
                           err->message);
        }
      break;
    }
  if (q->kind != PSIM_QUESTION_NUMBER && q->options->len == 0)
    psim_diag_add (ld->diags, PSIM_SEVERITY_ERROR, ld->file, q->line,
                   psim_gettext (ld->lang, "%s: a %s question needs <option> elements"), what,
                   psim_question_kind_to_string (q->kind));
}

static void
check_hint (Load *ld, PsimScenario *sc, const PsimHint *h)
{
  g_autoptr (GArray) at = occ_set_new ();
  if (!find_on_path (ld, sc, h->at, h->line, psim_gettext (ld->lang, "hint"), at))
    return;
  for (guint i = 0; i < at->len; i++)
    {
      PsimOccurrence *o = &g_array_index (sc->occurrences, PsimOccurrence, g_array_index (at, guint, i));
      if (o->hint != NULL)
        {
          psim_diag_add (ld->diags, PSIM_SEVERITY_ERROR, ld->file, h->line,
                         psim_gettext (ld->lang, "hint: step '%s' already has a hint (line %u)"),
                         h->at, o->hint->line);
          return;
        }
      o->hint = h;
    }
}

/* Plays the ideal run: it must end, and reach the pass mark in time. */
static void
check_perfect_run (Load *ld, PsimScenario *sc)
{
  g_autoptr (PsimSession) s = psim_session_new (sc, 0);
  psim_session_set_language (s, ld->lang);
  guint guard = 0;
  while (psim_session_get_prompt (s) != PSIM_PROMPT_FINISHED && guard++ < 100000)
    {
      g_autofree char *answer = psim_session_dup_ideal_answer (s);
      g_autoptr (GError) err = NULL;
      if (!psim_session_answer (s, answer, 0, &err))
        {
          psim_diag_add (ld->diags, PSIM_SEVERITY_ERROR, ld->file, 0,
                         psim_gettext (ld->lang, "a perfect run fails at answer %u (\"%s\"): %s"),
                         psim_session_get_n_answers (s) + 1, answer, err->message);
          return;
        }
    }
  const PsimScore *score = psim_session_get_score (s);
  if (score->over_time)
    psim_diag_add (
        ld->diags, PSIM_SEVERITY_ERROR, ld->file, sc->limit_line,
        psim_gettext (ld->lang, "a perfect run takes %g days, over the time limit of %g"),
        psim_elapsed_days (&psim_session_get_tally (s)->clock), sc->limit_days);
  else if (!score->passed)
    psim_diag_add (
        ld->diags, PSIM_SEVERITY_ERROR, ld->file, 0,
        psim_gettext (ld->lang, "a perfect run scores %.0f %%, under the pass mark of %d %%"),
        score->percent, sc->scoring.pass_mark);
}

/* Loads the procedure and everything that depends on it. FALSE when the
 * scenario cannot be checked further. */
static gboolean
link_procedure (Load *ld, PsimScenario *sc, PsimLoader *loader, const Refs *refs)
{
  g_autofree char *proc_file = resolve_href (ld->file, refs->href);
  g_autoptr (GError) err = NULL;
  g_autoptr (GBytes) proc_bytes = NULL;
  sc->proc = psimp_loader_load_shared (loader, proc_file, ld->diags, &proc_bytes, &err);
  if (sc->proc == NULL)
    {
      psim_diag_add (ld->diags, PSIM_SEVERITY_ERROR, ld->file, refs->line,
                     psim_gettext (ld->lang, "the procedure '%s' cannot be loaded"), proc_file);
      return FALSE;
    }
  /* A checkpoint replays answers against the steps, fees and durations of
   * the procedure too: its bytes are part of the checksum. */
  gsize proc_size = 0;
  const guchar *proc_data = g_bytes_get_data (proc_bytes, &proc_size);
  if (proc_size > 0)
    {
      g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
      g_checksum_update (sum, (const guchar *) sc->checksum, -1);
      g_checksum_update (sum, proc_data, (gssize) proc_size);
      g_free (sc->checksum);
      sc->checksum = g_strdup (g_checksum_get_string (sum));
    }
  sc->variant = psim_procedure_find_variant (sc->proc, refs->variant);
  if (sc->variant == NULL)
    {
      psim_diag_add (ld->diags, PSIM_SEVERITY_ERROR, ld->file, refs->line,
                     psim_gettext (ld->lang, "procedure '%s' has no variant '%s'"),
                     psim_procedure_get_id (sc->proc), refs->variant);
      return FALSE;
    }
  if (refs->compare != NULL)
    {
      sc->compare = psim_procedure_find_variant (sc->proc, refs->compare);
      if (sc->compare == NULL)
        psim_diag_add (ld->diags, PSIM_SEVERITY_ERROR, ld->file, refs->line,
                       psim_gettext (ld->lang, "procedure '%s' has no variant '%s'"),
                       psim_procedure_get_id (sc->proc), refs->compare);
      else if (sc->compare == sc->variant)
        psim_diag_add (ld->diags, PSIM_SEVERITY_ERROR, ld->file, refs->line,
                       psim_gettext (ld->lang, "variant '%s' is compared with itself"),
                       refs->compare);
    }
  if (refs->actor != NULL)
    {
      gboolean found = FALSE;
      for (guint i = 0; i < psim_procedure_get_n_actors (sc->proc) && !found; i++)
        found = strcmp (psim_actor_get_id (psim_procedure_get_actor (sc->proc, i)), refs->actor)
                == 0;
      if (!found)
        psim_diag_add (ld->diags, PSIM_SEVERITY_ERROR, ld->file, refs->actor_line,
                       psim_gettext (ld->lang, "persona: procedure '%s' has no actor '%s'"),
                       psim_procedure_get_id (sc->proc), refs->actor);
    }
  sc->pcase = psim_case_new (sc->proc);
  psim_case_set_language (sc->pcase, ld->lang);
  gboolean case_ok = TRUE;
  for (guint i = 0; i < refs->sets->len; i++)
    {
      const CaseSet *s = g_ptr_array_index (refs->sets, i);
      g_autoptr (GError) e = NULL;
      if (!psim_case_set (sc->pcase, s->param, s->value, &e))
        {
          psim_diag_add (ld->diags, PSIM_SEVERITY_ERROR, ld->file, s->line, "%s", e->message);
          case_ok = FALSE;
        }
    }
  if (!case_ok)
    return FALSE;
  sc->path = psim_path_new (sc->variant, sc->pcase, &err);
  if (sc->path == NULL)
    {
      psim_diag_add (ld->diags, PSIM_SEVERITY_ERROR, ld->file, refs->line,
                     psim_gettext (ld->lang, "variant '%s' for this case: %s"), refs->variant,
                     err->message);
      return FALSE;
    }
  if (sc->compare != NULL && sc->compare != sc->variant)
    {
      g_clear_error (&err);
      sc->compare_path = psim_path_new (sc->compare, sc->pcase, &err);
      if (sc->compare_path == NULL)
        psim_diag_add (ld->diags, PSIM_SEVERITY_ERROR, ld->file, refs->line,
                       psim_gettext (ld->lang, "variant '%s' for this case: %s"), refs->compare,
                       err->message);
    }
  build_occurrences (sc);
  return TRUE;
}

/* The words the trainer reads as commands cannot be ids a trainee types. */
static gboolean
is_command (const char *id)
{
  static const char *const words[] = { "hint", "skip", "h", "s", "q" };
  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    if (g_ascii_strcasecmp (id, words[i]) == 0)
      return TRUE;
  return FALSE;
}

static void
check_commands (Load *ld, PsimScenario *sc)
{
  for (guint i = 0; i < sc->occurrences->len; i++)
    {
      const PsimNode *n = g_array_index (sc->occurrences, PsimOccurrence, i).node;
      if (is_command (psim_node_get_id (n)))
        psim_diag_add (
            ld->diags, PSIM_SEVERITY_ERROR, ld->file, 0,
            psim_gettext (ld->lang,
                          "step '%s' of the procedure has the name of a trainer's command; "
                          "rename it in the procedure"),
            psim_node_get_id (n));
    }
  for (guint i = 0; i < sc->distractors->len; i++)
    {
      const PsimDistractor *d = g_ptr_array_index (sc->distractors, i);
      if (is_command (d->id))
        psim_diag_add (
            ld->diags, PSIM_SEVERITY_ERROR, ld->file, d->line,
            psim_gettext (ld->lang,
                          "distractor '%s': the id is a trainer's command (hint, skip, h, s, q)"),
            d->id);
    }
  for (guint i = 0; i < sc->questions->len; i++)
    {
      const PsimQuestion *q = g_ptr_array_index (sc->questions, i);
      for (guint o = 0; o < q->options->len; o++)
        {
          const PsimOption *opt = g_ptr_array_index (q->options, o);
          if (is_command (opt->id))
            psim_diag_add (
                ld->diags, PSIM_SEVERITY_ERROR, ld->file, q->line,
                psim_gettext (ld->lang,
                              "question '%s': option '%s' is a trainer's command (hint, skip, h, "
                              "s, q)"),
                q->id, opt->id);
        }
    }
}

static void
check_scenario (Load *ld, PsimScenario *sc)
{
  check_commands (ld, sc);
  g_autoptr (GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < sc->distractors->len; i++)
    check_distractor (ld, sc, g_ptr_array_index (sc->distractors, i), ids);
  g_autoptr (GHashTable) qids = g_hash_table_new (g_str_hash, g_str_equal);
  sc->max_score = sc->scoring.step * (int) sc->occurrences->len;
  for (guint i = 0; i < sc->questions->len; i++)
    {
      PsimQuestion *q = g_ptr_array_index (sc->questions, i);
      check_question (ld, sc, q, qids);
      /* Asked once per pass over its step. */
      for (guint o = 0; o < sc->occurrences->len; o++)
        {
          const PsimOccurrence *occ = &g_array_index (sc->occurrences, PsimOccurrence, o);
          for (guint k = 0; k < occ->questions->len; k++)
            if (g_ptr_array_index (occ->questions, k) == q)
              sc->max_score += q->points;
        }
    }
  for (guint i = 0; i < sc->hints->len; i++)
    check_hint (ld, sc, g_ptr_array_index (sc->hints, i));
}

/* The findings about the procedure (which the loader has put in order)
 * first, then the scenario's, by line; the sort is stable. */
static gint
compare_lines (gconstpointer a, gconstpointer b, gpointer user_data)
{
  const char *file = user_data;
  const PsimDiagnostic *x = *(const PsimDiagnostic *const *) a;
  const PsimDiagnostic *y = *(const PsimDiagnostic *const *) b;
  gboolean xs = g_strcmp0 (x->file, file) == 0, ys = g_strcmp0 (y->file, file) == 0;
  if (xs != ys)
    return xs ? 1 : -1;
  if (!xs)
    return 0;
  return (x->line > y->line) - (x->line < y->line);
}

/* Parses, validates, reads and checks @data; findings into @found.
 * (transfer full) (nullable) */
static PsimScenario *
load (PsimLoader *loader, const char *data, gsize size, const char *name, GPtrArray *found,
      GError **error)
{
  Load ld = { .file = name, .lang = psim_loader_get_language (loader), .diags = found };
  g_autoptr (PsimScenario) sc = NULL;
  if (size > PSIM_LOAD_MAX_FILE_SIZE)
    {
      psim_diag_add (found, PSIM_SEVERITY_ERROR, name, 0,
                     psim_gettext (ld.lang, "file too large: %lu bytes (the limit is %lu)"),
                     (unsigned long)size, (unsigned long)PSIM_LOAD_MAX_FILE_SIZE);
      return NULL;
    }
  if (size == 0)
    {
      psim_diag_add (found, PSIM_SEVERITY_ERROR, name, 0,
                     psim_gettext (ld.lang, "the file is empty"));
      return NULL;
    }
  g_autoptr (xmlDoc) doc = parse (&ld, data, size);
  guint before = psim_diagnostics_count_errors (found);
  if (doc == NULL)
    {
      if (psim_diagnostics_count_errors (found) == 0)
        psim_diag_add (found, PSIM_SEVERITY_ERROR, name, 0,
                       psim_gettext (ld.lang, "not a well-formed XML file"));
      return NULL;
    }
  if (!validate (&ld, loader, doc, error) || psim_diagnostics_count_errors (found) > before)
    return NULL;
  sc = scenario_new (name);
  sc->checksum = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data, size);
  Refs refs = { .sets = g_ptr_array_new_with_free_func ((GDestroyNotify) case_set_free) };
  read_scenario (&ld, sc, xmlDocGetRootElement (doc), &refs);
  report_languages (&ld);
  if (link_procedure (&ld, sc, loader, &refs))
    {
      check_scenario (&ld, sc);
      if (psim_diagnostics_count_errors (found) == 0)
        check_perfect_run (&ld, sc);
    }
  g_free (refs.href);
  g_free (refs.variant);
  g_free (refs.compare);
  g_free (refs.actor);
  g_ptr_array_unref (refs.sets);
  return g_steal_pointer (&sc);
}

/* Hands the findings over and decides: the scenario, or NULL and @error. */
static PsimScenario *
finish (PsimScenario *sc, const char *name, const char *lang, GPtrArray *found, GPtrArray *diags,
        GError **error)
{
  g_ptr_array_sort_with_data (found, compare_lines, (gpointer) name);
  guint n_errors = psim_diagnostics_count_errors (found);
  if (diags != NULL)
    g_ptr_array_extend_and_steal (diags, g_ptr_array_ref (found));
  if (n_errors > 0 || (sc == NULL && error != NULL && *error == NULL))
    {
      g_clear_pointer (&sc, psim_scenario_unref);
      if (error != NULL && *error == NULL)
        g_set_error (error, PSIM_LOAD_ERROR, PSIM_LOAD_ERROR_INVALID,
                     psim_ngettext (lang, "%s: %u error", "%s: %u errors", n_errors), name,
                     n_errors);
      return NULL;
    }
  return sc;
}

PsimScenario *
psim_scenario_load_memory (PsimLoader *loader, const char *data, gsize size, const char *name,
                           GPtrArray *diags, GError **error)
{
  g_return_val_if_fail (loader != NULL && data != NULL && name != NULL, NULL);
  g_autoptr (GPtrArray) found = psim_diagnostics_new ();
  PsimScenario *sc = load (loader, data, size, name, found, error);
  return finish (sc, name, psim_loader_get_language (loader), found, diags, error);
}

PsimScenario *
psim_scenario_load_file (PsimLoader *loader, const char *path, GPtrArray *diags, GError **error)
{
  g_return_val_if_fail (loader != NULL && path != NULL, NULL);
  g_autoptr (GPtrArray) found = psim_diagnostics_new ();
  PsimScenario *sc = NULL;
  gsize size = 0;
  g_autoptr (GError) local = NULL;
  g_autofree char *data = psim_file_read (path, PSIM_LOAD_MAX_FILE_SIZE,
                                         psim_loader_get_language (loader), &size, &local);
  if (data == NULL)
    psim_diag_add (found, PSIM_SEVERITY_ERROR, path, 0, "%s", local->message);
  else
    sc = load (loader, data, size, path, found, error);
  return finish (sc, path, psim_loader_get_language (loader), found, diags, error);
}

/* ---- getters ------------------------------------------------------------- */

const char *psim_scenario_get_id (const PsimScenario *sc) { return sc->id; }
const char *psim_scenario_get_file (const PsimScenario *sc) { return sc->file; }
const char *psim_scenario_get_checksum (const PsimScenario *sc) { return sc->checksum; }
const char *psim_scenario_get_title (const PsimScenario *sc, const char *lang) { return psim_texts_get (sc->titles, lang); }
const char *psim_scenario_get_briefing (const PsimScenario *sc, const char *lang) { return psim_texts_get (sc->briefings, lang); }
const char *psim_scenario_get_persona (const PsimScenario *sc, const char *lang) { return psim_texts_get (sc->persona_names, lang); }
const char *psim_scenario_get_role (const PsimScenario *sc, const char *lang) { return psim_texts_get (sc->persona_roles, lang); }
const char *psim_scenario_get_case_description (const PsimScenario *sc, const char *lang) { return psim_texts_get (sc->case_descriptions, lang); }
guint psim_scenario_get_n_objectives (const PsimScenario *sc) { return sc->objectives->len; }
const char *psim_scenario_get_debrief (const PsimScenario *sc, const char *lang) { return psim_texts_get (sc->debriefs, lang); }
const PsimScoring *psim_scenario_get_scoring (const PsimScenario *sc) { return &sc->scoring; }
double psim_scenario_get_time_limit_days (const PsimScenario *sc) { return sc->limit_days; }
double psim_scenario_get_time_limit_minutes (const PsimScenario *sc) { return sc->limit_minutes; }
PsimProcedure *psim_scenario_get_procedure (const PsimScenario *sc) { return sc->proc; }
const PsimVariant *psim_scenario_get_variant (const PsimScenario *sc) { return sc->variant; }
const PsimVariant *psim_scenario_get_compare_variant (const PsimScenario *sc) { return sc->compare; }
const PsimCase *psim_scenario_get_case (const PsimScenario *sc) { return sc->pcase; }
const PsimPath *psim_scenario_get_path (const PsimScenario *sc) { return sc->path; }
const PsimPath *psim_scenario_get_compare_path (const PsimScenario *sc) { return sc->compare_path; }
guint psim_scenario_get_n_path_steps (const PsimScenario *sc) { return sc->occurrences->len; }
int psim_scenario_get_max_score (const PsimScenario *sc) { return sc->max_score; }
guint psim_scenario_get_n_questions (const PsimScenario *sc) { return sc->questions->len; }

const char *
psim_scenario_get_objective (const PsimScenario *sc, guint i, const char *lang)
{
  g_return_val_if_fail (i < sc->objectives->len, NULL);
  return psim_texts_get (g_ptr_array_index (sc->objectives, i), lang);
}

const PsimQuestion *
psim_scenario_get_question (const PsimScenario *sc, guint i)
{
  g_return_val_if_fail (i < sc->questions->len, NULL);
  return g_ptr_array_index (sc->questions, i);
}

const char *psim_question_get_id (const PsimQuestion *q) { return q->id; }
PsimQuestionKind psim_question_get_kind (const PsimQuestion *q) { return q->kind; }
int psim_question_get_points (const PsimQuestion *q) { return q->points; }
const char *psim_question_get_prompt (const PsimQuestion *q, const char *lang) { return psim_texts_get (q->prompt, lang); }
const char *psim_question_get_feedback (const PsimQuestion *q, const char *lang) { return psim_texts_get (q->feedback, lang); }
guint psim_question_get_n_options (const PsimQuestion *q) { return q->options->len; }
double psim_question_get_answer (const PsimQuestion *q) { return q->answer; }
double psim_question_get_tolerance (const PsimQuestion *q) { return q->tolerance; }
const char *psim_question_get_unit (const PsimQuestion *q) { return q->unit; }

static const PsimOption *
option (const PsimQuestion *q, guint i)
{
  g_return_val_if_fail (i < q->options->len, NULL);
  return g_ptr_array_index (q->options, i);
}

const char *
psim_question_get_option_id (const PsimQuestion *q, guint i)
{
  const PsimOption *o = option (q, i);
  return o != NULL ? o->id : NULL;
}

const char *
psim_question_get_option_label (const PsimQuestion *q, guint i, const char *lang)
{
  const PsimOption *o = option (q, i);
  return o != NULL ? psim_texts_get (o->labels, lang) : NULL;
}

const char *
psim_question_get_option_feedback (const PsimQuestion *q, guint i, const char *lang)
{
  const PsimOption *o = option (q, i);
  return o != NULL ? psim_texts_get (o->feedback, lang) : NULL;
}

gboolean
psim_question_get_option_correct (const PsimQuestion *q, guint i)
{
  const PsimOption *o = option (q, i);
  return o != NULL && o->correct;
}
