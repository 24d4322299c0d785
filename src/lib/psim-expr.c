/* psim-expr.c — case-data expressions: XPath 1.0, compiled and evaluated by
 * libxml2, with each case-data parameter bound as a variable ($price).
 *
 * XPath is BPMN's default expression language, so formulas written here
 * carry over to BPMN tools. Expressions are evaluated against an empty
 * one-element document: they compute over variables, never over the
 * procedure file. Errors are captured through the context's structured
 * error hook and never reach stderr.
 */
#include "psim-private.h"

#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <math.h>
#include <string.h>

struct _PsimExprContext {
  xmlDocPtr doc;
  xmlXPathContextPtr xpath;
  GString *last_error;
  const char *lang; /* of the messages: psim_lang_normalize ()'s, static */
};

struct _PsimExpr {
  int ref_count;
  char *source;
  xmlXPathCompExprPtr comp;
  char **variables;
};

/* libxml2 2.9 hands the context's error hook an error with its code and
 * the offset in the expression, but no message: these are ours. */
static const char *
xpath_error_text (int code, const char *lang)
{
  switch (code)
    {
    case XML_XPATH_NUMBER_ERROR: return psim_gettext (lang, "malformed number");
    case XML_XPATH_UNFINISHED_LITERAL_ERROR:
      return psim_gettext (lang, "string literal not closed");
    case XML_XPATH_START_LITERAL_ERROR: return psim_gettext (lang, "string literal expected");
    case XML_XPATH_VARIABLE_REF_ERROR: return psim_gettext (lang, "malformed variable reference");
    case XML_XPATH_UNDEF_VARIABLE_ERROR: return psim_gettext (lang, "undefined variable");
    case XML_XPATH_INVALID_PREDICATE_ERROR: return psim_gettext (lang, "invalid predicate");
    case XML_XPATH_EXPR_ERROR: return psim_gettext (lang, "invalid expression");
    case XML_XPATH_UNCLOSED_ERROR: return psim_gettext (lang, "missing ) or ]");
    case XML_XPATH_UNKNOWN_FUNC_ERROR: return psim_gettext (lang, "unknown function");
    case XML_XPATH_INVALID_OPERAND: return psim_gettext (lang, "invalid operand");
    case XML_XPATH_INVALID_TYPE: return psim_gettext (lang, "wrong type of value");
    case XML_XPATH_INVALID_ARITY:
      return psim_gettext (lang, "wrong number of arguments to a function");
    case XML_XPATH_MEMORY_ERROR: return psim_gettext (lang, "out of memory");
    case XML_XPATH_INVALID_CHAR_ERROR: return psim_gettext (lang, "invalid character");
    default: return psim_gettext (lang, "invalid expression");
    }
}

static void
on_xpath_error (void *user_data, xmlErrorPtr error)
{
  PsimExprContext *ctx = user_data;
  if (ctx->last_error->len > 0 || error == NULL)
    return; /* keep the first, most specific message */
  g_string_assign (ctx->last_error, xpath_error_text (error->code, ctx->lang));
  if (error->code != XML_XPATH_UNKNOWN_FUNC_ERROR && error->code != XML_XPATH_UNDEF_VARIABLE_ERROR
      && error->int1 > 0)
    g_string_append_printf (ctx->last_error, psim_gettext (ctx->lang, " at character %d"),
                            error->int1 + 1);
}

/* A few XPath paths in libxml2 2.9 report through the thread's generic
 * error channel (stderr by default) instead of the context hook. Around
 * our calls, that channel feeds the context's message instead; the
 * previous handler is put back afterwards. */
static void G_GNUC_PRINTF (2, 3)
on_generic_error (void *user_data, const char *format, ...)
{
  PsimExprContext *ctx = user_data;
  if (ctx->last_error->len > 0)
    return;
  va_list ap;
  va_start (ap, format);
  g_autofree char *msg = g_strdup_vprintf (format, ap);
  va_end (ap);
  g_string_assign (ctx->last_error, g_strstrip (msg));
}

typedef struct {
  xmlGenericErrorFunc func;
  void *data;
} GenericChannel;

static GenericChannel
capture_generic (PsimExprContext *ctx)
{
  GenericChannel saved = { xmlGenericError, xmlGenericErrorContext };
  xmlSetGenericErrorFunc (ctx, on_generic_error);
  return saved;
}

static void
restore_generic (GenericChannel saved)
{
  xmlSetGenericErrorFunc (saved.data, saved.func);
}

/* The functions of XPath 1.0's core library, the only ones an expression
 * may call: libxml2 accepts any name at compile time and fails only when
 * the call runs, so check the names here. */
