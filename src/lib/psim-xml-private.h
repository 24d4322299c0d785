/* psim-xml-private.h — reading untrusted XML safely, and libxml2's messages
 * as diagnostics (psim-xml-read.c). Shared by the library's XML readers
 * (procedures, scenarios, BPMN) and by nothing else.
 */
#pragma once

#include "psim-private.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>

G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlDoc, xmlFreeDoc)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlParserCtxt, xmlFreeParserCtxt)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlSchemaParserCtxt, xmlSchemaFreeParserCtxt)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlSchemaValidCtxt, xmlSchemaFreeValidCtxt)

/* The options every reader parses with; a reader may add its own
 * (XML_PARSE_BIG_LINES, XML_PARSE_NOBLANKS…) but never XML_PARSE_NOENT,
 * XML_PARSE_DTDLOAD, XML_PARSE_DTDATTR, XML_PARSE_XINCLUDE or
 * XML_PARSE_HUGE: see psim-xml-read.c. */
#define PSIMP_XML_SAFE_OPTIONS XML_PARSE_NONET

/* A parser of @size bytes of @data (at most PSIM_LOAD_MAX_FILE_SIZE, checked
 * by the caller), named @file in libxml2's own records, with
 * PSIMP_XML_SAFE_OPTIONS | @options. Its SAX handler is libxml2's default
 * (the tree builder) for the caller to change. (transfer full) NULL when
 * out of memory. */
xmlParserCtxt *psimp_xml_parser_new (const char *data, gsize size, const char *file, int options);

/* The thread's global libxml2 error handler, as it was before a reader
 * took it over. */
typedef struct {
  xmlStructuredErrorFunc handler;
  void *data;
} PsimpXmlGlobalErrors;

/* Sends libxml2's global messages (encoding and I/O failures, which have
 * no parser context and would otherwise be printed) to @handler with
 * @data, keeping the previous handler in @saved; give it back with
 * psimp_xml_release_global_errors () once the parse is over. */
void psimp_xml_catch_global_errors (PsimpXmlGlobalErrors *saved, xmlStructuredErrorFunc handler,
                                    void *data);
void psimp_xml_release_global_errors (const PsimpXmlGlobalErrors *saved);

/* A libxml2 message as one diagnostic line: trailing newline dropped, a
 * continuation line joined, elements of namespace @ns named without it.
 * (transfer full) */
char *psimp_xml_message (const char *msg, const char *ns);
/* The severity and the line (0: unknown) of a libxml2 error. */
PsimSeverity psimp_xml_error_severity (const xmlError *e);
guint psimp_xml_error_line (const xmlError *e);
/* Adds @e to @diags as a finding about @file, at its line, its message
 * cleaned by psimp_xml_message (). */
void psimp_xml_diag_add (GPtrArray *diags, const char *file, const xmlError *e, const char *ns);

/* For a reader's SAX internalSubset callback: reports the DOCTYPE of
 * @ctxt's document with @message at its line and stops the parser, before
 * the internal subset (where entities are declared) is read. */
void psimp_xml_refuse_doctype (xmlParserCtxt *ctxt, GPtrArray *diags, const char *file,
                               const char *message);

/* Compiles the embedded schema @data (named @name in messages), every
 * libxml2 message caught (none may reach stderr). (transfer full) NULL,
 * with the first message in @first (transfer full), when it does not
 * compile. */
xmlSchema *psimp_xml_schema_compile (const char *data, gsize size, const char *name, char **first);
