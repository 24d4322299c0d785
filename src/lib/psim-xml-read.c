/* psim-xml-read.c — reading untrusted XML safely, and libxml2's messages as
 * diagnostics.
 *
 * Every XML file procsim reads (a procedure, a scenario, a BPMN diagram)
 * may come from anyone, so every reader parses under the same rules, kept
 * here: the network is off (PSIMP_XML_SAFE_OPTIONS); entities are not
 * substituted, no DTD is loaded or applied and no XInclude is processed
 * (XML_PARSE_NOENT, _DTDLOAD, _DTDATTR and _XINCLUDE are never set); a
 * DOCTYPE is refused from the SAX callback that sees it, before its
 * internal subset is read, so entity bombs and external entities never get
 * a chance; and libxml2's own limits stay on (no XML_PARSE_HUGE: 256 levels
 * of nesting, 10,000,000 bytes in one attribute value). The size of a file
 * and the number of attributes of an element are capped before libxml2
 * sees the bytes (PSIM_LOAD_MAX_FILE_SIZE, psim-xml-scan.c).
 *
 * libxml2 speaks through three channels: the parser context's structured
 * handler, the schema contexts' handlers and, for encoding and I/O
 * failures, the thread's global handler, which prints to stderr. A reader
 * takes the global one over for the duration of a parse and turns every
 * message into a diagnostic at its line; nothing is printed. What a
 * message means for one format (a hint, when to stop) stays with its
 * reader.
 */
#include "psim-xml-private.h"

#include <libxml/parserInternals.h>
#include <string.h>

xmlParserCtxt *
psimp_xml_parser_new (const char *data, gsize size, const char *file, int options)
{
  xmlParserCtxt *ctxt = xmlCreateMemoryParserCtxt (data, (int) size);
  if (ctxt == NULL)
    return NULL;
  xmlCtxtUseOptions (ctxt, PSIMP_XML_SAFE_OPTIONS | options);
  if (ctxt->input != NULL && ctxt->input->filename == NULL)
    ctxt->input->filename = (char *) xmlStrdup (BAD_CAST file);
  return ctxt;
}

void
psimp_xml_catch_global_errors (PsimpXmlGlobalErrors *saved, xmlStructuredErrorFunc handler,
                               void *data)
{
  saved->handler = xmlStructuredError;
  saved->data = xmlStructuredErrorContext;
  xmlSetStructuredErrorFunc (data, handler);
}

void
psimp_xml_release_global_errors (const PsimpXmlGlobalErrors *saved)
{
  xmlSetStructuredErrorFunc (saved->data, saved->handler);
}

/* libxml2 messages end in a newline and name elements with their namespace
 * in braces; users wrote <step>, so show them <step>. */
char *
psimp_xml_message (const char *msg, const char *ns)
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

PsimSeverity
psimp_xml_error_severity (const xmlError *e)
{
  return e->level == XML_ERR_WARNING ? PSIM_SEVERITY_WARNING : PSIM_SEVERITY_ERROR;
}

guint
psimp_xml_error_line (const xmlError *e)
{
  return e->line > 0 ? (guint) e->line : 0;
}

void
psimp_xml_diag_add (GPtrArray *diags, const char *file, const xmlError *e, const char *ns)
{
  g_autofree char *msg = psimp_xml_message (e->message, ns);
  psim_diag_add (diags, psimp_xml_error_severity (e), file, psimp_xml_error_line (e), "%s", msg);
}

void
psimp_xml_refuse_doctype (xmlParserCtxt *ctxt, GPtrArray *diags, const char *file,
                          const char *message)
{
  psim_diag_add (diags, PSIM_SEVERITY_ERROR, file,
                 ctxt->input != NULL && ctxt->input->line > 0 ? (guint) ctxt->input->line : 0,
                 "%s", message);
  xmlStopParser (ctxt);
}

/* What a schema compile says, for psimp_xml_schema_compile (). */
typedef struct {
  const char *name;
  GPtrArray *diags;
} Compile;

static void
on_compile_error (void *user_data, xmlErrorPtr e)
{
  Compile *c = user_data;
  psimp_xml_diag_add (c->diags, c->name, e, "");
}

xmlSchema *
psimp_xml_schema_compile (const char *data, gsize size, const char *name, char **first)
{
  g_autoptr (GPtrArray) diags = psim_diagnostics_new ();
  Compile c = { name, diags };
  PsimpXmlGlobalErrors saved;
  psimp_xml_catch_global_errors (&saved, on_compile_error, &c);
  xmlSchema *schema = NULL;
  g_autoptr (xmlSchemaParserCtxt) pctxt = xmlSchemaNewMemParserCtxt (data, (int) size);
  if (pctxt != NULL)
    {
      xmlSchemaSetParserStructuredErrors (pctxt, on_compile_error, &c);
      schema = xmlSchemaParse (pctxt);
    }
  psimp_xml_release_global_errors (&saved);
  if (schema == NULL)
    *first = diags->len > 0 ? psim_diagnostic_to_string (g_ptr_array_index (diags, 0), "en")
                            : g_strdup ("unknown error");
  return schema;
}
