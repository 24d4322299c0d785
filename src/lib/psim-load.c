/* psim-load.c — procedure files → model. The only file that parses XML.
 *
 * The pipeline: read the file (capped at PSIM_LOAD_MAX_FILE_SIZE), parse it
 * with libxml2 with the network off, no entity substitution and no DTD
 * loading; a DOCTYPE is refused from the SAX callback that sees it, before
 * its internal subset is read, so entity bombs and external entities never
 * get a chance. Then the embedded XSD validates the structure, this file
 * builds the model (and reports what only the XML shows: missing xml:lang,
 * malformed numbers), and psim-check.c resolves references and checks the
 * graphs. Every libxml2 message is captured as a diagnostic; nothing is
 * printed.
 */
#include "psim-private.h"
#include "psim-sim-private.h"

#include <glib/gstdio.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>

#include "psim-resources.h"
#include <procsim/psim-file.h>

#define PSIM_NS "urn:procsim:procedure:1"
/* Past this many findings in one file, stop collecting: a generated file
 * with a systematic mistake must not produce gigabytes of messages. */
#define MAX_DIAGNOSTICS 1000

G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlParserCtxt, xmlFreeParserCtxt)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlSchemaParserCtxt, xmlSchemaFreeParserCtxt)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlSchemaValidCtxt, xmlSchemaFreeValidCtxt)

G_DEFINE_QUARK (psim-load-error-quark, psim_load_error)

struct _PsimLoader {
  xmlSchemaPtr schema;
  PsimExprContext *expr;
  const char *lang; /* of the diagnostics: psim_lang_normalize()'s, static */
  xmlSchemaPtr scenario_schema; /* compiled on the first scenario */
  GHashTable *shared; /* real path → Shared: the procedures scenarios name */
};

/* A procedure loaded for scenarios, with what its load said and its bytes
 * (scenario checksums cover them), valid while the file is unchanged. */
typedef struct {
  PsimProcedure *proc;
  GBytes *bytes;
  GPtrArray *diags;
  GStatBuf st;
} Shared;

static void
shared_free (Shared *sh)
{
  psim_procedure_unref (sh->proc);
  g_bytes_unref (sh->bytes);
  g_ptr_array_unref (sh->diags);
  g_free (sh);
}

typedef struct _Builder Builder;
static struct _Load *builder_load (const Builder *b);

/* State of one load, reachable from libxml2's callbacks. */
typedef struct _Load {
  const char *file;
  const char *lang; /* the language of the diagnostics */
  GPtrArray *diags;
  gboolean doctype;
  gboolean truncated;
  gboolean stopped; /* we ended the parse (a foreign root): nothing more to say */
  guint schema_errors;
} Load;

/* libxml2 messages end in a newline and name elements with their namespace
 * in braces; users wrote <step>, so show them <step>. */
