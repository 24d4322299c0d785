/* psim-xml-write.c — numbers written into XML files.
 *
 * The procedure files that the BPMN import writes and the BPMN files that
 * the export writes carry numbers as xs:decimal: a plain decimal, never an
 * exponent, the same bytes on every machine. Both writers take that form
 * from here, so that neither depends on the other.
 */
#include "psim-private.h"

#include <string.h>

void
psimp_xml_append_decimal_attr (GString *s, const char *attr, double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_ascii_formatd (buf, sizeof buf, "%.7f", v);
  char *p = buf + strlen (buf) - 1;
  while (p > buf && *p == '0')
    *p-- = '\0';
  if (*p == '.')
    *p = '\0';
  g_string_append_printf (s, " %s=\"%s\"", attr, buf);
}
