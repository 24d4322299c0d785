/* psim-bpmn-import-xml.c — the BPMN file read into a tree, and the
 * questions the import asks of its elements.
 *
 * libxml2 parses under the loader's rules: the size is capped before,
 * the network is off, entities are not substituted, no DTD is loaded and
 * a DOCTYPE is refused from the SAX callback that sees it. The diagrams
 * (BPMNDI) are left out of the tree as they are read: most of a tool's
 * file, none of the model. Its messages become findings at their lines,
 * as do those of every later stage (psimp_bpmn_diag), all of them up to
 * MAX_DIAGNOSTICS.
 */
#include "psim-bpmn-import-private.h"
#include "psim-xml-private.h"

#include <libxml/SAX2.h>
#include <libxml/parserInternals.h>
#include <string.h>

/* ---- diagnostics ------------------------------------------------------------ */

void G_GNUC_PRINTF (4, 5)
psimp_bpmn_diag (Import *im, PsimSeverity sev, guint line, const char *format, ...)
{
  if (im->diags->len >= MAX_DIAGNOSTICS)
    {
      if (!im->truncated)
        psim_diag_add (im->diags, PSIM_SEVERITY_ERROR, im->file, 0,
                       psim_gettext (im->lang, "too many errors; stopped after %d"), MAX_DIAGNOSTICS);
      im->truncated = TRUE;
      return;
    }
  va_list ap;
  va_start (ap, format);
  g_autofree char *msg = g_strdup_vprintf (format, ap);
  va_end (ap);
  psim_diag_add (im->diags, sev, im->file, line, "%s", msg);
}

/* ---- tree helpers ----------------------------------------------------------- */

gboolean
psimp_bpmn_in_ns (const xmlNode *x, const char *ns)
{
  return x != NULL && x->type == XML_ELEMENT_NODE && x->ns != NULL && x->ns->href != NULL
         && strcmp ((const char *) x->ns->href, ns) == 0;
}

gboolean
psimp_bpmn_is (const xmlNode *x, const char *name)
{
  return psimp_bpmn_in_ns (x, BPMN_NS) && strcmp ((const char *) x->name, name) == 0;
}

gboolean
psimp_bpmn_is_sim (const xmlNode *x, const char *name)
{
  return (psimp_bpmn_in_ns (x, BPSIM1_NS) || psimp_bpmn_in_ns (x, BPSIM2_NS))
         && strcmp ((const char *) x->name, name) == 0;
}

gboolean
psimp_bpmn_is_psim (const xmlNode *x, const char *name)
{
  return psimp_bpmn_in_ns (x, PSIM_BPMN_NS) && (name == NULL || strcmp ((const char *) x->name, name) == 0);
}

guint
psimp_bpmn_line_of (const xmlNode *x)
{
  long l = x != NULL ? xmlGetLineNo (x) : 0;
  return l > 0 ? (guint) l : 0;
}

/* @s, or NULL (and @s freed) when it is empty. */
static char *
null_if_empty (char *s)
{
  if (*s != '\0')
    return s;
  g_free (s);
  return NULL;
}

/* An attribute without namespace, trimmed; NULL when absent or blank.
 * (transfer full) */
char *
psimp_bpmn_get (const xmlNode *x, const char *name)
{
  xmlChar *v = xmlGetNoNsProp (x, BAD_CAST name);
  if (v == NULL)
    return NULL;
  char *s = g_strstrip (g_strdup ((const char *) v));
  xmlFree (v);
  return null_if_empty (s);
}

/* The text of @x with white space collapsed; NULL when empty. */
char *
psimp_bpmn_text_of (const xmlNode *x)
{
  xmlChar *v = xmlNodeGetContent (x);
  if (v == NULL)
    return NULL;
  char *s = psim_collapse_space ((const char *) v);
  xmlFree (v);
  return null_if_empty (s);
}

/* A QName reference ("tns:Task_1") as the id it names ("Task_1"). */
char *
psimp_bpmn_ref_id (const char *qname)
{
  if (qname == NULL)
    return NULL;
  const char *colon = strrchr (qname, ':');
  return g_strdup (colon != NULL ? colon + 1 : qname);
}

