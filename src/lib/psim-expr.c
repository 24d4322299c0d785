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
};

struct _PsimExpr {
  char *source;
  xmlXPathCompExprPtr comp;
  char **variables;
};

static void
on_xpath_error (void *user_data, xmlErrorPtr error)
{
  PsimExprContext *ctx = user_data;
  if (ctx->last_error->len > 0 || error == NULL || error->message == NULL)
    return; /* keep the first, most specific message */
  g_string_assign (ctx->last_error, error->message);
  g_strchomp (ctx->last_error->str);
  ctx->last_error->len = strlen (ctx->last_error->str);
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
  return ctx;
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

/* The variables an XPath expression names. XPath 1.0 has '$' only in
 * variable references outside string literals, so a scan that skips
 * literals finds all of them without parsing the grammar. */
static char **
scan_variables (const char *s)
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
  xmlXPathCompExprPtr comp = xmlXPathCtxtCompile (ctx->xpath, BAD_CAST source);
  if (comp == NULL)
    {
      if (message != NULL)
        *message = g_strdup (ctx->last_error->len > 0 ? ctx->last_error->str
                                                      : "invalid expression");
      return NULL;
    }
  PsimExpr *expr = g_new0 (PsimExpr, 1);
  expr->source = g_strdup (source);
  expr->comp = comp;
  expr->variables = scan_variables (source);
  return expr;
}

void
psim_expr_free (PsimExpr *expr)
{
  if (expr == NULL)
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
  xmlXPathObjectPtr res = xmlXPathCompiledEval (expr->comp, ctx->xpath);
  if (res == NULL && message != NULL)
    *message = g_strdup (ctx->last_error->len > 0 ? ctx->last_error->str
                                                  : "evaluation failed");
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