char *
psim_libxml_message (const char *msg, const char *ns)
{
  g_autoptr (GString) s = g_string_new (msg != NULL ? msg : "unknown error");
  g_autofree char *braced = g_strconcat ("{", ns, "}", NULL);
  g_string_replace (s, braced, "", 0);
  while (s->len > 0 && g_ascii_isspace (s->str[s->len - 1]))
    g_string_truncate (s, s->len - 1);
  /* One diagnostic, one line: some messages continue on a second line
   * ("Bytes: 0xE4 0x72..."). */
  g_string_replace (s, "\n", " ", 0);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* A hint for the usual causes of a well-formedness error in a hand-written
 * file, or NULL. */
static const char *
parse_error_hint (const xmlError *e, const char *lang)
{
  const char *m = e->message != NULL ? e->message : "";
  switch (e->code)
    {
    case XML_ERR_NAME_REQUIRED:
      if (g_str_has_prefix (m, "xmlParseEntityRef"))
        return psim_gettext (lang, "an '&' in a text or a value is written &amp;");
      return psim_gettext (lang, "a '<' in a text is written &lt;");
    case XML_ERR_LT_IN_ATTRIBUTE:
      return psim_gettext (lang, "a '<' in a value is written &lt;");
    case XML_ERR_ENTITYREF_SEMICOL_MISSING:
      return psim_gettext (lang, "an '&' in a text or a value is written &amp;");
    case XML_ERR_UNDECLARED_ENTITY:
      return psim_gettext (lang, "without a DTD only &lt; &gt; &amp; &quot; &apos; and numeric "
                                 "references such as &#160; exist");
    default:
      return NULL;
    }
}

static void
add_libxml_error (Load *ld, const xmlError *e)
{
  if (ld->diags->len >= MAX_DIAGNOSTICS)
    {
      if (!ld->truncated)
        psim_diag_add (ld->diags, PSIM_SEVERITY_ERROR, ld->file, 0,
                       psim_gettext (ld->lang, "too many errors; stopped after %d"),
                       MAX_DIAGNOSTICS);
      ld->truncated = TRUE;
      return;
    }
  g_autofree char *msg = psim_libxml_message (e->message, PSIM_NS);
  /* libxml2 suggests an option we refuse on purpose; say what is wrong. */
  if (g_str_has_prefix (msg, "Excessive depth in document"))
    {
      g_free (msg);
      msg = g_strdup_printf (
          psim_gettext (ld->lang, "elements are nested too deeply (the limit is %d levels)"), 256);
    }
  const char *hint = e->domain == XML_FROM_PARSER ? parse_error_hint (e, ld->lang) : NULL;
  if (hint != NULL)
    {
      char *with = g_strdup_printf ("%s (%s)", msg, hint);
      g_free (msg);
      msg = with;
    }
  psim_diag_add (ld->diags,
                 e->level == XML_ERR_WARNING ? PSIM_SEVERITY_WARNING : PSIM_SEVERITY_ERROR,
                 ld->file, e->line > 0 ? (guint) e->line : 0, "%s", msg);
}

/* Parser errors. With the schema plugged in, @user_data is the plug, so
 * the parser is found through the error itself. */
static void
on_parse_error (void *user_data, xmlErrorPtr e)
{
  xmlParserCtxtPtr ctxt = e->ctxt;
  if (ctxt == NULL || ctxt->_private == NULL)
    return;
  Load *ld = builder_load (ctxt->_private);
  /* We stop the parser ourselves (a DOCTYPE, a foreign root): what it says
   * after that (that it was stopped, that content follows) is no news. */
  if (e->code == XML_ERR_USER_STOP || ld->stopped)
    return;
  add_libxml_error (ld, e);
  /* A document that is not well formed stops at its first error: what the
   * parser says after it (a tag it now finds unclosed, the next element
   * misread) follows from the first, and would bury it. */
  if (e->domain == XML_FROM_PARSER && e->level >= XML_ERR_ERROR)
    {
      ld->stopped = TRUE;
      xmlStopParser (ctxt);
    }
}

/* libxml2 reports encoding and I/O problems (a file that declares UTF-7,
 * bytes that are not in the declared encoding) without a parser context,
 * to the thread's global handler, which prints them: catch those for the
 * duration of the parse. */
static void
on_global_error (void *user_data, xmlErrorPtr e)
{
  add_libxml_error (user_data, e);
}

static void
on_schema_error (void *user_data, xmlErrorPtr e)
{
  Load *ld = user_data;
  if (ld->stopped)
    return;
  if (e->level != XML_ERR_WARNING)
    ld->schema_errors++;
  add_libxml_error (ld, e);
}

/* SAX: called on "<!DOCTYPE name ..." before the internal subset is read. */
static void
on_internal_subset (void *user_data, const xmlChar *name,
                    const xmlChar *external_id, const xmlChar *system_id)
{
  xmlParserCtxtPtr ctxt = user_data;
  Load *ld = builder_load (ctxt->_private);
  ld->doctype = TRUE;
  psim_diag_add (ld->diags, PSIM_SEVERITY_ERROR, ld->file,
                 ctxt->input != NULL ? (guint)ctxt->input->line : 0,
                 psim_gettext (ld->lang, "<!DOCTYPE> is not allowed in a procedure file "
                                         "(DTDs and entities are refused for safety)"));
  xmlStopParser (ctxt);
}

/* ---- loader --------------------------------------------------------------- */

GBytes *
psim_schema_get_bytes (void)
{
  return g_resource_lookup_data (psim_resources_get_resource (),
                                 "/org/procsim/procedure.xsd",
                                 G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
}

/* Compiles the embedded schema @data (named @name in messages), every
 * libxml2 message caught (none may reach stderr); NULL with the first
 * message in @first (transfer full) when it does not compile. */
static xmlSchemaPtr
compile_schema (const char *data, gsize size, const char *name, char **first)
{
  g_autoptr (GPtrArray) diags = psim_diagnostics_new ();
  Load ld = { .file = name, .lang = "en", .diags = diags };
  xmlStructuredErrorFunc saved_handler = xmlStructuredError;
  void *saved_data = xmlStructuredErrorContext;
  xmlSetStructuredErrorFunc (&ld, on_global_error);
  xmlSchemaPtr schema = NULL;
  g_autoptr (xmlSchemaParserCtxt) pctxt = xmlSchemaNewMemParserCtxt (data, (int) size);
  if (pctxt != NULL)
    {
      xmlSchemaSetParserStructuredErrors (pctxt, on_schema_error, &ld);
      schema = xmlSchemaParse (pctxt);
    }
  xmlSetStructuredErrorFunc (saved_data, saved_handler);
  if (schema == NULL)
    *first = diags->len > 0 ? psim_diagnostic_to_string (g_ptr_array_index (diags, 0), "en")
                            : g_strdup ("unknown error");
  return schema;
}

PsimLoader *
psim_loader_new (GError **error)
{
  xmlInitParser ();
  g_autoptr (GBytes) xsd = psim_schema_get_bytes ();
  if (xsd == NULL)
    {
      g_set_error (error, PSIM_LOAD_ERROR, PSIM_LOAD_ERROR_INTERNAL,
                   "embedded schema missing");
      return NULL;
    }
  gsize size = 0;
  const char *data = g_bytes_get_data (xsd, &size);
  g_autofree char *first = NULL;
  xmlSchemaPtr schema = compile_schema (data, size, "procedure.xsd", &first);
  if (schema == NULL)
    {
      g_set_error (error, PSIM_LOAD_ERROR, PSIM_LOAD_ERROR_INTERNAL,
                   "embedded schema does not compile: %s", first);
      return NULL;
    }
  PsimLoader *loader = g_new0 (PsimLoader, 1);
  loader->schema = schema;
  loader->expr = psim_expr_context_new ();
  loader->shared = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) shared_free);
  psim_loader_set_language (loader, NULL);
  return loader;
}

void
psim_loader_set_language (PsimLoader *loader, const char *lang)
{
  g_return_if_fail (loader != NULL);
  loader->lang = psim_lang_normalize (lang);
  psim_expr_context_set_language (loader->expr, loader->lang);
}

const char *
psim_loader_get_language (const PsimLoader *loader)
{
  g_return_val_if_fail (loader != NULL, "en");
  return loader->lang;
}

void
psim_loader_free (PsimLoader *loader)
{
  if (loader == NULL)
    return;
  xmlSchemaFree (loader->schema);
  if (loader->scenario_schema != NULL)
    xmlSchemaFree (loader->scenario_schema);
  g_hash_table_unref (loader->shared);
  psim_expr_context_free (loader->expr);
  g_free (loader);
}