char *
psimp_bpmn_get_ref (const xmlNode *x, const char *name)
{
  g_autofree char *v = psimp_bpmn_get (x, name);
  return psimp_bpmn_ref_id (v);
}

/* The first child element of @x that is BPMN @name. */
xmlNode *
psimp_bpmn_child (const xmlNode *x, const char *name)
{
  for (xmlNode *c = x->children; c != NULL; c = c->next)
    if (psimp_bpmn_is (c, name))
      return c;
  return NULL;
}

/* The procsim extension element @name under @x's extensionElements. */
xmlNode *
psimp_bpmn_ext_of (const xmlNode *x, const char *name)
{
  xmlNode *ee = psimp_bpmn_child (x, "extensionElements");
  for (xmlNode *c = ee != NULL ? ee->children : NULL; c != NULL; c = c->next)
    if (psimp_bpmn_is_psim (c, name))
      return c;
  return NULL;
}

/* The documentation of @x, all of it. (transfer full) (nullable) */
char *
psimp_bpmn_documentation (const xmlNode *x)
{
  g_autoptr (GString) s = g_string_new (NULL);
  for (xmlNode *c = x->children; c != NULL; c = c->next)
    if (psimp_bpmn_is (c, "documentation"))
      {
        g_autofree char *t = psimp_bpmn_text_of (c);
        if (t != NULL)
          g_string_append_printf (s, "%s%s", s->len > 0 ? " " : "", t);
      }
  return s->len > 0 ? g_strdup (s->str) : NULL;
}

/* ---- parsing --------------------------------------------------------------- */

typedef struct {
  Import *im;
  gboolean encoding_error;
  guint skip; /* depth inside a diagram, which is not kept */
} Parse;

#define BPMNDI_NS "http://www.omg.org/spec/BPMN/20100524/DI"

/* The diagrams (BPMNDI) are most of a tool's file and none of the model:
 * the tree is built without them. */
static void
on_start_element (void *user_data, const xmlChar *localname, const xmlChar *prefix,
                  const xmlChar *uri, int n_ns, const xmlChar **ns, int n_attrs, int n_defaulted,
                  const xmlChar **attrs)
{
  xmlParserCtxtPtr ctxt = user_data;
  Parse *ps = ctxt->_private;
  if (ps->skip > 0 || (uri != NULL && strcmp ((const char *) uri, BPMNDI_NS) == 0
                       && strcmp ((const char *) localname, "BPMNDiagram") == 0))
    {
      ps->skip++;
      return;
    }
  xmlSAX2StartElementNs (ctxt, localname, prefix, uri, n_ns, ns, n_attrs, n_defaulted, attrs);
}

static void
on_end_element (void *user_data, const xmlChar *localname, const xmlChar *prefix,
                const xmlChar *uri)
{
  xmlParserCtxtPtr ctxt = user_data;
  Parse *ps = ctxt->_private;
  if (ps->skip > 0)
    {
      ps->skip--;
      return;
    }
  xmlSAX2EndElementNs (ctxt, localname, prefix, uri);
}

static void
on_characters (void *user_data, const xmlChar *ch, int len)
{
  xmlParserCtxtPtr ctxt = user_data;
  if (((Parse *) ctxt->_private)->skip == 0)
    xmlSAX2Characters (ctxt, ch, len);
}

static void
on_cdata (void *user_data, const xmlChar *ch, int len)
{
  xmlParserCtxtPtr ctxt = user_data;
  if (((Parse *) ctxt->_private)->skip == 0)
    xmlSAX2CDataBlock (ctxt, ch, len);
}

static void
on_comment (void *user_data, const xmlChar *value)
{
  /* Comments carry nothing the import reads. */
}

