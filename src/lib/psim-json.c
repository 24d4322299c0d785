/* psim-json.c — JSON from outside, depth-limited (see psim-json.h). */
#include "psim-private.h"

#include <math.h>
#include <procsim/psim-json.h>
#include <string.h>

G_DEFINE_QUARK (psim-json-error-quark, psim_json_error)

/* The line of the first bracket past @max levels, or 0 if none: '[' and
 * '{' open, ']' and '}' close, strings (with their escapes) skipped. Work
 * linear in the input, no allocation. Malformed text is json-glib's to
 * report; this only measures. */
static guint
too_deep_at (const char *data, gsize size, guint max)
{
  guint depth = 0, line = 1;
  gboolean in_string = FALSE;
  for (gsize i = 0; i < size; i++)
    {
      char c = data[i];
      if (c == '\n')
        line++;
      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > max)
            return line;
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }
  return 0;
}

JsonNode *
psim_json_parse (const char *data, gssize size, const char *name, const char *lang,
                 GError **error)
{
  g_return_val_if_fail (data != NULL && name != NULL, NULL);
  gsize len = size < 0 ? strlen (data) : (gsize) size;
  guint line = too_deep_at (data, len, PSIM_JSON_MAX_DEPTH);
  if (line > 0)
    {
      g_set_error (error, PSIM_JSON_ERROR, PSIM_JSON_ERROR_DEPTH,
                   psim_gettext (lang, "%s:%u: nested deeper than %u levels"), name, line, PSIM_JSON_MAX_DEPTH);
      return NULL;
    }
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) local = NULL;
  if (!json_parser_load_from_data (parser, data, (gssize) len, &local))
    {
      /* json-glib names parsed memory "<data>": name the input instead. */
      const char *msg = local->message;
      if (g_str_has_prefix (msg, "<data>:"))
        msg += strlen ("<data>");
      g_set_error (error, PSIM_JSON_ERROR, PSIM_JSON_ERROR_PARSE, "%s%s%s", name,
                   *msg == ':' ? "" : ": ", msg);
      return NULL;
    }
  JsonNode *root = json_parser_steal_root (parser);
  if (root == NULL)
    {
      g_set_error (error, PSIM_JSON_ERROR, PSIM_JSON_ERROR_PARSE, psim_gettext (lang, "%s: empty"), name);
      return NULL;
    }
  return root;
}

void
psim_json_add_double (JsonBuilder *b, double v)
{
  g_return_if_fail (b != NULL);
  if (!isfinite (v))
    {
      json_builder_add_null_value (b);
      return;
    }
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  /* What json-glib's generator does with the value, to see whether it
   * would append ".0" to an exponent. */
  g_ascii_dtostr (buf, sizeof buf, v);
  if (strchr (buf, '.') != NULL || strchr (buf, 'e') == NULL)
    json_builder_add_double_value (b, v);
  else if (fabs (v) < 9223372036854775808.0)
    json_builder_add_int_value (b, (gint64) v);
  else
    {
      /* One step towards zero leaves a mantissa with digits after the
       * point, and no integer type holds the value anyway. */
      double near = nextafter (v, 0);
      json_builder_add_double_value (b, near);
    }
}
