/* psim-xml-scan.c — a linear look at XML bytes before libxml2 parses them.
 *
 * libxml2 2.9 compares each attribute of an element with every attribute
 * before it (for duplicates): one element with 200,000 attributes took
 * 30 s to parse. No element of a procedure, a scenario or a BPMN file
 * needs more than a few dozen, so a start tag with more than
 * PSIM_XML_MAX_ATTRIBUTES is refused before libxml2 sees it. The scan
 * counts the '=' of each start tag outside quoted values, stepping over
 * comments, CDATA sections, processing instructions, declarations and end
 * tags; a file that is not well formed is left to libxml2 to report.
 */
#include "psim-private.h"

#include <string.h>

/* Steps past @end, counting lines; @p points after the opening. Returns
 * the position after @end, or @limit. */
static const char *
skip_past (const char *p, const char *limit, const char *end, guint *line)
{
  gsize n = strlen (end);
  for (; p < limit; p++)
    {
      if ((gsize) (limit - p) >= n && memcmp (p, end, n) == 0)
        return p + n;
      if (*p == '\n')
        (*line)++;
    }
  return limit;
}

static gboolean
starts (const char *p, const char *limit, const char *prefix)
{
  gsize n = strlen (prefix);
  return (gsize) (limit - p) >= n && memcmp (p, prefix, n) == 0;
}

gboolean
psim_xml_check_attributes (const char *data, gsize size, guint *line)
{
  const char *p = data, *limit = data + size;
  guint l = 1;
  while (p < limit)
    {
      if (*p == '\n')
        l++;
      if (*p != '<')
        {
          p++;
          continue;
        }
      if (starts (p, limit, "<!--"))
        p = skip_past (p + 4, limit, "-->", &l);
      else if (starts (p, limit, "<![CDATA["))
        p = skip_past (p + 9, limit, "]]>", &l);
      else if (starts (p, limit, "<?"))
        p = skip_past (p + 2, limit, "?>", &l);
      else if (starts (p, limit, "<!") || starts (p, limit, "</"))
        p = skip_past (p + 2, limit, ">", &l);
      else
        {
          guint tag_line = l, attributes = 0;
          char quote = 0;
          for (p++; p < limit; p++)
            {
              if (*p == '\n')
                l++;
              if (quote != 0)
                {
                  if (*p == quote)
                    quote = 0;
                }
              else if (*p == '"' || *p == '\'')
                quote = *p;
              else if (*p == '=')
                {
                  if (++attributes > PSIM_XML_MAX_ATTRIBUTES)
                    {
                      *line = tag_line;
                      return FALSE;
                    }
                }
              else if (*p == '>')
                break;
            }
          p++;
        }
    }
  return TRUE;
}