static void
on_error (void *user_data, xmlErrorPtr e)
{
  Parse *ps = user_data;
  if (e->code == XML_ERR_USER_STOP || ps->im->doctype)
    return;
  if (e->domain == XML_FROM_IO || e->code == XML_ERR_INVALID_CHAR
      || e->code == XML_ERR_INVALID_ENCODING || e->domain == XML_FROM_I18N)
    ps->encoding_error = TRUE;
  g_autofree char *msg = psimp_xml_message (e->message, BPMN_NS);
  /* A namespace problem leaves the document well formed; what it breaks
   * (an element outside the BPMN namespace) is reported by the import. */
  gboolean warning = e->level == XML_ERR_WARNING || e->domain == XML_FROM_NAMESPACE;
  psimp_bpmn_diag (ps->im, warning ? PSIM_SEVERITY_WARNING : PSIM_SEVERITY_ERROR,
                   psimp_xml_error_line (e), "%s", msg);
}

static void
on_parse_error (void *user_data, xmlErrorPtr e)
{
  xmlParserCtxtPtr ctxt = e->ctxt;
  if (ctxt != NULL && ctxt->_private != NULL)
    on_error (ctxt->_private, e);
}

static void
on_internal_subset (void *user_data, const xmlChar *name, const xmlChar *external_id,
                    const xmlChar *system_id)
{
  xmlParserCtxtPtr ctxt = user_data;
  Parse *ps = ctxt->_private;
  psimp_xml_refuse_doctype (ctxt, ps->im->diags, ps->im->file,
                            psim_gettext (ps->im->lang, "<!DOCTYPE> is not allowed in a BPMN file (DTDs and entities are refused for safety)"));
  ps->im->doctype = TRUE;
}

/* Parses @data into a tree; @encoding forces one (the declared one is then
 * ignored). */
xmlDoc *
psimp_bpmn_parse (Import *im, const char *data, gsize size, const char *encoding, gboolean *encoding_error)
{
  /* As the loader, plus line numbers past 65,535 and no text nodes of
   * white space alone. */
  int options = XML_PARSE_BIG_LINES | XML_PARSE_NOBLANKS | XML_PARSE_COMPACT;
  if (encoding != NULL)
    options |= XML_PARSE_IGNORE_ENC;
  g_autoptr (xmlParserCtxt) ctxt = psimp_xml_parser_new (data, size, im->file, options);
  if (ctxt == NULL)
    {
      error_at (im, 0, psim_gettext (im->lang, "out of memory"));
      return NULL;
    }
  Parse ps = { .im = im };
  ctxt->_private = &ps;
  ctxt->sax->internalSubset = on_internal_subset;
  ctxt->sax->serror = on_parse_error;
  ctxt->sax->startElementNs = on_start_element;
  ctxt->sax->endElementNs = on_end_element;
  ctxt->sax->characters = on_characters;
  ctxt->sax->cdataBlock = on_cdata;
  ctxt->sax->comment = on_comment;
  ctxt->sax->processingInstruction = NULL;
  if (encoding != NULL)
    {
      xmlCharEncodingHandlerPtr h = xmlFindCharEncodingHandler (encoding);
      if (h != NULL)
        xmlSwitchToEncoding (ctxt, h);
    }
  PsimpXmlGlobalErrors saved;
  psimp_xml_catch_global_errors (&saved, on_error, &ps);
  xmlParseDocument (ctxt);
  psimp_xml_release_global_errors (&saved);
  *encoding_error = ps.encoding_error;
  xmlDoc *doc = ctxt->myDoc;
  ctxt->myDoc = NULL;
  if (!ctxt->wellFormed || im->doctype)
    {
      xmlFreeDoc (doc);
      if (psim_diagnostics_count_errors (im->diags) == 0)
        error_at (im, 0, psim_gettext (im->lang, "not well-formed XML"));
      return NULL;
    }
  return doc;
}

/* The declared encoding of @data, if any. (transfer full) */
char *
psimp_bpmn_declared_encoding (const char *data, gsize size)
{
  if (size < 6 || strncmp (data, "<?xml", 5) != 0)
    return NULL;
  const char *end = memchr (data, '>', MIN (size, 256));
  if (end == NULL)
    return NULL;
  g_autofree char *decl = g_strndup (data, end - data);
  const char *e = strstr (decl, "encoding");
  if (e == NULL)
    return NULL;
  e = strpbrk (e, "\"'");
  if (e == NULL)
    return NULL;
  const char *close = strchr (e + 1, *e);
  return close != NULL ? g_strndup (e + 1, close - e - 1) : NULL;
}
