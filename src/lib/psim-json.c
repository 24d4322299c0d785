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

char *
psim_json_to_text (JsonBuilder *b)
{
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  g_autofree char *text = json_generator_to_data (gen, NULL);
  return g_strconcat (text, "\n", NULL);
}
