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

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>
#include <math.h>
#include <string.h>

#include "psim-resources.h"

#define PSIM_NS "urn:procsim:procedure:1"
/* Past this many findings in one file, stop collecting: a generated file
 * with a systematic mistake must not produce gigabytes of messages. */
#define MAX_DIAGNOSTICS 1000

G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlDoc, xmlFreeDoc)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlParserCtxt, xmlFreeParserCtxt)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlSchemaParserCtxt, xmlSchemaFreeParserCtxt)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlSchemaValidCtxt, xmlSchemaFreeValidCtxt)

G_DEFINE_QUARK (psim-load-error-quark, psim_load_error)

struct _PsimLoader {
  xmlSchemaPtr schema;
  PsimExprContext *expr;
};

/* State of one load, reachable from libxml2's callbacks. */
typedef struct {
  const char *file;
  GPtrArray *diags;
  gboolean doctype;
  gboolean truncated;
} Load;

/* ---- diagnostics ---------------------------------------------------------- */

void
psim_diagnostic_free (PsimDiagnostic *d)
{
  if (d == NULL)
    return;
  g_free (d->file);
  g_free (d->message);
  g_free (d);
}

GPtrArray *
psim_diagnostics_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) psim_diagnostic_free);
}

guint
psim_diagnostics_count_errors (const GPtrArray *diags)
{
  guint n = 0;
  for (guint i = 0; diags != NULL && i < diags->len; i++)
    n += ((const PsimDiagnostic *) g_ptr_array_index (diags, i))->severity == PSIM_SEVERITY_ERROR;
  return n;
}

char *
psim_diagnostic_to_string (const PsimDiagnostic *d)
{
  const char *sev = d->severity == PSIM_SEVERITY_ERROR ? _("error") : _("warning");
  if (d->line > 0)
    return g_strdup_printf ("%s:%u: %s: %s", d->file, d->line, sev, d->message);
  return g_strdup_printf ("%s: %s: %s", d->file, sev, d->message);
}

void
psim_diag_add (GPtrArray *diags, PsimSeverity severity, const char *file,
               guint line, const char *format, ...)
{
  PsimDiagnostic *d = g_new0 (PsimDiagnostic, 1);
  va_list ap;
  va_start (ap, format);
  d->severity = severity;
  d->file = g_strdup (file);
  d->line = line;
  d->message = g_strdup_vprintf (format, ap);
  va_end (ap);
  g_ptr_array_add (diags, d);
}

/* libxml2 messages end in a newline and name elements with their namespace
 * in braces; users wrote <step>, so show them <step>. */
