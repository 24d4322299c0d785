/* psim-load-parse.c — one pass of libxml2 over a procedure file: the
 * parse, the schema validation and the building of the model at once.
 *
 * The bytes are parsed under psim-xml-read.c's rules (no network, no
 * entity substitution, no DTD; a DOCTYPE refused before its internal
 * subset is read). The embedded XSD's validator is plugged into the same
 * SAX stream as the builder (psim-load-build.c), so there is no document
 * tree and a 10,000-step file is read once. Every libxml2 message becomes
 * a diagnostic at its line, with a hint for the usual slips of a
 * hand-written file; a file that is not well formed stops at its first
 * error, whose consequences would only bury it.
 */
#include "psim-load-private.h"

#include <libxml/parserInternals.h>
#include <string.h>

/* ---- libxml2's messages ------------------------------------------------------ */

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
  g_autofree char *msg = psimp_xml_message (e->message, PSIM_NS);
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
  psim_diag_add (ld->diags, psimp_xml_error_severity (e), ld->file, psimp_xml_error_line (e), "%s",
                 msg);
}

/* Parser errors. With the schema plugged in, @user_data is the plug, so
 * the parser is found through the error itself. */
static void
on_parse_error (void *user_data, xmlErrorPtr e)
{
  xmlParserCtxtPtr ctxt = e->ctxt;
  if (ctxt == NULL || ctxt->_private == NULL)
    return;
  Load *ld = ((Builder *) ctxt->_private)->ld;
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
  Load *ld = ((Builder *) ctxt->_private)->ld;
  ld->doctype = TRUE;
  psimp_xml_refuse_doctype (ctxt, ld->diags, ld->file,
                            psim_gettext (ld->lang, "<!DOCTYPE> is not allowed in a procedure file "
                                                    "(DTDs and entities are refused for safety)"));
}

/* ---- SAX events ---------------------------------------------------------- */

static void
on_start_element (void *user_data, const xmlChar *localname, const xmlChar *prefix,
                  const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
                  int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
  xmlParserCtxtPtr ctxt = user_data;
  Builder *b = ctxt->_private;
  const char *name = (const char *) localname;
  Attrs at = { attributes, nb_attributes };
  guint line = psimp_load_current_line (b);
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
      b->proc->id = psimp_load_attr (at, "id");
      b->proc->version = psimp_load_attr (at, "version");
      b->proc->date = psimp_load_attr (at, "date");
      b->proc->jurisdiction = psimp_load_attr (at, "jurisdiction");
      f = (Frame) { .kind = F_PROCEDURE, .object = b->proc };
    }
  else
    {
      Frame *parent = &g_array_index (b->frames, Frame, b->frames->len - 1);
      f = psimp_load_child_frame (b, parent, name, at, line);
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
    psimp_load_end_text (b, f, &g_array_index (b->frames, Frame, b->frames->len - 2));
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
    *line = b->closing_line != 0 ? b->closing_line : psimp_load_current_line (b);
  return 0;
}

gboolean
psimp_load_parse (xmlSchema *schema, PsimExprContext *expr, Load *ld, const char *data,
                  gsize size, PsimProcedure *proc)
{
  g_autoptr (xmlParserCtxt) ctxt = psimp_xml_parser_new (data, size, ld->file, 0);
  g_autoptr (xmlSchemaValidCtxt) vctxt = xmlSchemaNewValidCtxt (schema);
  if (ctxt == NULL || vctxt == NULL)
    {
      psim_diag_add (ld->diags, PSIM_SEVERITY_ERROR, ld->file, 0,
                     psim_gettext (ld->lang, "out of memory"));
      return FALSE;
    }
  g_autoptr (GArray) frames = g_array_new (FALSE, FALSE, sizeof (Frame));
  g_autoptr (GString) text = g_string_new (NULL);
  g_autoptr (GHashTable) exprs = g_hash_table_new (g_str_hash, g_str_equal);
  Builder b = { .ld = ld, .ctxt = ctxt, .expr = expr, .proc = proc,
                .frames = frames, .text = text, .exprs = exprs };

  /* Our handler builds no tree: only these events. libxml2's text-node
   * limit applies to trees, and this handler builds none, so a text's
   * only limit is the file's (docs/format.md section 10). */
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
  PsimpXmlGlobalErrors saved;
  psimp_xml_catch_global_errors (&saved, on_global_error, ld);
  xmlParseDocument (ctxt);
  psimp_xml_release_global_errors (&saved);
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