static const char *const core_functions[] = {
  "last", "position", "count", "id", "local-name", "namespace-uri", "name", "string",
  "concat", "starts-with", "contains", "substring-before", "substring-after", "substring",
  "string-length", "normalize-space", "translate", "boolean", "not", "true", "false",
  "lang", "number", "sum", "floor", "ceiling", "round",
  /* node tests, which look like calls */
  "node", "text", "comment", "processing-instruction",
  /* operators, when written before a parenthesis: "$a and ($b)" */
  "and", "or", "div", "mod",
};

static gboolean
is_core_function (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (core_functions); i++)
    if (strcmp (name, core_functions[i]) == 0)
      return TRUE;
  return FALSE;
}

PsimExprContext *
psim_expr_context_new (void)
{
  PsimExprContext *ctx = g_new0 (PsimExprContext, 1);
  ctx->doc = xmlNewDoc (BAD_CAST "1.0");
  xmlNodePtr root = xmlNewDocNode (ctx->doc, NULL, BAD_CAST "case", NULL);
  xmlDocSetRootElement (ctx->doc, root);
  ctx->xpath = xmlXPathNewContext (ctx->doc);
  ctx->xpath->node = root;
  ctx->xpath->error = on_xpath_error;
  ctx->xpath->userData = ctx;
  ctx->last_error = g_string_new (NULL);
  ctx->lang = psim_lang_normalize (NULL);
  return ctx;
}

void
psim_expr_context_set_language (PsimExprContext *ctx, const char *lang)
{
  ctx->lang = psim_lang_normalize (lang);
}

void
psim_expr_context_free (PsimExprContext *ctx)
{
  if (ctx == NULL)
    return;
  xmlXPathFreeContext (ctx->xpath);
  xmlFreeDoc (ctx->doc);
  g_string_free (ctx->last_error, TRUE);
  g_free (ctx);
}

static gboolean
is_name_char (char c)
{
  /* XPath NCName characters, ASCII subset: what the lexer reads after '$'.
   * Non-ASCII bytes count too, so "$giá" is read as one (unknown) name. */
  return g_ascii_isalnum (c) || c == '_' || c == '-' || c == '.' || (guchar) c >= 0x80;
}

/* XPath's operator names, which are names but neither paths nor calls. */
static gboolean
is_operator_name (const char *name)
{
  return strcmp (name, "and") == 0 || strcmp (name, "or") == 0 || strcmp (name, "div") == 0
         || strcmp (name, "mod") == 0;
}

/* The variables an XPath expression names, in *@unknown_function the
 * first name called that is not a core function, and in *@bare_name the
 * first name that is neither called nor an operator: a location path,
 * which on procsim's empty case document is always the empty node-set
 * ("$on_time = true" compares with the children named "true", of which
 * there are none, so it holds exactly when $on_time is false). XPath 1.0
 * has '$' only in variable references outside string literals, and a name
 * before '(' is a function call, a node test or an operator, so a scan
 * that skips literals finds them without parsing the grammar. */