static char *
clean_libxml_message (const char *msg)
{
  g_autoptr (GString) s = g_string_new (msg != NULL ? msg : "unknown error");
  g_string_replace (s, "{" PSIM_NS "}", "", 0);
  while (s->len > 0 && g_ascii_isspace (s->str[s->len - 1]))
    g_string_truncate (s, s->len - 1);
  /* One diagnostic, one line: some messages continue on a second line
   * ("Bytes: 0xE4 0x72..."). */
  g_string_replace (s, "\n", " ", 0);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static void
add_libxml_error (Load *ld, const xmlError *e)
{
  if (ld->diags->len >= MAX_DIAGNOSTICS)
    {
      if (!ld->truncated)
        psim_diag_add (ld->diags, PSIM_SEVERITY_ERROR, ld->file, 0,
                       _("too many errors; stopped after %d"), MAX_DIAGNOSTICS);
      ld->truncated = TRUE;
      return;
    }
  g_autofree char *msg = clean_libxml_message (e->message);
  /* libxml2 suggests an option we refuse on purpose; say what is wrong. */
  if (g_str_has_prefix (msg, "Excessive depth in document"))
    {
      g_free (msg);
      msg = g_strdup_printf (_("elements are nested too deeply (the limit is %d levels)"), 256);
    }
  psim_diag_add (ld->diags,
                 e->level == XML_ERR_WARNING ? PSIM_SEVERITY_WARNING : PSIM_SEVERITY_ERROR,
                 ld->file, e->line > 0 ? (guint) e->line : 0, "%s", msg);
}

static void
on_parse_error (void *user_data, xmlErrorPtr e)
{
  xmlParserCtxtPtr ctxt = user_data;
  Load *ld = ctxt->_private;
  /* After a refused DOCTYPE the parser reports that it was stopped: that is
   * our own doing, not news for the user. */
  if (ld->doctype && e->code == XML_ERR_USER_STOP)
    return;
  add_libxml_error (ld, e);
}

static void
on_schema_error (void *user_data, xmlErrorPtr e)
{
  add_libxml_error (user_data, e);
}

/* SAX: called on "<!DOCTYPE name ..." before the internal subset is read. */
static void
on_internal_subset (void *user_data, const xmlChar *name,
                    const xmlChar *external_id, const xmlChar *system_id)
{
  xmlParserCtxtPtr ctxt = user_data;
  Load *ld = ctxt->_private;
  ld->doctype = TRUE;
  psim_diag_add (ld->diags, PSIM_SEVERITY_ERROR, ld->file,
                 ctxt->input != NULL ? (guint) ctxt->input->line : 0,
                 _("<!DOCTYPE> is not allowed in a procedure file "
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
  g_autoptr (GPtrArray) diags = psim_diagnostics_new ();
  Load ld = { .file = "procedure.xsd", .diags = diags };
  g_autoptr (xmlSchemaParserCtxt) pctxt = xmlSchemaNewMemParserCtxt (data, (int) size);
  xmlSchemaSetParserStructuredErrors (pctxt, on_schema_error, &ld);
  xmlSchemaPtr schema = xmlSchemaParse (pctxt);
  if (schema == NULL)
    {
      g_autofree char *first = diags->len > 0
        ? psim_diagnostic_to_string (g_ptr_array_index (diags, 0))
        : g_strdup ("unknown error");
      g_set_error (error, PSIM_LOAD_ERROR, PSIM_LOAD_ERROR_INTERNAL,
                   "embedded schema does not compile: %s", first);
      return NULL;
    }
  PsimLoader *loader = g_new0 (PsimLoader, 1);
  loader->schema = schema;
  loader->expr = psim_expr_context_new ();
  return loader;
}

void
psim_loader_free (PsimLoader *loader)
{
  if (loader == NULL)
    return;
  xmlSchemaFree (loader->schema);
  psim_expr_context_free (loader->expr);
  g_free (loader);
}

/* ---- DOM helpers ---------------------------------------------------------- */

static guint
line_of (const xmlNode *node)
{
  long line = xmlGetLineNo (node);
  return line > 0 ? (guint) line : 0;
}

static gboolean
is_elem (const xmlNode *node, const char *name)
{
  return node->type == XML_ELEMENT_NODE && node->ns != NULL
         && xmlStrEqual (node->ns->href, BAD_CAST PSIM_NS)
         && (name == NULL || xmlStrEqual (node->name, BAD_CAST name));
}

static xmlNodePtr
skip_to_elem (xmlNodePtr node)
{
  while (node != NULL && node->type != XML_ELEMENT_NODE)
    node = node->next;
  return node;
}

/* Iterates over the element children, skipping text and comments. Only
 * used on validated trees, where every element is in our namespace. */
#define FOR_EACH_ELEM(child, parent)                                           \
  for (xmlNodePtr child = skip_to_elem ((parent)->children); child != NULL;    \
       child = skip_to_elem (child->next))

/* (transfer full) (nullable) The value of attribute @name. */
static char *
get_attr (const xmlNode *node, const char *name)
{
  for (const xmlAttr *a = node->properties; a != NULL; a = a->next)
    {
      if (a->ns != NULL || strcmp ((const char *) a->name, name) != 0)
        continue;
      /* Without entities an attribute's value is one text node; copy it
       * once rather than through xmlGetNoNsProp's own copy. */
      if (a->children != NULL && a->children->next == NULL && a->children->type == XML_TEXT_NODE)
        return g_strdup ((const char *) a->children->content);
      xmlChar *v = xmlNodeListGetString (node->doc, a->children, 1);
      char *s = g_strdup (v != NULL ? (const char *) v : "");
      xmlFree (v);
      return s;
    }
  return NULL;
}

/* The text of an element with runs of white space collapsed, so that
 * authors may wrap long instructions over several lines. */
static char *
get_text (const xmlNode *node)
{
  xmlChar *raw = xmlNodeGetContent (node);
  GString *s = g_string_new (NULL);
  gboolean space = FALSE;
  for (const char *p = (const char *) raw; p != NULL && *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p))
        {
          space = s->len > 0;
          continue;
        }
      if (space)
        g_string_append_c (s, ' ');
      space = FALSE;
      g_string_append_c (s, *p);
    }
  xmlFree (raw);
  return g_string_free (s, FALSE);
}

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

/* ---- building the model --------------------------------------------------- */

typedef struct {
  Load *ld;
  PsimExprContext *expr;
  PsimProcedure *proc;
} Builder;


static void
set_ref (PsimRef *ref, const xmlNode *node, const char *attr)
{
  ref->id = get_attr (node, attr);
  ref->line = line_of (node);
}

/* A human name for the element a message is about: "step 'L3'". */
static char *
describe (const xmlNode *owner)
{
  g_autofree char *id = get_attr (owner, "id");
  if (id != NULL)
    return g_strdup_printf ("%s '%s'", (const char *) owner->name, id);
  return g_strdup_printf ("<%s>", (const char *) owner->name);
}

static void
add_text (Builder *b, GPtrArray *texts, const xmlNode *node)
{
  PsimText *t = g_new0 (PsimText, 1);
  /* The schema admits xml:lang only on the text elements themselves. */
  xmlChar *lang = xmlGetNsProp (node, BAD_CAST "lang", XML_XML_NAMESPACE);
  t->lang = lang != NULL && lang[0] != '\0' ? g_strdup ((const char *) lang) : NULL;
  t->text = get_text (node);
  if (t->lang == NULL)
    {
      g_autofree char *owner = describe (node->parent);
      psim_diag_add (b->ld->diags, PSIM_SEVERITY_ERROR, b->ld->file, line_of (node),
                     lang == NULL ? _("%s: <%s> has no xml:lang attribute")
                                  : _("%s: <%s> has an empty xml:lang attribute"),
                     owner, (const char *) node->name);
    }
  xmlFree (lang);
  g_ptr_array_add (texts, t);
}

static void
build_quantity (Builder *b, PsimQuantitySlot *slot, const xmlNode *node,
                const xmlNode *owner, gboolean ranged)
{
  g_autofree char *what = describe (owner);
  const char *elem = (const char *) node->name;
  const char *file = b->ld->file;
  guint line = line_of (node);

  if (slot->set)
    {
      psim_diag_add (b->ld->diags, PSIM_SEVERITY_ERROR, file, line,
                     _("%s has more than one <%s>"), what, elem);
      return;
    }
  slot->set = TRUE;
  slot->line = line;
  g_autofree char *unit = get_attr (node, "unit");
  g_autofree char *basis = get_attr (node, "basis");
  slot->q.unit = unit != NULL ? psim_enum_from_string (psim_time_unit_names, unit) : PSIM_UNIT_HOURS;
  slot->q.basis = psim_enum_from_string (psim_basis_names, basis);
  slot->source_id = get_attr (node, "source");

  const char *value_attr = ranged ? "value" : (unit != NULL ? "value" : "hours");
  g_autofree char *value = get_attr (node, value_attr);
  g_autofree char *min = ranged ? get_attr (node, "min") : NULL;
  g_autofree char *likely = ranged ? get_attr (node, "likely") : NULL;
  g_autofree char *max = ranged ? get_attr (node, "max") : NULL;
  gboolean any_range = min != NULL || likely != NULL || max != NULL;
  gboolean full_range = min != NULL && likely != NULL && max != NULL;

  if (value != NULL && any_range)
    {
      psim_diag_add (b->ld->diags, PSIM_SEVERITY_ERROR, file, line,
                     _("%s: <%s> has both value and min/likely/max; give one or the other"),
                     what, elem);
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
      psim_diag_add (b->ld->diags, PSIM_SEVERITY_ERROR, file, line,
                     _("%s: <%s> needs either value or all of min, likely and max"),
                     what, elem);
      return;
    }
  parse_number (min, &slot->q.min);
  parse_number (likely, &slot->q.likely);
  parse_number (max, &slot->q.max);
  if (slot->q.min > slot->q.likely || slot->q.likely > slot->q.max)
    psim_diag_add (b->ld->diags, PSIM_SEVERITY_ERROR, file, line,
                   _("%s: <%s> must have min <= likely <= max (got %s, %s, %s)"),
                   what, elem, min, likely, max);
}

static PsimExpr *
compile_expr (Builder *b, const xmlNode *node, const char *attr, const char *what)
{
  g_autofree char *src = get_attr (node, attr);
  if (src == NULL)
    return NULL;
  g_autofree char *msg = NULL;
  PsimExpr *expr = psim_expr_compile (b->expr, src, &msg);
  if (expr == NULL)
    psim_diag_add (b->ld->diags, PSIM_SEVERITY_ERROR, b->ld->file, line_of (node),
                   _("%s: expression \"%s\" does not compile: %s"), what, src, msg);
  return expr;
}

static void
build_fee (Builder *b, PsimNode *step, const xmlNode *node, const xmlNode *owner)
{
  PsimFee *fee = psim_fee_new ();
  g_autofree char *what = describe (owner);
  g_autofree char *kind = get_attr (node, "kind");
  g_autofree char *basis = get_attr (node, "basis");
  g_autofree char *amount = get_attr (node, "amount");
  g_autofree char *expr = get_attr (node, "expr");

  fee->line = line_of (node);
  fee->kind = psim_enum_from_string (psim_fee_kind_names, kind);
  fee->basis = psim_enum_from_string (psim_basis_names, basis);
  fee->currency = get_attr (node, "currency");
  if (fee->currency == NULL)
    fee->currency = g_strdup ("VND");
  set_ref (&fee->payer, node, "payer");
  set_ref (&fee->source, node, "source");
  FOR_EACH_ELEM (c, node)
    add_text (b, fee->names, c);

  if (amount != NULL && expr != NULL)
    psim_diag_add (b->ld->diags, PSIM_SEVERITY_ERROR, b->ld->file, fee->line,
                   _("%s: <fee> has both amount and expr; give one"), what);
  else if (amount == NULL && expr == NULL)
    psim_diag_add (b->ld->diags, PSIM_SEVERITY_ERROR, b->ld->file, fee->line,
                   _("%s: <fee> has neither amount nor expr"), what);
  else if (amount != NULL)
    {
      fee->has_amount = parse_number (amount, &fee->amount);
      /* "500.000" is how Vietnamese writes five hundred thousand; as an
       * XML decimal it is five hundred. VND has no minor unit, so a point
       * in a VND amount is almost certainly that mistake. */
      if (strcmp (fee->currency, "VND") == 0 && strchr (amount, '.') != NULL)
        psim_diag_add (b->ld->diags, PSIM_SEVERITY_WARNING, b->ld->file, fee->line,
                       _("%s: <fee> amount=\"%s\" reads as %g VND; VND has no minor unit, "
                         "so write digits only (500000, not 500.000)"),
                       what, amount, fee->amount);
    }
  else
    {
      g_autofree char *ctx = g_strdup_printf (_("%s: <fee>"), what);
      fee->expr = compile_expr (b, node, "expr", ctx);
    }
  g_ptr_array_add (step->fees, fee);
}

static void
build_branches (Builder *b, PsimNode *n, const xmlNode *node)
{
  g_autofree char *what = describe (node);
  FOR_EACH_ELEM (c, node)
    {
      if (is_elem (c, "name"))
        {
          add_text (b, n->names, c);
          continue;
        }
      PsimBranch *br = psim_branch_new ();
      br->line = line_of (c);
      set_ref (&br->to, c, "to");
      g_autofree char *p = get_attr (c, "probability");
      br->has_probability = parse_number (p, &br->probability);
      br->when = compile_expr (b, c, "when", what);
      br->when_invalid = br->when == NULL && xmlHasNsProp (c, BAD_CAST "when", NULL) != NULL;
      FOR_EACH_ELEM (l, c)
        add_text (b, br->labels, l);
      g_ptr_array_add (n->branches, br);
    }
}

static void
build_step (Builder *b, PsimNode *n, const xmlNode *node)
{
  g_autofree char *channel = get_attr (node, "channel");
  g_autofree char *interaction = get_attr (node, "interaction");
  g_autofree char *visit = get_attr (node, "visit");
  g_autofree char *replaces = get_attr (node, "replaces");

  set_ref (&n->actor, node, "actor");
  set_ref (&n->party, node, "with");
  n->channel = psim_enum_from_string (psim_channel_names, channel);
  n->interaction_attr = parse_xs_boolean (interaction);
  n->visit_attr = parse_xs_boolean (visit);
  if (replaces != NULL)
    {
      g_auto (GStrv) ids = g_strsplit_set (replaces, " \t\r\n", -1);
      for (char **id = ids; *id != NULL; id++)
        if (**id != '\0')
          g_ptr_array_add (n->replaces, psim_ref_new (*id, n->line));
    }

  FOR_EACH_ELEM (c, node)
    {
      const char *name = (const char *) c->name;
      if (strcmp (name, "name") == 0)
        add_text (b, n->names, c);
      else if (strcmp (name, "instructions") == 0)
        add_text (b, n->instructions, c);
      else if (strcmp (name, "note") == 0)
        add_text (b, n->notes, c);
      else if (strcmp (name, "input") == 0 || strcmp (name, "output") == 0)
        {
          g_autofree char *ref = get_attr (c, "ref");
          g_ptr_array_add (name[0] == 'i' ? n->inputs : n->outputs,
                           psim_ref_new (ref, line_of (c)));
        }
      else if (strcmp (name, "duration") == 0)
        build_quantity (b, &n->duration, c, node, TRUE);
      else if (strcmp (name, "effort") == 0)
        build_quantity (b, &n->effort, c, node, FALSE);
      else if (strcmp (name, "time-limit") == 0)
        {
          build_quantity (b, &n->time_limit, c, node, TRUE);
          if (n->time_limit_law.id == NULL)
            set_ref (&n->time_limit_law, c, "law");
        }
      else if (strcmp (name, "fee") == 0)
        build_fee (b, n, c, node);
      else if (strcmp (name, "legal") == 0)
        {
          PsimLegal *l = psim_legal_new ();
          set_ref (&l->law, c, "ref");
          l->article = get_attr (c, "article");
          g_ptr_array_add (n->legal, l);
        }
    }
}

static void
build_variant (Builder *b, const xmlNode *node)
{
  PsimVariant *v = psim_variant_new (b->proc);
  v->id = get_attr (node, "id");
  v->line = line_of (node);
  set_ref (&v->baseline, node, "baseline");
  g_ptr_array_add (b->proc->variants, v);

  FOR_EACH_ELEM (c, node)
    {
      if (is_elem (c, "title"))
        add_text (b, v->titles, c);
      else if (is_elem (c, "description"))
        add_text (b, v->descriptions, c);
      else if (is_elem (c, "process"))
        FOR_EACH_ELEM (e, c)
          {
            const char *name = (const char *) e->name;
            PsimNodeKind kind = psim_enum_from_string (psim_node_kind_names, name);
            PsimNode *n = psim_node_new (v, kind);
            n->line = line_of (e);
            n->id = get_attr (e, "id");
            if (n->id == NULL)
              n->id = g_strdup (name); /* start and end default to their name */
            if (kind == PSIM_NODE_START || kind == PSIM_NODE_STEP || kind == PSIM_NODE_JOIN)
              set_ref (&n->next, e, "next");
            if (kind == PSIM_NODE_STEP)
              build_step (b, n, e);
            else if (kind == PSIM_NODE_CHOICE || kind == PSIM_NODE_SPLIT)
              build_branches (b, n, e);
            else
              FOR_EACH_ELEM (t, e)
                add_text (b, n->names, t);
            if (kind == PSIM_NODE_SPLIT)
              set_ref (&n->join, e, "join");
            g_ptr_array_add (v->nodes, n);
          }
    }
}

static void
build_param (Builder *b, const xmlNode *node)
{
  PsimParam *p = g_new0 (PsimParam, 1);
  g_autofree char *type = get_attr (node, "type");
  g_autofree char *min = get_attr (node, "min");
  g_autofree char *max = get_attr (node, "max");
  p->id = get_attr (node, "id");
  p->line = line_of (node);
  p->type = psim_enum_from_string (psim_param_type_names, type);
  p->labels = g_ptr_array_new_with_free_func ((GDestroyNotify) psim_text_free);
  p->options = g_ptr_array_new_with_free_func (g_free);
  p->unit = get_attr (node, "unit");
  p->def = get_attr (node, "default");
  p->has_min = parse_number (min, &p->min);
  p->has_max = parse_number (max, &p->max);
  FOR_EACH_ELEM (c, node)
    {
      if (is_elem (c, "label"))
        add_text (b, p->labels, c);
      else if (is_elem (c, "option"))
        g_ptr_array_add (p->options, get_attr (c, "value"));
    }
  g_ptr_array_add (b->proc->params, p);
}

static void
build_procedure (Builder *b, const xmlNode *root)
{
  PsimProcedure *proc = b->proc;
  proc->id = get_attr (root, "id");
  proc->version = get_attr (root, "version");
  proc->date = get_attr (root, "date");
  proc->jurisdiction = get_attr (root, "jurisdiction");

  FOR_EACH_ELEM (c, root)
    {
      const char *name = (const char *) c->name;
      if (strcmp (name, "title") == 0)
        add_text (b, proc->titles, c);
      else if (strcmp (name, "description") == 0)
        add_text (b, proc->descriptions, c);
      else if (strcmp (name, "sources") == 0)
        FOR_EACH_ELEM (s, c)
          {
            PsimSource *src = g_new0 (PsimSource, 1);
            src->id = get_attr (s, "id");
            src->line = line_of (s);
            src->href = get_attr (s, "href");
            src->citation = get_text (s);
            g_ptr_array_add (proc->sources, src);
          }
      else if (strcmp (name, "legal-basis") == 0)
        FOR_EACH_ELEM (l, c)
          {
            PsimLaw *law = g_new0 (PsimLaw, 1);
            law->id = get_attr (l, "id");
            law->line = line_of (l);
            law->number = get_attr (l, "number");
            law->titles = g_ptr_array_new_with_free_func ((GDestroyNotify) psim_text_free);
            set_ref (&law->source, l, "source");
            FOR_EACH_ELEM (t, l)
              add_text (b, law->titles, t);
            g_ptr_array_add (proc->laws, law);
          }
      else if (strcmp (name, "case-data") == 0)
        FOR_EACH_ELEM (p, c)
          build_param (b, p);
      else if (strcmp (name, "actors") == 0)
        FOR_EACH_ELEM (a, c)
          {
            PsimActor *actor = g_new0 (PsimActor, 1);
            g_autofree char *kind = get_attr (a, "kind");
            actor->id = get_attr (a, "id");
            actor->line = line_of (a);
            actor->kind = psim_enum_from_string (psim_actor_kind_names, kind);
            actor->names = g_ptr_array_new_with_free_func ((GDestroyNotify) psim_text_free);
            FOR_EACH_ELEM (t, a)
              add_text (b, actor->names, t);
            g_ptr_array_add (proc->actors, actor);
          }
      else if (strcmp (name, "documents") == 0)
        FOR_EACH_ELEM (d, c)
          {
            PsimDocument *doc = g_new0 (PsimDocument, 1);
            g_autofree char *ndb = get_attr (d, "national-db");
            doc->id = get_attr (d, "id");
            doc->line = line_of (d);
            doc->national_db = parse_xs_boolean (ndb) == 1;
            doc->names = g_ptr_array_new_with_free_func ((GDestroyNotify) psim_text_free);
            FOR_EACH_ELEM (t, d)
              add_text (b, doc->names, t);
            g_ptr_array_add (proc->documents, doc);
          }
      else if (strcmp (name, "variant") == 0)
        build_variant (b, c);
    }
}

/* ---- the pipeline --------------------------------------------------------- */

static xmlDocPtr
parse (Load *ld, const char *data, gsize size)
{
  g_autoptr (xmlParserCtxt) ctxt = xmlNewParserCtxt ();
  if (ctxt == NULL)
    {
      psim_diag_add (ld->diags, PSIM_SEVERITY_ERROR, ld->file, 0, _("out of memory"));
      return NULL;
    }
  ctxt->_private = ld;
  ctxt->sax->serror = on_parse_error;
  ctxt->sax->internalSubset = on_internal_subset;
  /* Deliberately absent: XML_PARSE_NOENT (entity substitution),
   * XML_PARSE_DTDLOAD, XML_PARSE_HUGE (keeps the 256-level depth limit and
   * the 10 MB text-node limit). */
  /* NOBLANKS and COMPACT cut the tree's size; the format has no mixed
   * content, so no meaningful white space is lost. */
  int options = XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_BIG_LINES | XML_PARSE_NOBLANKS
                | XML_PARSE_COMPACT;
  xmlDocPtr doc = xmlCtxtReadMemory (ctxt, data, (int) size, ld->file, NULL, options);
  if (ld->doctype || !ctxt->wellFormed)
    {
      g_clear_pointer (&doc, xmlFreeDoc);
      if (psim_diagnostics_count_errors (ld->diags) == 0)
        psim_diag_add (ld->diags, PSIM_SEVERITY_ERROR, ld->file, 0,
                       _("not well-formed XML"));
    }
  return doc;
}

static gboolean
check_root (Load *ld, const xmlNode *root)
{
  if (root == NULL)
    {
      psim_diag_add (ld->diags, PSIM_SEVERITY_ERROR, ld->file, 0,
                     _("the document has no root element"));
      return FALSE;
    }
  if (is_elem (root, "procedure"))
    return TRUE;
  if (root->ns == NULL)
    psim_diag_add (ld->diags, PSIM_SEVERITY_ERROR, ld->file, line_of (root),
                   _("not a procsim procedure file: the root element <%s> has no namespace; "
                     "expected <procedure xmlns=\"%s\">"),
                   (const char *) root->name, PSIM_NS);
  else
    psim_diag_add (ld->diags, PSIM_SEVERITY_ERROR, ld->file, line_of (root),
                   _("not a procsim procedure file: the root element is <%s> in "
                     "namespace '%s'; expected <procedure xmlns=\"%s\">"),
                   (const char *) root->name, (const char *) root->ns->href, PSIM_NS);
  return FALSE;
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
  Load ld = { .file = name, .diags = found };
  g_autoptr (PsimProcedure) proc = NULL;

  if (size > PSIM_LOAD_MAX_FILE_SIZE)
    psim_diag_add (found, PSIM_SEVERITY_ERROR, name, 0,
                   _("file too large: %lu bytes (the limit is %lu)"),
                   (unsigned long) size, (unsigned long) PSIM_LOAD_MAX_FILE_SIZE);
  else if (size == 0)
    psim_diag_add (found, PSIM_SEVERITY_ERROR, name, 0, _("the file is empty"));
  else
    {
      g_autoptr (xmlDoc) doc = parse (&ld, data, size);
      if (doc != NULL && check_root (&ld, xmlDocGetRootElement (doc)))
        {
          g_autoptr (xmlSchemaValidCtxt) vctxt = xmlSchemaNewValidCtxt (loader->schema);
          xmlSchemaSetValidStructuredErrors (vctxt, on_schema_error, &ld);
          int rc = xmlSchemaValidateDoc (vctxt, doc);
          if (rc != 0 && psim_diagnostics_count_errors (found) == 0)
            psim_diag_add (found, PSIM_SEVERITY_ERROR, name, 0,
                           _("the document does not match the procedure schema"));
          if (rc == 0)
            {
              proc = psim_procedure_new (name);
              Builder b = { .ld = &ld, .expr = loader->expr, .proc = proc };
              build_procedure (&b, xmlDocGetRootElement (doc));
              /* The model holds copies; the tree is the larger of the two. */
              g_clear_pointer (&doc, xmlFreeDoc);
              psim_check_procedure (proc, loader->expr, found);
            }
        }
    }

  /* In document order, findings about the whole file first; the sort is
   * stable, so findings on one line keep the order they were made in. */
  g_ptr_array_sort (found, compare_lines);
  guint n_errors = psim_diagnostics_count_errors (found);
  if (found->len > MAX_DIAGNOSTICS && !ld.truncated)
    {
      g_ptr_array_set_size (found, MAX_DIAGNOSTICS);
      psim_diag_add (found, PSIM_SEVERITY_ERROR, name, 0,
                     _("too many errors; stopped after %d"), MAX_DIAGNOSTICS);
    }
  if (diags != NULL)
    g_ptr_array_extend_and_steal (diags, g_steal_pointer (&found));
  if (n_errors > 0)
    {
      g_set_error (error, PSIM_LOAD_ERROR, PSIM_LOAD_ERROR_INVALID,
                   g_dngettext (GETTEXT_PACKAGE, "%s: %u error", "%s: %u errors", n_errors),
                   name, n_errors);
      return NULL;
    }
  return g_steal_pointer (&proc);
}

static void
refuse_file (const char *path, GPtrArray *diags, GError **error, const char *message)
{
  if (diags != NULL)
    psim_diag_add (diags, PSIM_SEVERITY_ERROR, path, 0, "%s", message);
  g_set_error (error, PSIM_LOAD_ERROR, PSIM_LOAD_ERROR_INVALID, "%s: %s", path, message);
}

PsimProcedure *
psim_loader_load_file (PsimLoader *loader, const char *path, GPtrArray *diags, GError **error)
{
  g_return_val_if_fail (loader != NULL && path != NULL, NULL);
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved = errno;
      g_autofree char *msg = g_strdup_printf (_("cannot open the file: %s"), g_strerror (saved));
      refuse_file (path, diags, error, msg);
      return NULL;
    }
  /* Only regular files: a FIFO or a device could block or never end. */
  struct stat st;
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      close (fd);
      refuse_file (path, diags, error, _("not a regular file"));
      return NULL;
    }
  g_autoptr (GError) local = NULL;
  g_autoptr (GMappedFile) map = NULL;
  /* Too large: let load_memory say so without mapping anything. */
  if ((guint64) st.st_size <= PSIM_LOAD_MAX_FILE_SIZE)
    map = g_mapped_file_new_from_fd (fd, FALSE, &local);
  close (fd);
  if ((guint64) st.st_size > PSIM_LOAD_MAX_FILE_SIZE)
    return psim_loader_load_memory (loader, "", (gsize) st.st_size, path, diags, error);
  if (map == NULL)
    {
      refuse_file (path, diags, error, local->message);
      return NULL;
    }
  /* An empty file maps to NULL contents; give the parser a valid pointer. */
  const char *data = g_mapped_file_get_contents (map);
  return psim_loader_load_memory (loader, data != NULL ? data : "",
                                  g_mapped_file_get_length (map), path, diags, error);
}

PsimProcedure *
psim_load_file (const char *path, GPtrArray *diags, GError **error)
{
  g_autoptr (PsimLoader) loader = psim_loader_new (error);
  if (loader == NULL)
    return NULL;
  return psim_loader_load_file (loader, path, diags, error);
}
