/* psim-scenario-load.c — reading a training scenario file.
 *
 * A scenario is small (a few hundred lines), so unlike procedures it is
 * parsed into a tree and validated against the embedded scenario.xsd with
 * the network off and any DOCTYPE refused. The tree is then read into the
 * structures of psim-train-private.h, the procedure it names is loaded, the
 * ideal run is computed once (psim-ideal-run.c) and every reference and a
 * perfect run are checked (psim-scenario-check.c), so that the engine can
 * trust what it is given.
 */
#include "psim-train-private.h"
#include "psim-xml-private.h"

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


/* ---- parsing ------------------------------------------------------------- */

typedef PsimpScenarioLoad Load;

static void
on_xml_error (void *user_data, xmlErrorPtr e)
{
  Load *ld = user_data;
  if (e == NULL || e->level == XML_ERR_NONE)
    return;
  psimp_xml_diag_add (ld->diags, ld->file, e, SCENARIO_NS);
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
  psimp_xml_refuse_doctype (pctxt, ld->diags, ld->file,
                            psim_gettext (ld->lang, "a DOCTYPE is not allowed in a scenario"));
}

static xmlDoc *
parse (Load *ld, const char *data, gsize size)
{
  g_autoptr (xmlParserCtxt) ctxt
      = psimp_xml_parser_new (data, size, ld->file, XML_PARSE_BIG_LINES | XML_PARSE_NOWARNING);
  if (ctxt == NULL)
    return NULL;
  ctxt->_private = ld;
  ctxt->sax->internalSubset = refuse_dtd;
  ctxt->sax->serror = on_parse_error;
  /* libxml2 reports some encoding failures through its global handler,
   * not the context's: that handler is ours for the parse. */
  PsimpXmlGlobalErrors saved;
  psimp_xml_catch_global_errors (&saved, on_xml_error, ld);
  xmlParseDocument (ctxt);
  psimp_xml_release_global_errors (&saved);
  xmlDoc *doc = g_steal_pointer (&ctxt->myDoc);
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
  /* The global handler from before the reader is made: making it reads
   * the first bytes, and a failure there is reported globally. */
  PsimpXmlGlobalErrors saved;
  psimp_xml_catch_global_errors (&saved, ignore_reader_error, NULL);
  xmlTextReaderPtr reader = xmlReaderForFd (fd, path, NULL, PSIMP_XML_SAFE_OPTIONS);
  if (reader == NULL)
    {
      psimp_xml_release_global_errors (&saved);
      close (fd);
      return FALSE;
    }
  xmlTextReaderSetStructuredErrorHandler (reader, ignore_reader_error, NULL);
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
  psimp_xml_release_global_errors (&saved);
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
  char *param; /* or the choice of a <branch> */
  char *value; /* or the node it leads to */
  guint line;
  gboolean branch;
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
      d->kind = MAX (0, psim_enum_from_string (psimp_distractor_kind_names, kind));
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
  q->kind = MAX (0, psim_enum_from_string (psimp_question_kind_names, type));
  q->points = prop_int (n, "points", 10);
  q->prompt = psim_texts_new ();
  q->feedback = psim_texts_new ();
  q->options = g_ptr_array_new_with_free_func ((GDestroyNotify) psimp_option_free);
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
            if (is (c, "set") || is (c, "branch"))
              {
                CaseSet *s = g_new0 (CaseSet, 1);
                s->branch = is (c, "branch");
                s->param = prop (c, s->branch ? "choice" : "param");
                s->value = prop (c, s->branch ? "to" : "value");
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
      if (s->branch ? !psim_case_set_branch (sc->pcase, s->param, s->value, &e)
                    : !psim_case_set (sc->pcase, s->param, s->value, &e))
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
  psimp_ideal_run_build (sc);
  return TRUE;
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
  guint line = 0;
  if (!psim_xml_check_attributes (data, size, &line))
    {
      psim_diag_add (found, PSIM_SEVERITY_ERROR, name, line,
                     psim_gettext (ld.lang, "an element has more than %d attributes"),
                     PSIM_XML_MAX_ATTRIBUTES);
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
  sc = psimp_scenario_new (name);
  sc->checksum = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data, size);
  Refs refs = { .sets = g_ptr_array_new_with_free_func ((GDestroyNotify) case_set_free) };
  read_scenario (&ld, sc, xmlDocGetRootElement (doc), &refs);
  report_languages (&ld);
  if (link_procedure (&ld, sc, loader, &refs))
    {
      psimp_scenario_check (&ld, sc);
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