static char **
scan_names (const char *s, char **unknown_function, char **bare_name)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new ();
  for (const char *p = s; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\'')
        {
          const char *close = strchr (p + 1, *p);
          if (close == NULL)
            break;
          p = close;
          continue;
        }
      if (g_ascii_isalpha (*p) || *p == '_')
        {
          const char *end = p;
          while (*end != '\0' && is_name_char (*end))
            end++;
          const char *after = end;
          while (g_ascii_isspace (*after))
            after++;
          g_autofree char *name = g_strndup (p, end - p);
          if (*after == '(')
            {
              if (unknown_function != NULL && *unknown_function == NULL
                  && !is_core_function (name))
                *unknown_function = g_steal_pointer (&name);
            }
          else if (bare_name != NULL && *bare_name == NULL && !is_operator_name (name)
                   && !(p > s && (p[-1] == '$' || g_ascii_isdigit (p[-1]))))
            *bare_name = g_steal_pointer (&name);
          p = end - 1;
          continue;
        }
      if (*p != '$')
        continue;
      const char *start = p + 1;
      const char *end = start;
      while (*end != '\0' && is_name_char (*end))
        end++;
      g_autofree char *name = g_strndup (start, end - start);
      gboolean seen = FALSE;
      for (guint i = 0; i < names->len && !seen; i++)
        seen = strcmp (g_ptr_array_index (names, i), name) == 0;
      if (!seen && name[0] != '\0')
        g_ptr_array_add (names, g_steal_pointer (&name));
      p = end - 1;
    }
  g_ptr_array_add (names, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

PsimExpr *
psim_expr_compile (PsimExprContext *ctx, const char *source, char **message)
{
  g_return_val_if_fail (ctx != NULL && source != NULL, NULL);
  g_string_truncate (ctx->last_error, 0);
  GenericChannel saved = capture_generic (ctx);
  xmlXPathCompExprPtr comp = xmlXPathCtxtCompile (ctx->xpath, BAD_CAST source);
  restore_generic (saved);
  if (comp == NULL)
    {
      if (message != NULL)
        *message
            = g_strdup (ctx->last_error->len > 0 ? ctx->last_error->str
                                                 : psim_gettext (ctx->lang, "invalid expression"));
      return NULL;
    }
  g_autofree char *unknown = NULL;
  g_autofree char *bare = NULL;
  char **variables = scan_names (source, &unknown, &bare);
  if (unknown == NULL && bare != NULL)
    {
      xmlXPathFreeCompExpr (comp);
      g_strfreev (variables);
      if (message != NULL)
        *message
            = strcmp (bare, "true") == 0 || strcmp (bare, "false") == 0
                  ? g_strdup_printf (
                        psim_gettext (ctx->lang,
                                      "'%s' is an XPath path to an element, not the boolean, so "
                                      "the comparison is always wrong; write $x instead of "
                                      "$x = true, not($x) instead of $x = false, or %s() for "
                                      "the value"),
                        bare, bare)
                  : g_strdup_printf (psim_gettext (ctx->lang,
                                                   "'%s' is an XPath path to an element, never "
                                                   "a value; write '%s' in quotes for a text, "
                                                   "or $%s for case data"),
                                     bare, bare, bare);
      return NULL;
    }
  if (unknown != NULL)
    {
      xmlXPathFreeCompExpr (comp);
      g_strfreev (variables);
      if (message != NULL)
        *message = g_strdup_printf (psim_gettext (ctx->lang,
                                                  "unknown function '%s' (XPath 1.0 has no %s(); "
                                                  "see docs/format.md)"),
                                    unknown, unknown);
      return NULL;
    }
  PsimExpr *expr = g_new0 (PsimExpr, 1);
  expr->ref_count = 1;
  expr->source = g_strdup (source);
  expr->comp = comp;
  expr->variables = variables;
  return expr;
}

PsimExpr *
psim_expr_ref (PsimExpr *expr)
{
  expr->ref_count++;
  return expr;
}

void
psim_expr_free (PsimExpr *expr)
{
  if (expr == NULL || --expr->ref_count > 0)
    return;
  xmlXPathFreeCompExpr (expr->comp);
  g_strfreev (expr->variables);
  g_free (expr->source);
  g_free (expr);
}

const char *
psim_expr_get_source (const PsimExpr *expr)
{
  return expr->source;
}

const char *const *
psim_expr_get_variables (const PsimExpr *expr)
{
  return (const char *const *) expr->variables;
}

static void
set_variable (PsimExprContext *ctx, const char *name, xmlXPathObjectPtr value)
{
  /* The context takes ownership of @value and frees any previous one. */
  xmlXPathRegisterVariable (ctx->xpath, BAD_CAST name, value);
}

void
psim_expr_context_set_number (PsimExprContext *ctx, const char *name, double value)
{
  set_variable (ctx, name, xmlXPathNewFloat (value));
}

void
psim_expr_context_set_boolean (PsimExprContext *ctx, const char *name, gboolean value)
{
  set_variable (ctx, name, xmlXPathNewBoolean (value));
}

void
psim_expr_context_set_string (PsimExprContext *ctx, const char *name, const char *value)
{
  set_variable (ctx, name, xmlXPathNewString (BAD_CAST value));
}

static xmlXPathObjectPtr
eval (PsimExprContext *ctx, const PsimExpr *expr, char **message)
{
  g_string_truncate (ctx->last_error, 0);
  ctx->xpath->node = xmlDocGetRootElement (ctx->doc);
  GenericChannel saved = capture_generic (ctx);
  xmlXPathObjectPtr res = xmlXPathCompiledEval (expr->comp, ctx->xpath);
  restore_generic (saved);
  if (res == NULL && message != NULL)
    *message = g_strdup (ctx->last_error->len > 0 ? ctx->last_error->str
                                                  : psim_gettext (ctx->lang, "evaluation failed"));
  return res;
}

gboolean
psim_expr_eval_number (PsimExprContext *ctx, const PsimExpr *expr, double *out, char **message)
{
  xmlXPathObjectPtr res = eval (ctx, expr, message);
  if (res == NULL)
    return FALSE;
  *out = xmlXPathCastToNumber (res);
  xmlXPathFreeObject (res);
  return TRUE;
}

gboolean
psim_expr_eval_boolean (PsimExprContext *ctx, const PsimExpr *expr, gboolean *out, char **message)
{
  xmlXPathObjectPtr res = eval (ctx, expr, message);
  if (res == NULL)
    return FALSE;
  *out = xmlXPathCastToBoolean (res) != 0;
  xmlXPathFreeObject (res);
  return TRUE;
}