xmlSchemaPtr
psimp_loader_get_scenario_schema (PsimLoader *loader, GError **error)
{
  if (loader->scenario_schema != NULL)
    return loader->scenario_schema;
  g_autoptr (GBytes) xsd = g_resources_lookup_data ("/org/procsim/scenario.xsd",
                                                    G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (xsd == NULL)
    return NULL;
  gsize len = 0;
  const char *text = g_bytes_get_data (xsd, &len);
  g_autofree char *first = NULL;
  loader->scenario_schema = compile_schema (text, len, "scenario.xsd", &first);
  if (loader->scenario_schema == NULL)
    g_set_error (error, PSIM_LOAD_ERROR, PSIM_LOAD_ERROR_INTERNAL, "%s: %s",
                 psim_gettext (loader->lang, "the embedded scenario schema does not compile"),
                 first);
  return loader->scenario_schema;
}

static PsimDiagnostic *
diagnostic_copy (const PsimDiagnostic *d)
{
  PsimDiagnostic *c = g_new0 (PsimDiagnostic, 1);
  *c = (PsimDiagnostic) { d->severity, g_strdup (d->file), d->line, g_strdup (d->message) };
  return c;
}

static void
append_copies (GPtrArray *to, const GPtrArray *from)
{
  for (guint i = 0; to != NULL && i < from->len; i++)
    g_ptr_array_add (to, diagnostic_copy (g_ptr_array_index (from, i)));
}

PsimProcedure *
psimp_loader_load_shared (PsimLoader *loader, const char *path, GPtrArray *diags,
                          GBytes **bytes, GError **error)
{
  g_autofree char *real = realpath (path, NULL);
  GStatBuf st;
  gboolean known = real != NULL && g_stat (real, &st) == 0;
  Shared *sh = known ? g_hash_table_lookup (loader->shared, real) : NULL;
  if (sh != NULL && sh->st.st_dev == st.st_dev && sh->st.st_ino == st.st_ino
      && sh->st.st_size == st.st_size && sh->st.st_mtim.tv_sec == st.st_mtim.tv_sec
      && sh->st.st_mtim.tv_nsec == st.st_mtim.tv_nsec)
    {
      append_copies (diags, sh->diags);
      *bytes = g_bytes_ref (sh->bytes);
      return psim_procedure_ref (sh->proc);
    }
  /* Read once: the bytes loaded are the bytes a scenario checksums. */
  g_autoptr (GPtrArray) found = psim_diagnostics_new ();
  gsize size = 0;
  g_autoptr (GError) local = NULL;
  g_autofree char *data = psim_file_read (path, PSIM_LOAD_MAX_FILE_SIZE, loader->lang, &size,
                                          &local);
  if (data == NULL)
    {
      psim_diag_add (found, PSIM_SEVERITY_ERROR, path, 0, "%s", local->message);
      append_copies (diags, found);
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  PsimProcedure *proc = psim_loader_load_memory (loader, data, size, path, found, error);
  append_copies (diags, found);
  if (proc == NULL)
    return NULL;
  *bytes = g_bytes_new_take (g_steal_pointer (&data), size);
  if (known)
    {
      sh = g_new0 (Shared, 1);
      *sh = (Shared) { psim_procedure_ref (proc), g_bytes_ref (*bytes),
                       g_steal_pointer (&found), st };
      g_hash_table_replace (loader->shared, g_steal_pointer (&real), sh);
    }
  return proc;
}

/* ---- small helpers -------------------------------------------------------- */

static gboolean
parse_number (const char *text, double *out)
{
  if (text == NULL)
    return FALSE;
  g_autofree char *t = g_strstrip (g_strdup (text));
  char *end = NULL;
  errno = 0;
  double v = g_ascii_strtod (t, &end);
  if (t[0] == '\0' || *end != '\0' || errno != 0 || !isfinite (v))
    return FALSE;
  *out = v;
  return TRUE;
}

/* xs:boolean: "true", "false", "1", "0"; -1 when absent or malformed. */
static int
parse_xs_boolean (const char *text)
{
  if (text == NULL)
    return -1;
  g_autofree char *t = g_strstrip (g_strdup (text));
  if (strcmp (t, "true") == 0 || strcmp (t, "1") == 0)
    return 1;
  if (strcmp (t, "false") == 0 || strcmp (t, "0") == 0)
    return 0;
  return -1;
}

/* SAX2 gives attributes as (localname, prefix, URI, value, end) tuples. */
typedef struct {
  const xmlChar **v;
  int n;
} Attrs;

/* The value of attribute @name in namespace @uri (NULL: none), or NULL.
 * Without entity substitution libxml2 leaves every '&' of a value as
 * "&#38;" for a later pass (which builds the tree, here absent): decode it.
 * (transfer full) */
static char *
attr_ns (Attrs at, const char *uri, const char *name)
{
  for (int i = 0; i < at.n; i++)
    {
      const xmlChar **a = at.v + 5 * i;
      if (strcmp ((const char *) a[0], name) != 0
          || (uri == NULL ? a[2] != NULL : (a[2] == NULL || strcmp ((const char *) a[2], uri) != 0)))
        continue;
      char *value = g_strndup ((const char *) a[3], a[4] - a[3]);
      if (strstr (value, "&#38;") == NULL)
        return value;
      GString *decoded = g_string_new (value);
      g_string_replace (decoded, "&#38;", "&", 0);
      g_free (value);
      return g_string_free (decoded, FALSE);
    }
  return NULL;
}

static char *
attr (Attrs at, const char *name)
{
  return attr_ns (at, NULL, name);
}

/* Every attribute without a namespace, name → value: for the simulation's
 * elements, read in psim-sim-load.c. (transfer full) */
static GHashTable *
attr_table (Attrs at)
{
  GHashTable *t = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (int i = 0; i < at.n; i++)
    {
      const xmlChar **a = at.v + 5 * i;
      if (a[2] == NULL)
        g_hash_table_replace (t, g_strdup ((const char *) a[0]), attr (at, (const char *) a[0]));
    }
  return t;
}

/* ---- building the model from SAX events ------------------------------------ */

/* The parse builds the model as it goes, with the schema validator plugged
 * into the same event stream: there is no document tree. The builder keeps
 * a stack of open elements, each knowing what it builds. On an invalid
 * file the partial model is dropped, so the builder only has to be safe on
 * structure the schema rejects, not meaningful. */

typedef enum {
  F_IGNORE,
  F_PROCEDURE,
  F_SOURCES,
  F_SOURCE,
  F_LAWS,
  F_LAW,
  F_CASE_DATA,
  F_PARAM,
  F_ACTORS,
  F_ACTOR,
  F_DOCUMENTS,
  F_DOCUMENT,
  F_VARIANT,
  F_PROCESS,
  F_NODE,
  F_BRANCH,
  F_FEE,
  F_TEXT,
  F_COST_MODEL,
  F_SIMULATION,
} FrameKind;

typedef struct {
  FrameKind kind;
  const char *elem; /* local name, from the parser's dictionary */
  gpointer object;  /* what the element builds */
  GPtrArray *texts; /* F_TEXT: where its text goes */
  char *lang;       /* F_TEXT: its xml:lang, or NULL */
  gboolean lang_empty;
  guint line;
} Frame;

struct _Builder {
  Load *ld;
  xmlParserCtxtPtr ctxt;
  PsimExprContext *expr;
  PsimProcedure *proc;
  GArray *frames;
  GString *text; /* characters of the open text element */
  GHashTable *exprs; /* source → PsimExpr (borrowed): one compile per formula */
  gboolean root_ok;
  /* Line of the element that has just closed, until the next event: the
   * validator checks an element's content when it closes, and its findings
   * belong on the element's line, not on its end tag's. */
  guint closing_line;
};

static Load *
builder_load (const Builder *b)
{
  return b->ld;
}

static guint
current_line (const Builder *b)
{
  return b->ctxt->input != NULL && b->ctxt->input->line > 0 ? (guint) b->ctxt->input->line : 0;
}

/* A human name for what a frame builds: "step 'L3'", or "<branch>". */
static char *
describe (const Frame *f)
{
  const char *id = NULL;
  switch (f->kind)
    {
    case F_PROCEDURE: id = ((PsimProcedure *) f->object)->id; break;
    case F_SOURCE: id = ((PsimSource *) f->object)->id; break;
    case F_LAW: id = ((PsimLaw *) f->object)->id; break;
    case F_PARAM: id = ((PsimParam *) f->object)->id; break;
    case F_ACTOR: id = ((PsimActor *) f->object)->id; break;
    case F_DOCUMENT: id = ((PsimDocument *) f->object)->id; break;
    case F_VARIANT: id = ((PsimVariant *) f->object)->id; break;
    case F_NODE: id = ((PsimNode *) f->object)->id; break;
    default: break;
    }
  if (id != NULL)
    return g_strdup_printf ("%s '%s'", f->elem, id);
  return g_strdup_printf ("<%s>", f->elem);
}

static Frame
text_frame (Builder *b, GPtrArray *texts, Attrs at)
{
  Frame f = { .kind = F_TEXT, .texts = texts };
  f.lang = attr_ns (at, (const char *) XML_XML_NAMESPACE, "lang");
  if (f.lang != NULL && f.lang[0] == '\0')
    {
      g_clear_pointer (&f.lang, g_free);
      f.lang_empty = TRUE;
    }
  g_string_truncate (b->text, 0);
  return f;
}

/* Ends a text element: its text, with the language, joins its list. */
static void
end_text (Builder *b, Frame *f, const Frame *parent)
{
  PsimText *t = g_new0 (PsimText, 1);
  t->lang = g_steal_pointer (&f->lang);
  t->text = psim_collapse_space (b->text->str);
  if (t->lang == NULL)
    {
      g_autofree char *owner = describe (parent);
      psim_diag_add (b->ld->diags, PSIM_SEVERITY_ERROR, b->ld->file, f->line,
                     f->lang_empty
                         ? psim_gettext (b->ld->lang, "%s: <%s> has an empty xml:lang attribute")
                         : psim_gettext (b->ld->lang, "%s: <%s> has no xml:lang attribute"),
                     owner, f->elem);
    }
  g_ptr_array_add (f->texts, t);
}

static void
set_ref (PsimRef *ref, Attrs at, const char *name, guint line)
{
  ref->id = attr (at, name);
  ref->line = line;
}

static void
build_quantity (Builder *b, PsimQuantitySlot *slot, Attrs at, const char *elem, guint line,
                const Frame *owner, gboolean ranged)
{
  g_autofree char *what = NULL; /* described only for a message */
  const char *file = b->ld->file;
#define WHAT (what != NULL ? what : (what = describe (owner)))

  if (slot->set)
    {
      psim_diag_add (b->ld->diags, PSIM_SEVERITY_ERROR, file, line,
                     psim_gettext (b->ld->lang, "%s has more than one <%s>"), WHAT, elem);
      return;
    }
  slot->set = TRUE;
  slot->line = line;
  g_autofree char *unit = attr (at, "unit");
  g_autofree char *basis = attr (at, "basis");
  slot->q.unit = unit != NULL ? psim_enum_from_string (psim_time_unit_names, unit) : PSIM_UNIT_HOURS;
  slot->q.basis = psim_enum_from_string (psim_basis_names, basis);
  slot->source_id = attr (at, "source");

  g_autofree char *dist = ranged ? attr (at, "dist") : NULL;
  if (dist != NULL && owner->kind == F_NODE)
    {
      g_autoptr (GHashTable) attrs = attr_table (at);
      psim_sim_load_duration (b->proc, owner->object, slot, attrs, line, WHAT, b->ld->lang,
                              b->ld->diags, file);
      return;
    }
  g_autofree char *value = attr (at, ranged ? "value" : "hours");
  g_autofree char *min = ranged ? attr (at, "min") : NULL;
  g_autofree char *likely = ranged ? attr (at, "likely") : NULL;
  g_autofree char *max = ranged ? attr (at, "max") : NULL;
  gboolean any_range = min != NULL || likely != NULL || max != NULL;
  gboolean full_range = min != NULL && likely != NULL && max != NULL;

  if (value != NULL && any_range)
    {
      psim_diag_add (
          b->ld->diags, PSIM_SEVERITY_ERROR, file, line,
          psim_gettext (b->ld->lang,
                        "%s: <%s> has both value and min/likely/max; give one or the other"),
          WHAT, elem);
      return;
    }
  if (value != NULL)
    {
      double v = 0;
      parse_number (value, &v);
      slot->q.min = slot->q.likely = slot->q.max = v;
      return;
    }
  if (!full_range)
    {
      psim_diag_add (
          b->ld->diags, PSIM_SEVERITY_ERROR, file, line,
          psim_gettext (b->ld->lang, "%s: <%s> needs either value or all of min, likely and max"),
          WHAT, elem);
      return;
    }
  parse_number (min, &slot->q.min);
  parse_number (likely, &slot->q.likely);
  parse_number (max, &slot->q.max);
  if (slot->q.min > slot->q.likely || slot->q.likely > slot->q.max)
    psim_diag_add (
        b->ld->diags, PSIM_SEVERITY_ERROR, file, line,
        psim_gettext (b->ld->lang, "%s: <%s> must have min <= likely <= max (got %s, %s, %s)"),
        WHAT, elem, min, likely, max);
#undef WHAT
}

/* @what names the element in a message: "step 'L3': <fee>". */
static PsimExpr *
compile_expr (Builder *b, const char *src, guint line, const Frame *owner, const char *elem)
{
  if (src == NULL)
    return NULL;
  PsimExpr *expr = g_hash_table_lookup (b->exprs, src);
  if (expr != NULL)
    return psim_expr_ref (expr);
  g_autofree char *msg = NULL;
  expr = psim_expr_compile (b->expr, src, &msg);
  if (expr == NULL)
    {
      g_autofree char *who = describe (owner);
      g_autofree char *what
          = elem != NULL ? g_strdup_printf (psim_gettext (b->ld->lang, "%s: <%s>"), who, elem)
                         : g_strdup (who);
      psim_diag_add (b->ld->diags, PSIM_SEVERITY_ERROR, b->ld->file, line,
                     psim_gettext (b->ld->lang, "%s: expression \"%s\" does not compile: %s"), what,
                     src, msg);
      return NULL;
    }
  g_hash_table_insert (b->exprs, (gpointer) psim_expr_get_source (expr), expr);
  return expr;
}

static PsimFee *
build_fee (Builder *b, PsimNode *step, Attrs at, guint line, const Frame *owner)
{
  PsimFee *fee = psim_fee_new ();
  g_autofree char *what = NULL; /* described only for a message */
  g_autofree char *kind = attr (at, "kind");
  g_autofree char *basis = attr (at, "basis");
  g_autofree char *amount = attr (at, "amount");
  g_autofree char *expr = attr (at, "expr");

  fee->line = line;
  fee->kind = psim_enum_from_string (psim_fee_kind_names, kind);
  fee->basis = psim_enum_from_string (psim_basis_names, basis);
  fee->currency = attr (at, "currency");
  if (fee->currency == NULL)
    fee->currency = g_strdup (PSIM_DEFAULT_CURRENCY);
  set_ref (&fee->payer, at, "payer", line);
  set_ref (&fee->source, at, "source", line);

  if (amount != NULL && expr != NULL)
    psim_diag_add (b->ld->diags, PSIM_SEVERITY_ERROR, b->ld->file, line,
                   psim_gettext (b->ld->lang, "%s: <fee> has both amount and expr; give one"),
                   what = describe (owner));
  else if (amount == NULL && expr == NULL)
    psim_diag_add (b->ld->diags, PSIM_SEVERITY_ERROR, b->ld->file, line,
                   psim_gettext (b->ld->lang, "%s: <fee> has neither amount nor expr"),
                   what = describe (owner));
  else if (amount != NULL)
    {
      fee->has_amount = parse_number (amount, &fee->amount);
      /* "500.000" is how Vietnamese writes five hundred thousand; as an
       * XML decimal it is five hundred. VND has no minor unit, so a point
       * in a VND amount is almost certainly that mistake. */
      if (strcmp (fee->currency, "VND") == 0 && strchr (amount, '.') != NULL)
        psim_diag_add (
            b->ld->diags, PSIM_SEVERITY_WARNING, b->ld->file, line,
            psim_gettext (b->ld->lang,
                          "%s: <fee> amount=\"%s\" reads as %g VND; VND has no minor unit, "
                          "so write digits only (500000, not 500.000)"),
            what = describe (owner), amount, fee->amount);
    }
  else
    fee->expr = compile_expr (b, expr, line, owner, "fee");
  g_ptr_array_add (step->fees, fee);
  return fee;
}

static PsimBranch *
build_branch (Builder *b, PsimNode *n, Attrs at, guint line, const Frame *owner)
{
  PsimBranch *br = psim_branch_new ();
  br->line = line;
  set_ref (&br->to, at, "to", line);
  g_autofree char *p = attr (at, "probability");
  br->has_probability = parse_number (p, &br->probability);
  g_autofree char *when = attr (at, "when");
  br->when = compile_expr (b, when, line, owner, NULL);
  br->when_invalid = br->when == NULL && when != NULL;
  g_ptr_array_add (n->branches, br);
  return br;
}

static PsimNode *
build_node (Builder *b, PsimVariant *v, const char *name, Attrs at, guint line)
{
  PsimNodeKind kind = psim_enum_from_string (psim_node_kind_names, name);
  PsimNode *n = psim_node_new (v, kind);
  n->line = line;
  n->id = attr (at, "id");
  if (n->id == NULL)
    n->id = g_strdup (name); /* start and end default to their name */
  if (kind == PSIM_NODE_START || kind == PSIM_NODE_STEP || kind == PSIM_NODE_JOIN)
    set_ref (&n->next, at, "next", line);
  if (kind == PSIM_NODE_SPLIT)
    set_ref (&n->join, at, "join", line);
  if (kind == PSIM_NODE_STEP)
    {
      g_autofree char *channel = attr (at, "channel");
      g_autofree char *interaction = attr (at, "interaction");
      g_autofree char *visit = attr (at, "visit");
      g_autofree char *replaces = attr (at, "replaces");
      set_ref (&n->actor, at, "actor", line);
      set_ref (&n->party, at, "with", line);
      n->channel = psim_enum_from_string (psim_channel_names, channel);
      n->interaction_attr = parse_xs_boolean (interaction);
      n->visit_attr = parse_xs_boolean (visit);
      if (replaces != NULL)
        {
          g_auto (GStrv) ids = g_strsplit_set (replaces, " \t\r\n", -1);
          for (char **id = ids; *id != NULL; id++)
            if (**id != '\0')
              g_ptr_array_add (n->replaces, psim_ref_new (*id, line));
        }
    }
  g_ptr_array_add (v->nodes, n);
  return n;
}

/* What a child element of a step builds. */
static Frame
step_child (Builder *b, Frame *parent, const char *name, Attrs at, guint line)
{
  PsimNode *n = parent->object;
  Frame f = { .kind = F_IGNORE };
  if (strcmp (name, "name") == 0)
    f = text_frame (b, n->names, at);
  else if (strcmp (name, "instructions") == 0)
    f = text_frame (b, n->instructions, at);
  else if (strcmp (name, "note") == 0)
    f = text_frame (b, n->notes, at);
  else if (strcmp (name, "input") == 0 || strcmp (name, "output") == 0)
    {
      g_autofree char *ref = attr (at, "ref");
      g_ptr_array_add (name[0] == 'i' ? n->inputs : n->outputs, psim_ref_new (ref, line));
    }
  else if (strcmp (name, "duration") == 0)
    build_quantity (b, &n->duration, at, name, line, parent, TRUE);
  else if (strcmp (name, "effort") == 0)
    build_quantity (b, &n->effort, at, name, line, parent, FALSE);
  else if (strcmp (name, "time-limit") == 0)
    {
      build_quantity (b, &n->time_limit, at, name, line, parent, TRUE);
      if (n->time_limit_law.id == NULL)
        set_ref (&n->time_limit_law, at, "law", line);
    }
  else if (strcmp (name, "fee") == 0)
    f = (Frame) { .kind = F_FEE, .object = build_fee (b, n, at, line, parent) };
  else if (strcmp (name, "legal") == 0)
    {
      PsimLegal *l = psim_legal_new ();
      set_ref (&l->law, at, "ref", line);
      l->article = attr (at, "article");
      g_ptr_array_add (n->legal, l);
    }
  return f;
}

/* A child of <cost-model>: the slot it fills. The checks resolve the
 * source and the parameter, and require one of param or value. */
static void
build_cost_figure (PsimProcedure *proc, const char *name, Attrs at, guint line)
{
  PsimFigureSlot *slot = NULL;
  if (strcmp (name, "tariff") == 0)
    slot = &proc->tariff;
  else if (strcmp (name, "travel") == 0)
    slot = &proc->travel;
  else if (strcmp (name, "volume") == 0)
    slot = &proc->volume;
  else if (strcmp (name, "value-base") == 0)
    {
      g_autofree char *kind = attr (at, "kind");
      proc->has_base = TRUE;
      proc->base_kind = psim_enum_from_string (psim_value_kind_names, kind);
      psim_ref_clear (&proc->base_param); /* a repeated element breaks the schema */
      set_ref (&proc->base_param, at, "param", line);
      slot = &proc->base_value;
    }
  if (slot == NULL)
    return;
  g_autofree char *value = attr (at, "value");
  g_autofree char *basis = attr (at, "basis");
  slot->line = line;
  slot->set = parse_number (value, &slot->f.value);
  slot->f.basis = psim_enum_from_string (psim_basis_names, basis);
  if (slot == &proc->base_value)
    proc->base_basis_set = basis != NULL;
  psim_ref_clear (&slot->source);
  set_ref (&slot->source, at, "source", line);
}

/* What element @name, child of @parent, builds. */
static Frame
child_frame (Builder *b, Frame *parent, const char *name, Attrs at, guint line)
{
  PsimProcedure *proc = b->proc;
  Frame f = { .kind = F_IGNORE };
  gboolean is_text = strcmp (name, "title") == 0 || strcmp (name, "description") == 0
                     || strcmp (name, "name") == 0 || strcmp (name, "label") == 0;

  switch (parent->kind)
    {
    case F_PROCEDURE:
      if (strcmp (name, "title") == 0)
        f = text_frame (b, proc->titles, at);
      else if (strcmp (name, "description") == 0)
        f = text_frame (b, proc->descriptions, at);
      else if (strcmp (name, "sources") == 0)
        f.kind = F_SOURCES;
      else if (strcmp (name, "legal-basis") == 0)
        f.kind = F_LAWS;
      else if (strcmp (name, "case-data") == 0)
        f.kind = F_CASE_DATA;
      else if (strcmp (name, "actors") == 0)
        f.kind = F_ACTORS;
      else if (strcmp (name, "documents") == 0)
        f.kind = F_DOCUMENTS;
      else if (strcmp (name, "cost-model") == 0)
        f.kind = F_COST_MODEL;
      else if (strcmp (name, "simulation") == 0)
        f.kind = F_SIMULATION;
      else if (strcmp (name, "variant") == 0)
        {
          PsimVariant *v = psim_variant_new (proc);
          v->id = attr (at, "id");
          v->line = line;
          set_ref (&v->baseline, at, "baseline", line);
          g_ptr_array_add (proc->variants, v);
          f = (Frame) { .kind = F_VARIANT, .object = v };
        }
      break;
    case F_SOURCES:
      {
        PsimSource *src = g_new0 (PsimSource, 1);
        src->id = attr (at, "id");
        src->line = line;
        src->href = attr (at, "href");
        g_ptr_array_add (proc->sources, src);
        g_string_truncate (b->text, 0);
        f = (Frame) { .kind = F_SOURCE, .object = src };
        break;
      }
    case F_LAWS:
      {
        PsimLaw *law = g_new0 (PsimLaw, 1);
        law->id = attr (at, "id");
        law->line = line;
        law->number = attr (at, "number");
        law->titles = g_ptr_array_new_with_free_func ((GDestroyNotify) psim_text_free);
        set_ref (&law->source, at, "source", line);
        g_ptr_array_add (proc->laws, law);
        f = (Frame) { .kind = F_LAW, .object = law };
        break;
      }
    case F_LAW:
      if (is_text)
        f = text_frame (b, ((PsimLaw *) parent->object)->titles, at);
      break;
    case F_CASE_DATA:
      {
        PsimParam *p = g_new0 (PsimParam, 1);
        g_autofree char *type = attr (at, "type");
        g_autofree char *min = attr (at, "min");
        g_autofree char *max = attr (at, "max");
        p->id = attr (at, "id");
        p->line = line;
        p->type = psim_enum_from_string (psim_param_type_names, type);
        p->labels = g_ptr_array_new_with_free_func ((GDestroyNotify) psim_text_free);
        p->options = g_ptr_array_new_with_free_func (g_free);
        p->unit = attr (at, "unit");
        p->def = attr (at, "default");
        if (p->def == NULL)
          p->def = g_strdup ("");
        p->has_min = parse_number (min, &p->min);
        p->has_max = parse_number (max, &p->max);
        g_ptr_array_add (proc->params, p);
        f = (Frame) { .kind = F_PARAM, .object = p };
        break;
      }
    case F_PARAM:
      if (strcmp (name, "label") == 0)
        f = text_frame (b, ((PsimParam *) parent->object)->labels, at);
      else if (strcmp (name, "option") == 0)
        {
          char *value = attr (at, "value");
          g_ptr_array_add (((PsimParam *) parent->object)->options,
                           value != NULL ? value : g_strdup (""));
        }
      break;
    case F_ACTORS:
      {
        PsimActor *actor = g_new0 (PsimActor, 1);
        g_autofree char *kind = attr (at, "kind");
        actor->id = attr (at, "id");
        actor->line = line;
        actor->kind = psim_enum_from_string (psim_actor_kind_names, kind);
        actor->names = g_ptr_array_new_with_free_func ((GDestroyNotify) psim_text_free);
        g_ptr_array_add (proc->actors, actor);
        f = (Frame) { .kind = F_ACTOR, .object = actor };
        break;
      }
    case F_ACTOR:
      if (is_text)
        f = text_frame (b, ((PsimActor *) parent->object)->names, at);
      break;
    case F_DOCUMENTS:
      {
        PsimDocument *doc = g_new0 (PsimDocument, 1);
        g_autofree char *ndb = attr (at, "national-db");
        doc->id = attr (at, "id");
        doc->line = line;
        doc->national_db = parse_xs_boolean (ndb) == 1;
        doc->names = g_ptr_array_new_with_free_func ((GDestroyNotify) psim_text_free);
        g_ptr_array_add (proc->documents, doc);
        f = (Frame) { .kind = F_DOCUMENT, .object = doc };
        break;
      }
    case F_DOCUMENT:
      if (is_text)
        f = text_frame (b, ((PsimDocument *) parent->object)->names, at);
      break;
    case F_VARIANT:
      {
        PsimVariant *v = parent->object;
        if (strcmp (name, "title") == 0)
          f = text_frame (b, v->titles, at);
        else if (strcmp (name, "description") == 0)
          f = text_frame (b, v->descriptions, at);
        else if (strcmp (name, "process") == 0)
          f = (Frame) { .kind = F_PROCESS, .object = v };
        break;
      }
    case F_PROCESS:
      if (psim_enum_from_string (psim_node_kind_names, name) != 0 || strcmp (name, "start") == 0)
        f = (Frame) { .kind = F_NODE, .object = build_node (b, parent->object, name, at, line) };
      break;
    case F_NODE:
      {
        PsimNode *n = parent->object;
        if (n->kind == PSIM_NODE_STEP)
          f = step_child (b, parent, name, at, line);
        else if (strcmp (name, "name") == 0)
          f = text_frame (b, n->names, at);
        else if (strcmp (name, "branch") == 0
                 && (n->kind == PSIM_NODE_CHOICE || n->kind == PSIM_NODE_SPLIT))
          f = (Frame) { .kind = F_BRANCH, .object = build_branch (b, n, at, line, parent) };
        break;
      }
    case F_BRANCH:
      if (is_text)
        f = text_frame (b, ((PsimBranch *) parent->object)->labels, at);
      break;
    case F_FEE:
      if (is_text)
        f = text_frame (b, ((PsimFee *) parent->object)->names, at);
      break;
    case F_COST_MODEL:
      build_cost_figure (proc, name, at, line);
      break;
    case F_SIMULATION:
      {
        g_autoptr (GHashTable) attrs = attr_table (at);
        psim_sim_load_element (proc, name, attrs, line, b->ld->lang, b->ld->diags, b->ld->file);
        f.kind = F_SIMULATION;
        break;
      }
    case F_SOURCE:
    case F_TEXT:
    case F_IGNORE:
    default:
      break;
    }
  return f;
}

static void
on_start_element (void *user_data, const xmlChar *localname, const xmlChar *prefix,
                  const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
                  int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
  xmlParserCtxtPtr ctxt = user_data;
  Builder *b = ctxt->_private;
  const char *name = (const char *) localname;
  Attrs at = { attributes, nb_attributes };
  guint line = current_line (b);
  Frame f = { .kind = F_IGNORE };
  b->closing_line = 0;

  if (b->frames->len == 0)
    {
      if (strcmp (name, "procedure") != 0 || uri == NULL || strcmp ((const char *) uri, PSIM_NS) != 0)
        {
          if (uri == NULL)
            psim_diag_add (
                b->ld->diags, PSIM_SEVERITY_ERROR, b->ld->file, line,
                psim_gettext (b->ld->lang,
                              "not a procsim procedure file: the root element <%s> has no "
                              "namespace; expected <procedure xmlns=\"%s\">"),
                name, PSIM_NS);
          else
            psim_diag_add (
                b->ld->diags, PSIM_SEVERITY_ERROR, b->ld->file, line,
                psim_gettext (b->ld->lang,
                              "not a procsim procedure file: the root element is <%s> in "
                              "namespace '%s'; expected <procedure xmlns=\"%s\">"),
                name, (const char *)uri, PSIM_NS);
          /* The validator, called after us, would only add that it has no
           * declaration for this root. */
          b->ld->stopped = TRUE;
          /* End the parse, but not with xmlStopParser(): it frees the input
           * that the validator, called with this element right after us,
           * still reads (a use-after-free valgrind found). */
          ctxt->disableSAX = 1;
          ctxt->instate = XML_PARSER_EOF;
          return;
        }
      b->root_ok = TRUE;
      b->proc->id = attr (at, "id");
      b->proc->version = attr (at, "version");
      b->proc->date = attr (at, "date");
      b->proc->jurisdiction = attr (at, "jurisdiction");
      f = (Frame) { .kind = F_PROCEDURE, .object = b->proc };
    }
  else
    {
      Frame *parent = &g_array_index (b->frames, Frame, b->frames->len - 1);
      f = child_frame (b, parent, name, at, line);
    }
  f.elem = name;
  f.line = line;
  g_array_append_val (b->frames, f);
}

static void
on_end_element (void *user_data, const xmlChar *localname, const xmlChar *prefix,
                const xmlChar *uri)
{
  xmlParserCtxtPtr ctxt = user_data;
  Builder *b = ctxt->_private;
  if (b->frames->len == 0)
    return;
  Frame *f = &g_array_index (b->frames, Frame, b->frames->len - 1);
  b->closing_line = f->line;
  if (f->kind == F_TEXT && b->frames->len >= 2)
    end_text (b, f, &g_array_index (b->frames, Frame, b->frames->len - 2));
  else if (f->kind == F_SOURCE)
    ((PsimSource *) f->object)->citation = psim_collapse_space (b->text->str);
  g_free (f->lang);
  g_array_set_size (b->frames, b->frames->len - 1);
}

static void
on_characters (void *user_data, const xmlChar *ch, int len)
{
  xmlParserCtxtPtr ctxt = user_data;
  Builder *b = ctxt->_private;
  b->closing_line = 0;
  if (b->frames->len == 0)
    return;
  FrameKind kind = g_array_index (b->frames, Frame, b->frames->len - 1).kind;
  if (kind == F_TEXT || kind == F_SOURCE)
    g_string_append_len (b->text, (const char *) ch, len);
}

/* Where the validator is in the file: the plugged validator has no parser
 * of its own to ask. */
static int
locate (void *user_data, const char **file, unsigned long *line)
{
  Builder *b = user_data;
  if (file != NULL)
    *file = b->ld->file;
  if (line != NULL)
    *line = b->closing_line != 0 ? b->closing_line : current_line (b);
  return 0;
}

/* Parses and validates @data in one pass, building the model into @proc.
 * Returns FALSE when the file is not well formed, not a procedure or not
 * valid (all reported in ld->diags). */
static gboolean
parse_and_build (PsimLoader *loader, Load *ld, const char *data, gsize size, PsimProcedure *proc)
{
  g_autoptr (xmlParserCtxt) ctxt = xmlCreateMemoryParserCtxt (data, (int) size);
  g_autoptr (xmlSchemaValidCtxt) vctxt = xmlSchemaNewValidCtxt (loader->schema);
  if (ctxt == NULL || vctxt == NULL)
    {
      psim_diag_add (ld->diags, PSIM_SEVERITY_ERROR, ld->file, 0,
                     psim_gettext (ld->lang, "out of memory"));
      return FALSE;
    }
  g_autoptr (GArray) frames = g_array_new (FALSE, FALSE, sizeof (Frame));
  g_autoptr (GString) text = g_string_new (NULL);
  g_autoptr (GHashTable) exprs = g_hash_table_new (g_str_hash, g_str_equal);
  Builder b = { .ld = ld, .ctxt = ctxt, .expr = loader->expr, .proc = proc,
                .frames = frames, .text = text, .exprs = exprs };

  /* Our handler builds no tree: only these events. Deliberately absent
   * from the options: XML_PARSE_NOENT (entity substitution),
   * XML_PARSE_DTDLOAD, XML_PARSE_HUGE (keeps the 256-level depth limit and
   * the 10,000,000-byte limit on an attribute value; libxml2's text-node
   * limit applies to trees, and this handler builds none, so a text's
   * only limit is the file's: docs/format.md section 10). */
  memset (ctxt->sax, 0, sizeof (xmlSAXHandler));
  ctxt->sax->initialized = XML_SAX2_MAGIC;
  ctxt->sax->startElementNs = on_start_element;
  ctxt->sax->endElementNs = on_end_element;
  ctxt->sax->characters = on_characters;
  /* CDATA is text like any other. Not XML_PARSE_NOCDATA: that only clears
   * this callback, and the schema plug then drops CDATA instead of falling
   * back to characters. */
  ctxt->sax->cdataBlock = on_characters;
  ctxt->sax->internalSubset = on_internal_subset;
  ctxt->_private = &b;
  xmlCtxtUseOptions (ctxt, XML_PARSE_NONET);
  if (ctxt->input != NULL && ctxt->input->filename == NULL)
    ctxt->input->filename = (char *) xmlStrdup (BAD_CAST ld->file);

  xmlSchemaSetValidStructuredErrors (vctxt, on_schema_error, ld);
  xmlSchemaValidateSetLocator (vctxt, locate, &b);
  xmlSchemaSAXPlugPtr plug = xmlSchemaSAXPlug (vctxt, &ctxt->sax, &ctxt->userData);
  if (plug == NULL)
    {
      psim_diag_add (ld->diags, PSIM_SEVERITY_ERROR, ld->file, 0,
                     psim_gettext (ld->lang, "out of memory"));
      return FALSE;
    }
  /* The plug's handler does not forward structured errors; without this
   * line the parser's messages would go to stderr. */
  ctxt->sax->serror = on_parse_error;
  xmlStructuredErrorFunc saved_handler = xmlStructuredError;
  void *saved_data = xmlStructuredErrorContext;
  xmlSetStructuredErrorFunc (ld, on_global_error);
  xmlParseDocument (ctxt);
  xmlSetStructuredErrorFunc (saved_data, saved_handler);
  xmlSchemaSAXUnplug (plug);

  for (guint i = 0; i < frames->len; i++)
    g_free (g_array_index (frames, Frame, i).lang);

  if (ld->doctype || !b.root_ok)
    return FALSE;
  if (!ctxt->wellFormed)
    {
      if (psim_diagnostics_count_errors (ld->diags) == 0)
        psim_diag_add (ld->diags, PSIM_SEVERITY_ERROR, ld->file, 0,
                       psim_gettext (ld->lang, "not well-formed XML"));
      return FALSE;
    }
  if (ld->schema_errors > 0 || xmlSchemaIsValid (vctxt) != 1)
    {
      if (psim_diagnostics_count_errors (ld->diags) == 0)
        psim_diag_add (ld->diags, PSIM_SEVERITY_ERROR, ld->file, 0,
                       psim_gettext (ld->lang, "the document does not match the procedure schema"));
      return FALSE;
    }
  return TRUE;
}

static int
compare_lines (gconstpointer a, gconstpointer b)
{
  const PsimDiagnostic *da = *(PsimDiagnostic *const *) a;
  const PsimDiagnostic *db = *(PsimDiagnostic *const *) b;
  return (da->line > db->line) - (da->line < db->line);
}

PsimProcedure *
psim_loader_load_memory (PsimLoader *loader, const char *data, gsize size,
                         const char *name, GPtrArray *diags, GError **error)
{
  g_return_val_if_fail (loader != NULL && data != NULL && name != NULL, NULL);
  g_autoptr (GPtrArray) found = psim_diagnostics_new ();
  Load ld = { .file = name, .lang = loader->lang, .diags = found };
  g_autoptr (PsimProcedure) proc = NULL;
  guint line = 0;

  if (size > PSIM_LOAD_MAX_FILE_SIZE)
    psim_diag_add (found, PSIM_SEVERITY_ERROR, name, 0,
                   psim_gettext (loader->lang, "file too large: %lu bytes (the limit is %lu)"),
                   (unsigned long)size, (unsigned long)PSIM_LOAD_MAX_FILE_SIZE);
  else if (size == 0)
    psim_diag_add (found, PSIM_SEVERITY_ERROR, name, 0,
                   psim_gettext (loader->lang, "the file is empty"));
  else if (!psim_xml_check_attributes (data, size, &line))
    psim_diag_add (found, PSIM_SEVERITY_ERROR, name, line,
                   psim_gettext (loader->lang, "an element has more than %d attributes"),
                   PSIM_XML_MAX_ATTRIBUTES);
  else
    {
      proc = psim_procedure_new (name);
      if (parse_and_build (loader, &ld, data, size, proc))
        {
          psim_check_procedure (proc, loader->expr, loader->lang, found);
          psim_sim_spec_check (proc, loader->lang, found);
        }
      else
        g_clear_pointer (&proc, psim_procedure_unref);
    }

  /* In document order, findings about the whole file first; the sort is
   * stable, so findings on one line keep the order they were made in. */
  g_ptr_array_sort (found, compare_lines);
  /* libxml2 can say the same thing twice (an encoding failure, once per
   * buffer it converts): once is enough. */
  for (guint i = 1; i < found->len;)
    {
      const PsimDiagnostic *prev = g_ptr_array_index (found, i - 1);
      const PsimDiagnostic *d = g_ptr_array_index (found, i);
      if (d->line == prev->line && d->severity == prev->severity
          && strcmp (d->message, prev->message) == 0)
        g_ptr_array_remove_index (found, i);
      else
        i++;
    }
  guint n_errors = psim_diagnostics_count_errors (found);
  if (found->len > MAX_DIAGNOSTICS && !ld.truncated)
    {
      g_ptr_array_set_size (found, MAX_DIAGNOSTICS);
      psim_diag_add (found, PSIM_SEVERITY_ERROR, name, 0,
                     psim_gettext (loader->lang, "too many errors; stopped after %d"),
                     MAX_DIAGNOSTICS);
    }
  if (diags != NULL)
    g_ptr_array_extend_and_steal (diags, g_steal_pointer (&found));
  if (n_errors > 0)
    {
      g_set_error (error, PSIM_LOAD_ERROR, PSIM_LOAD_ERROR_INVALID,
                   psim_ngettext (loader->lang, "%s: %u error", "%s: %u errors", n_errors), name,
                   n_errors);
      return NULL;
    }
  return g_steal_pointer (&proc);
}

PsimProcedure *
psim_loader_load_file (PsimLoader *loader, const char *path, GPtrArray *diags, GError **error)
{
  g_return_val_if_fail (loader != NULL && path != NULL, NULL);
  g_autoptr (GError) local = NULL;
  gsize size = 0;
  g_autofree char *data = psim_file_read (path, PSIM_LOAD_MAX_FILE_SIZE, loader->lang, &size,
                                         &local);
  if (data == NULL)
    {
      if (diags != NULL)
        psim_diag_add (diags, PSIM_SEVERITY_ERROR, path, 0, "%s", local->message);
      g_set_error (error, PSIM_LOAD_ERROR, PSIM_LOAD_ERROR_INVALID, "%s: %s", path,
                   local->message);
      return NULL;
    }
  return psim_loader_load_memory (loader, data, size, path, diags, error);
}

PsimProcedure *
psim_load_file (const char *path, const char *lang, GPtrArray *diags, GError **error)
{
  g_autoptr (PsimLoader) loader = psim_loader_new (error);
  if (loader == NULL)
    return NULL;
  psim_loader_set_language (loader, lang);
  return psim_loader_load_file (loader, path, diags, error);
}
