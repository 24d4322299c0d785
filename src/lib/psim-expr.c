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

/* One instruction of an expression's plain program (see plain_compile). */
/* The type of a value of a plain program: known when compiled, except a
 * variable's, which its binding gives. */
enum { PLAIN_NUMBER, PLAIN_BOOLEAN, PLAIN_VARIABLE };

typedef struct {
  guint8 code;
  guint8 var;          /* OP_VAR: index in variables */
  guint8 type[2];      /* OP_EQ, OP_NE: of each operand, PLAIN_* */
  guint8 type_var[2];  /* ... its variable when PLAIN_VARIABLE */
  guint8 var2;         /* OP_VAR_K_AND: the second comparison's variable */
  guint8 cmp[2];       /* ... the two comparisons, OP_VAR_LT_K … OP_VAR_GE_K;
                          OP_AFFINE: its first operation, OP_VAR_*_K */
  double value;        /* OP_NUMBER */
  double value2;       /* OP_VAR_K_AND: the second comparison's constant;
                          OP_AFFINE: the factor */
  double value3;       /* OP_AFFINE: the term added */
} PlainOp;

struct _PsimExpr {
  int ref_count;
  char *source;
  xmlXPathCompExprPtr comp;
  char **variables;
  PlainOp *plain; /* NULL: only libxml2 evaluates it */
  guint n_plain;
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

/* ---- plain programs --------------------------------------------------------
 *
 * Most formulas of the format compute over numbers and booleans only
 * ("$price * 0.02", "($price > 1e9 and $price <= 3e9) * …", "not($first)").
 * The simulation evaluates them for every case, millions of times, which
 * libxml2's general evaluator (an object allocated per value, variables
 * looked up by name) makes the slowest part of a run. So an expression in
 * that subset is also compiled here into a small postfix program that gives
 * bit for bit what libxml2 2.9's evaluation gives:
 *   - XPath 1.0's grammar, precedence and left-to-right grouping (or, and,
 *     = !=, < <= > >=, + -, * div mod, unary -), with blanks where libxml2
 *     skips them; an operator name counts only when no name character
 *     follows it, so anything libxml2 might read otherwise is refused;
 *   - a number literal has the value libxml2's own lexer gives it (which
 *     does not always round as strtod does): libxml2 is asked, once;
 *   - libxml2's conversions: a boolean is 1 or 0 as a number; a number is
 *     true unless 0 or NaN; '=' and '!=' compare as booleans when either
 *     side is one, else as numbers (NaN equals nothing); relations compare
 *     numbers; x mod 0 is libxml2's NaN, else fmod (x, y).
 * Anything else (strings, paths, other functions, prefixed or non-ASCII
 * names) leaves the expression without a program, and psim_expr_eval_*()
 * stay the only evaluation. tests/test-expr.c compares the two on many
 * random expressions and values.
 */
enum {
  /* push one value */
  OP_NUMBER, OP_VAR, OP_TRUE, OP_FALSE,
  /* replace the top value */
  OP_TO_NUMBER, OP_NEG, OP_TO_BOOLEAN, OP_NOT,
  /* replace the top two values by one */
  OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD,
  OP_LT, OP_LE, OP_GT, OP_GE, OP_EQ, OP_NE, OP_AND, OP_OR,
  /* replace the top value by it combined with the op's constant (a number
   * pushed just before the operator, folded in by plain_fold ()) */
  OP_ADD_K, OP_SUB_K, OP_MUL_K, OP_DIV_K, OP_MOD_K, OP_LT_K, OP_LE_K, OP_GT_K, OP_GE_K,
  /* push a variable combined with the op's constant (OP_VAR then one of
   * the above, folded) */
  OP_VAR_ADD_K, OP_VAR_SUB_K, OP_VAR_MUL_K, OP_VAR_DIV_K, OP_VAR_MOD_K, OP_VAR_LT_K,
  OP_VAR_LE_K, OP_VAR_GT_K, OP_VAR_GE_K,
  /* fused by plain_fuse (): push "$a < k and $b >= k2" (two OP_VAR_*_K
   * comparisons and OP_AND); replace the top three values a, b, c by
   * a + b × c (OP_MUL then OP_ADD), the top two a, b by a + b × k (OP_MUL_K
   * then OP_ADD); push c + ($a − k) × m (OP_NUMBER c, OP_VAR_SUB_K k or
   * another arithmetic OP_VAR_*_K, then OP_MUL_K_ADD m) */
  OP_VAR_K_AND, OP_MUL_ADD, OP_MUL_K_ADD, OP_AFFINE,
};

#define PLAIN_MAX_DEPTH 64 /* nested parentheses and calls followed */
#define PLAIN_MAX_STACK 64

typedef struct {
  const char *p;
  GArray *ops; /* PlainOp */
  char **variables;
  xmlXPathContextPtr xpath;
  guint depth;
  int stack, max_stack;
  guint8 types[PLAIN_MAX_STACK + 1][2]; /* of the values on the stack: PLAIN_*, variable */
  gboolean ok;
} Plain;

static void plain_or (Plain *c);

static gboolean
is_blank (char ch)
{
  return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

static void
skip_blanks (Plain *c)
{
  while (is_blank (*c->p))
    c->p++;
}

static void
emit (Plain *c, guint8 code, guint8 var, double value)
{
  PlainOp op = { .code = code, .var = var, .value = value };
  if ((code == OP_EQ || code == OP_NE) && c->stack >= 2)
    for (int k = 0; k < 2; k++)
      {
        op.type[k] = c->types[c->stack - 2 + k][0];
        op.type_var[k] = c->types[c->stack - 2 + k][1];
      }
  g_array_append_val (c->ops, op);
  if (code <= OP_FALSE)
    c->stack++;
  else if (code >= OP_ADD)
    c->stack--;
  c->max_stack = MAX (c->max_stack, c->stack);
  if (c->max_stack > PLAIN_MAX_STACK || c->stack < 1)
    {
      c->ok = FALSE;
      return;
    }
  /* The type of the value now on top. */
  guint8 *top = c->types[c->stack - 1];
  top[1] = 0;
  if (code == OP_VAR)
    {
      top[0] = PLAIN_VARIABLE;
      top[1] = var;
    }
  else if (code == OP_NUMBER || code == OP_TO_NUMBER || code == OP_NEG
           || (code >= OP_ADD && code <= OP_MOD))
    top[0] = PLAIN_NUMBER;
  else
    top[0] = PLAIN_BOOLEAN;
}

/* Whether operator name @word stands at c->p (and takes it). */
static gboolean
take_word (Plain *c, const char *word)
{
  gsize n = strlen (word);
  if (strncmp (c->p, word, n) != 0 || is_name_char (c->p[n]) || c->p[n] == ':')
    return FALSE;
  c->p += n;
  return TRUE;
}

/* An ASCII NCName at c->p (taken), or NULL. (transfer full) */
static char *
take_name (Plain *c)
{
  const char *start = c->p, *end = start;
  if (!(g_ascii_isalpha (*end) || *end == '_'))
    return NULL;
  while (is_name_char (*end))
    if ((guchar) *end++ >= 0x80)
      return NULL;
  if (*end == ':')
    return NULL;
  c->p = end;
  return g_strndup (start, end - start);
}

/* The value libxml2 gives the number literal @text. */
static gboolean
literal_value (Plain *c, const char *text, gsize len, double *value)
{
  g_autofree char *paren = g_strdup_printf ("(%.*s)", (int) len, text);
  xmlXPathCompExprPtr comp = xmlXPathCtxtCompile (c->xpath, BAD_CAST paren);
  if (comp == NULL)
    return FALSE;
  xmlXPathObjectPtr res = xmlXPathCompiledEval (comp, c->xpath);
  gboolean ok = res != NULL && res->type == XPATH_NUMBER;
  if (ok)
    *value = res->floatval;
  xmlXPathFreeObject (res);
  xmlXPathFreeCompExpr (comp);
  return ok;
}

static void
plain_primary (Plain *c)
{
  skip_blanks (c);
  const char *p = c->p;
  if (*p == '$')
    {
      c->p++;
      g_autofree char *name = take_name (c);
      guint i = 0;
      while (name != NULL && c->variables[i] != NULL && strcmp (c->variables[i], name) != 0)
        i++;
      if (name == NULL || c->variables[i] == NULL || i > G_MAXUINT8)
        c->ok = FALSE;
      else
        emit (c, OP_VAR, (guint8) i, 0);
    }
  else if (g_ascii_isdigit (*p) || (*p == '.' && g_ascii_isdigit (p[1])))
    {
      /* What libxml2's lexer takes: digits, a fraction, an exponent. */
      while (g_ascii_isdigit (*p))
        p++;
      if (*p == '.')
        for (p++; g_ascii_isdigit (*p); p++)
          ;
      if (*p == 'e' || *p == 'E')
        {
          p++;
          if (*p == '-' || *p == '+')
            p++;
          while (g_ascii_isdigit (*p))
            p++;
        }
      double v = 0;
      if (!literal_value (c, c->p, p - c->p, &v))
        c->ok = FALSE;
      else
        emit (c, OP_NUMBER, 0, v);
      c->p = p;
    }
  else if (*p == '(')
    {
      c->p++;
      plain_or (c);
      skip_blanks (c);
      if (*c->p != ')')
        c->ok = FALSE;
      else
        c->p++;
    }
  else
    {
      g_autofree char *name = take_name (c);
      skip_blanks (c);
      if (name == NULL || *c->p != '(')
        {
          c->ok = FALSE;
          return;
        }
      c->p++;
      skip_blanks (c);
      guint n_args = 0;
      if (*c->p == ')')
        c->p++;
      else
        for (; c->ok; n_args++)
          {
            plain_or (c);
            skip_blanks (c);
            if (*c->p == ')')
              {
                c->p++;
                n_args++;
                break;
              }
            if (*c->p == ',')
              c->p++;
            else
              c->ok = FALSE;
          }
      if (strcmp (name, "true") == 0 && n_args == 0)
        emit (c, OP_TRUE, 0, 1);
      else if (strcmp (name, "false") == 0 && n_args == 0)
        emit (c, OP_FALSE, 0, 0);
      else if (strcmp (name, "not") == 0 && n_args == 1)
        emit (c, OP_NOT, 0, 0);
      else if (strcmp (name, "boolean") == 0 && n_args == 1)
        emit (c, OP_TO_BOOLEAN, 0, 0);
      else if (strcmp (name, "number") == 0 && n_args == 1)
        emit (c, OP_TO_NUMBER, 0, 0);
      else
        c->ok = FALSE;
    }
}

static void
plain_unary (Plain *c)
{
  gboolean minus = FALSE, found = FALSE;
  skip_blanks (c);
  while (*c->p == '-')
    {
      minus = !minus;
      found = TRUE;
      c->p++;
      skip_blanks (c);
    }
  plain_primary (c);
  if (found)
    emit (c, minus ? OP_NEG : OP_TO_NUMBER, 0, 0);
}

static void
plain_multiplicative (Plain *c)
{
  plain_unary (c);
  for (skip_blanks (c); c->ok; skip_blanks (c))
    {
      guint8 code;
      if (*c->p == '*')
        {
          c->p++;
          code = OP_MUL;
        }
      else if (take_word (c, "div"))
        code = OP_DIV;
      else if (take_word (c, "mod"))
        code = OP_MOD;
      else
        break;
      plain_unary (c);
      emit (c, code, 0, 0);
    }
}

static void
plain_additive (Plain *c)
{
  plain_multiplicative (c);
  for (skip_blanks (c); c->ok && (*c->p == '+' || *c->p == '-'); skip_blanks (c))
    {
      guint8 code = *c->p++ == '+' ? OP_ADD : OP_SUB;
      plain_multiplicative (c);
      emit (c, code, 0, 0);
    }
}

static void
plain_relational (Plain *c)
{
  plain_additive (c);
  for (skip_blanks (c); c->ok && (*c->p == '<' || *c->p == '>'); skip_blanks (c))
    {
      gboolean less = *c->p++ == '<', or_equal = *c->p == '=';
      if (or_equal)
        c->p++;
      plain_additive (c);
      emit (c, less ? (or_equal ? OP_LE : OP_LT) : (or_equal ? OP_GE : OP_GT), 0, 0);
    }
}

static void
plain_equality (Plain *c)
{
  plain_relational (c);
  for (skip_blanks (c); c->ok && (*c->p == '=' || (*c->p == '!' && c->p[1] == '='));
       skip_blanks (c))
    {
      guint8 code = *c->p == '=' ? OP_EQ : OP_NE;
      c->p += code == OP_EQ ? 1 : 2;
      plain_relational (c);
      emit (c, code, 0, 0);
    }
}

static void
plain_and (Plain *c)
{
  plain_equality (c);
  for (skip_blanks (c); c->ok && take_word (c, "and"); skip_blanks (c))
    {
      plain_equality (c);
      emit (c, OP_AND, 0, 0);
    }
}

static void
plain_or (Plain *c)
{
  if (++c->depth > PLAIN_MAX_DEPTH)
    c->ok = FALSE;
  if (!c->ok)
    return;
  plain_and (c);
  for (skip_blanks (c); c->ok && take_word (c, "or"); skip_blanks (c))
    {
      plain_and (c);
      emit (c, OP_OR, 0, 0);
    }
  c->depth--;
}

/* Shortens the program @ops without changing a bit of its results: drops
 * the conversions to number (a program's values are numbers already),
 * folds a number pushed just before an arithmetic or relational operator
 * (its right operand) into the operator, and a variable pushed just
 * before that (its left operand) too: the same operations on the same
 * values, with fewer dispatches and less stack traffic. */
static void
plain_fold (GArray *ops)
{
  PlainOp *o = (PlainOp *) (gpointer) ops->data;
  guint w = 0;
  for (guint i = 0; i < ops->len; i++)
    {
      if (o[i].code == OP_TO_NUMBER)
        continue;
      if (w > 0 && o[w - 1].code == OP_NUMBER && o[i].code >= OP_ADD && o[i].code <= OP_GE)
        {
          o[w - 1].code = (guint8) (OP_ADD_K + (o[i].code - OP_ADD));
          if (w > 1 && o[w - 2].code == OP_VAR)
            {
              o[w - 2].code = (guint8) (OP_VAR_ADD_K + (o[i].code - OP_ADD));
              o[w - 2].value = o[w - 1].value;
              w--;
            }
          continue;
        }
      o[w++] = o[i];
    }
  g_array_set_size (ops, w);
}

static gboolean
is_var_comparison (guint8 code)
{
  return code >= OP_VAR_LT_K && code <= OP_VAR_GE_K;
}

/* Then fuses the commonest sequences of a fee schedule ("($price > 1e9
 * and $price <= 3e9) * (1000000 + ($price - 1e9) * 0.0006) + …") into
 * one instruction each: a range test, a product added. An operator's
 * right operand is the value the instruction just before it pushed (or
 * left on top), so each sequence is the same operations on the same
 * values, in the same order, and rounded the same: a product is rounded
 * before it is added, as when apart. */
static void
plain_fuse (GArray *ops)
{
  PlainOp *o = (PlainOp *) (gpointer) ops->data;
  guint w = 0;
  for (guint i = 0; i < ops->len; i++)
    {
      if (o[i].code == OP_AND && w >= 2 && is_var_comparison (o[w - 2].code)
          && is_var_comparison (o[w - 1].code))
        {
          PlainOp *a = &o[w - 2];
          a->cmp[0] = a->code;
          a->cmp[1] = o[w - 1].code;
          a->var2 = o[w - 1].var;
          a->value2 = o[w - 1].value;
          a->code = OP_VAR_K_AND;
          w--;
          continue;
        }
      if (o[i].code == OP_ADD && w >= 1 && (o[w - 1].code == OP_MUL || o[w - 1].code == OP_MUL_K))
        {
          o[w - 1].code = o[w - 1].code == OP_MUL ? OP_MUL_ADD : OP_MUL_K_ADD;
          /* c + ($a − k) × m: the number, the variable's operation, the
           * product added, all pushed by these three */
          if (o[w - 1].code == OP_MUL_K_ADD && w >= 3 && o[w - 3].code == OP_NUMBER
              && o[w - 2].code >= OP_VAR_ADD_K && o[w - 2].code <= OP_VAR_DIV_K)
            {
              PlainOp *a = &o[w - 3];
              a->code = OP_AFFINE;
              a->value3 = a->value;
              a->var = o[w - 2].var;
              a->cmp[0] = o[w - 2].code;
              a->value = o[w - 2].value;
              a->value2 = o[w - 1].value;
              w -= 2;
            }
          continue;
        }
      o[w++] = o[i];
    }
  g_array_set_size (ops, w);
}

/* Gives @expr its plain program when its source is in the subset. */
static void
plain_compile (PsimExprContext *ctx, PsimExpr *expr)
{
  Plain c = { .p = expr->source, .variables = expr->variables, .xpath = ctx->xpath, .ok = TRUE };
  c.ops = g_array_new (FALSE, FALSE, sizeof (PlainOp));
  plain_or (&c);
  skip_blanks (&c);
  if (c.ok && *c.p == '\0' && c.stack == 1)
    {
      plain_fold (c.ops);
      plain_fuse (c.ops);
      expr->n_plain = c.ops->len;
      expr->plain = (PlainOp *) (gpointer) g_array_free (c.ops, FALSE);
    }
  else
    g_array_unref (c.ops);
}

/* Whether a value of the type @type (@var) is a boolean. */
static inline gboolean
is_boolean (guint8 type, guint8 var, const gboolean *booleans)
{
  return type == PLAIN_BOOLEAN || (type == PLAIN_VARIABLE && booleans[var]);
}

/* XPath's boolean of a value, a boolean being 1 or 0: not 0, not NaN. */
static inline gboolean
truth (double v)
{
  return v == v && v != 0;
}

/* @x compared with @k by @cmp, one of OP_VAR_LT_K … OP_VAR_GE_K. */
static inline gboolean
compare_k (guint8 cmp, double x, double k)
{
  switch (cmp)
    {
    case OP_VAR_LT_K: return x < k;
    case OP_VAR_LE_K: return x <= k;
    case OP_VAR_GT_K: return x > k;
    case OP_VAR_GE_K:
    default: return x >= k;
    }
}

/* Runs the program; a boolean result is 1 or 0. */
static double
plain_run (const PsimExpr *expr, const double *values, const gboolean *booleans)
{
  double st[PLAIN_MAX_STACK];
  int sp = -1;
#define VAR_VALUE(op) (booleans[(op)->var] ? values[(op)->var] != 0 : values[(op)->var])
  for (const PlainOp *op = expr->plain, *end = op + expr->n_plain; op < end; op++)
    switch (op->code)
      {
      case OP_VAR_ADD_K: st[++sp] = VAR_VALUE (op) + op->value; break;
      case OP_VAR_SUB_K: st[++sp] = VAR_VALUE (op) - op->value; break;
      case OP_VAR_MUL_K: st[++sp] = VAR_VALUE (op) * op->value; break;
      case OP_VAR_DIV_K: st[++sp] = VAR_VALUE (op) / op->value; break;
      case OP_VAR_MOD_K:
        sp++;
        st[sp] = op->value == 0 ? xmlXPathNAN : fmod (VAR_VALUE (op), op->value);
        break;
      case OP_VAR_LT_K: st[++sp] = VAR_VALUE (op) < op->value; break;
      case OP_VAR_LE_K: st[++sp] = VAR_VALUE (op) <= op->value; break;
      case OP_VAR_GT_K: st[++sp] = VAR_VALUE (op) > op->value; break;
      case OP_VAR_GE_K: st[++sp] = VAR_VALUE (op) >= op->value; break;
      case OP_VAR_K_AND:
        {
          double a = VAR_VALUE (op);
          double b = booleans[op->var2] ? values[op->var2] != 0 : values[op->var2];
          st[++sp] = compare_k (op->cmp[0], a, op->value) && compare_k (op->cmp[1], b, op->value2);
          break;
        }
      case OP_MUL_ADD:
        {
          double product = st[sp - 1] * st[sp];
          sp -= 2;
          st[sp] += product;
          break;
        }
      case OP_AFFINE:
        {
          double x = VAR_VALUE (op), k = op->value;
          switch (op->cmp[0])
            {
            case OP_VAR_ADD_K: x = x + k; break;
            case OP_VAR_SUB_K: x = x - k; break;
            case OP_VAR_MUL_K: x = x * k; break;
            case OP_VAR_DIV_K:
            default: x = x / k; break;
            }
          double product = x * op->value2;
          st[++sp] = op->value3 + product;
          break;
        }
      case OP_MUL_K_ADD:
        {
          double product = st[sp] * op->value;
          sp--;
          st[sp] += product;
          break;
        }
      case OP_NUMBER: st[++sp] = op->value; break;
      case OP_VAR: st[++sp] = VAR_VALUE (op); break;
      case OP_TRUE: st[++sp] = 1; break;
      case OP_FALSE: st[++sp] = 0; break;
      case OP_TO_NUMBER: break;
      case OP_NEG: st[sp] = -st[sp]; break;
      case OP_TO_BOOLEAN: st[sp] = truth (st[sp]); break;
      case OP_NOT: st[sp] = !truth (st[sp]); break;
      case OP_ADD: sp--; st[sp] += st[sp + 1]; break;
      case OP_SUB: sp--; st[sp] -= st[sp + 1]; break;
      case OP_MUL: sp--; st[sp] *= st[sp + 1]; break;
      case OP_DIV: sp--; st[sp] /= st[sp + 1]; break;
      case OP_MOD:
        sp--;
        st[sp] = st[sp + 1] == 0 ? xmlXPathNAN : fmod (st[sp], st[sp + 1]);
        break;
      case OP_LT: sp--; st[sp] = st[sp] < st[sp + 1]; break;
      case OP_LE: sp--; st[sp] = st[sp] <= st[sp + 1]; break;
      case OP_GT: sp--; st[sp] = st[sp] > st[sp + 1]; break;
      case OP_GE: sp--; st[sp] = st[sp] >= st[sp + 1]; break;
      case OP_EQ:
      case OP_NE:
        {
          sp--;
          gboolean eq = is_boolean (op->type[0], op->type_var[0], booleans)
                            || is_boolean (op->type[1], op->type_var[1], booleans)
                          ? truth (st[sp]) == truth (st[sp + 1])
                          : st[sp] == st[sp + 1];
          st[sp] = op->code == OP_EQ ? eq : !eq;
          break;
        }
      case OP_ADD_K: st[sp] += op->value; break;
      case OP_SUB_K: st[sp] -= op->value; break;
      case OP_MUL_K: st[sp] *= op->value; break;
      case OP_DIV_K: st[sp] /= op->value; break;
      case OP_MOD_K: st[sp] = op->value == 0 ? xmlXPathNAN : fmod (st[sp], op->value); break;
      case OP_LT_K: st[sp] = st[sp] < op->value; break;
      case OP_LE_K: st[sp] = st[sp] <= op->value; break;
      case OP_GT_K: st[sp] = st[sp] > op->value; break;
      case OP_GE_K: st[sp] = st[sp] >= op->value; break;
      case OP_AND: sp--; st[sp] = truth (st[sp]) && truth (st[sp + 1]); break;
      case OP_OR:
      default: sp--; st[sp] = truth (st[sp]) || truth (st[sp + 1]); break;
      }
#undef VAR_VALUE
  return st[0];
}

gboolean
psim_expr_is_plain (const PsimExpr *expr)
{
  return expr->plain != NULL;
}

double
psim_expr_eval_plain_number (const PsimExpr *expr, const double *values, const gboolean *booleans)
{
  g_return_val_if_fail (expr->plain != NULL, 0);
  return plain_run (expr, values, booleans);
}

gboolean
psim_expr_eval_plain_boolean (const PsimExpr *expr, const double *values, const gboolean *booleans)
{
  g_return_val_if_fail (expr->plain != NULL, FALSE);
  return truth (plain_run (expr, values, booleans));
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
  saved = capture_generic (ctx);
  plain_compile (ctx, expr);
  restore_generic (saved);
  g_string_truncate (ctx->last_error, 0);
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
  g_free (expr->plain);
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
