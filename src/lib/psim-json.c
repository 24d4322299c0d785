/* psim-json.c — JSON in and out. In: text procsim did not write itself,
 * depth-limited (see psim-json.h). Out: the helpers every writer of the
 * library uses (psim-json-private.h), with one number policy — whole
 * numbers as integers, other doubles as valid JSON numbers, NaN as null.
 */
#include "psim-json-private.h"
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

/* ---- writing ---------------------------------------------------------------- */

void
psimp_json_add_string (JsonBuilder *b, const char *member, const char *value)
{
  json_builder_set_member_name (b, member);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

void
psimp_json_add_number (JsonBuilder *b, const char *member, double v)
{
  json_builder_set_member_name (b, member);
  if (v == floor (v) && fabs (v) < 9e15)
    json_builder_add_int_value (b, (gint64) v);
  else
    psim_json_add_double (b, v);
}

void
psimp_json_add_case (JsonBuilder *b, const PsimCase *pcase)
{
  const PsimProcedure *proc = psim_case_get_procedure (pcase);
  json_builder_set_member_name (b, "case");
  json_builder_begin_object (b);
  for (guint i = 0; i < psim_procedure_get_n_params (proc); i++)
    {
      const PsimParam *p = psim_procedure_get_param (proc, i);
      const char *v = psim_case_get (pcase, psim_param_get_id (p));
      switch (psim_param_get_param_type (p))
        {
        case PSIM_PARAM_NUMBER:
          psimp_json_add_number (b, psim_param_get_id (p), g_ascii_strtod (v, NULL));
          break;
        case PSIM_PARAM_BOOLEAN:
          json_builder_set_member_name (b, psim_param_get_id (p));
          json_builder_add_boolean_value (b, strcmp (v, "true") == 0);
          break;
        default:
          psimp_json_add_string (b, psim_param_get_id (p), v);
          break;
        }
    }
  json_builder_end_object (b);
}

/* The shortest text of the number token @tok[0..@n) that reads back as the
 * same double, appended to @out; a token that had a fraction keeps one
 * (".0") so that a reader still sees a real number. */
static void
append_shortest (GString *out, const char *tok, gsize n)
{
  g_autofree char *orig = g_strndup (tok, n);
  double v = g_ascii_strtod (orig, NULL);
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  for (int digits = 1; digits <= 17; digits++)
    {
      char fmt[8];
      g_snprintf (fmt, sizeof fmt, "%%.%dg", digits);
      g_ascii_formatd (buf, sizeof buf, fmt, v);
      if (g_ascii_strtod (buf, NULL) == v)
        break;
    }
  if (strlen (buf) >= n)
    {
      g_string_append (out, orig);
      return;
    }
  g_string_append (out, buf);
  if (strpbrk (buf, ".eE") == NULL)
    g_string_append (out, ".0");
}

char *
psim_json_node_to_text (JsonNode *root, gboolean pretty, gsize *length)
{
  g_return_val_if_fail (root != NULL, NULL);
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, pretty);
  g_autofree char *text = json_generator_to_data (gen, NULL);
  /* Outside strings, a token that starts with '-' or a digit is a number;
   * only those with a fraction or an exponent can be too long. */
  GString *out = g_string_sized_new (strlen (text));
  const char *p = text;
  while (*p != '\0')
    {
      if (*p == '"')
        {
          const char *q = p + 1;
          while (*q != '\0' && *q != '"')
            q += (*q == '\\' && q[1] != '\0') ? 2 : 1;
          if (*q == '"')
            q++;
          g_string_append_len (out, p, q - p);
          p = q;
        }
      else if (*p == '-' || g_ascii_isdigit (*p))
        {
          gsize n = strspn (p, "-+.eE0123456789");
          if (memchr (p, '.', n) != NULL || memchr (p, 'e', n) != NULL || memchr (p, 'E', n) != NULL)
            append_shortest (out, p, n);
          else
            g_string_append_len (out, p, n);
          p += n;
        }
      else
        g_string_append_c (out, *p++);
    }
  if (length != NULL)
    *length = out->len;
  return g_string_free (out, FALSE);
}

char *
psim_json_to_text (JsonBuilder *b)
{
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  g_autofree char *text = psim_json_node_to_text (root, TRUE, NULL);
  return g_strconcat (text, "\n", NULL);
}
