/* test-expr.c — the two evaluations of an expression agree: the plain
 * program (psim-expr.c, used by the simulation for every case) gives bit
 * for bit what libxml2's XPath evaluation gives, on the bundled formulas,
 * on chosen corner cases and on thousands of random expressions of the
 * subset with random values; and what is outside the subset has no plain
 * program. A library-internal test: it includes psim-private.h.
 */
#include "psim-test.h"

#include "psim-private.h"

#include <math.h>
#include <string.h>

/* Variables of the tests: n1..n3 numbers, b1 and b2 booleans. */
static const char *const var_names[] = { "n1", "n2", "n3", "b1", "b2" };
static const gboolean var_booleans[] = { FALSE, FALSE, FALSE, TRUE, TRUE };

static const double interesting[] = {
  0, -0.0, 1, -1, 0.5, 2, 3, 7, 0.1, 0.0006, 3.2e9, 5e7, 1e8, 1e9, 3e9, 289e9, 1e300, -1e300,
  12345.6789, 1e-310,
};

/* A value for a number variable: a chosen one or a random one. */
static double
draw_value (PsimRng *rng)
{
  guint64 k = psim_rng_next (rng) % 3;
  if (k == 0)
    return interesting[psim_rng_next (rng) % G_N_ELEMENTS (interesting)];
  if (k == 1)
    return floor (psim_rng_double (rng) * 20) - 5;
  return (psim_rng_double (rng) - 0.3) * pow (10, (double) (psim_rng_next (rng) % 13));
}

/* Binds @values in @ctx and in the arrays the plain program reads, by the
 * expression's own variable order. */
static void
bind (PsimExprContext *ctx, const PsimExpr *expr, const double *values, double *plain_values,
      gboolean *plain_booleans)
{
  for (guint i = 0; i < G_N_ELEMENTS (var_names); i++)
    if (var_booleans[i])
      psim_expr_context_set_boolean (ctx, var_names[i], values[i] != 0);
    else
      psim_expr_context_set_number (ctx, var_names[i], values[i]);
  const char *const *vars = psim_expr_get_variables (expr);
  for (guint j = 0; vars[j] != NULL; j++)
    for (guint i = 0; i < G_N_ELEMENTS (var_names); i++)
      if (strcmp (vars[j], var_names[i]) == 0)
        {
          plain_values[j] = values[i];
          plain_booleans[j] = var_booleans[i];
        }
}

/* Evaluates @source both ways for @rounds random bindings; counts the
 * disagreements (and prints the first few). */
static guint
compare_both (PsimExprContext *ctx, const char *source, PsimRng *rng, guint rounds)
{
  g_autofree char *msg = NULL;
  PsimExpr *expr = psim_expr_compile (ctx, source, &msg);
  CU_ASSERT_PTR_NOT_NULL (expr);
  if (expr == NULL)
    {
      g_printerr ("does not compile: %s: %s\n", source, msg);
      return 1;
    }
  CU_ASSERT_TRUE (psim_expr_is_plain (expr));
  if (!psim_expr_is_plain (expr))
    {
      g_printerr ("not plain: %s\n", source);
      psim_expr_free (expr);
      return 1;
    }
  guint bad = 0;
  for (guint r = 0; r < rounds; r++)
    {
      double values[G_N_ELEMENTS (var_names)];
      for (guint i = 0; i < G_N_ELEMENTS (var_names); i++)
        values[i] = var_booleans[i] ? (double) (psim_rng_next (rng) & 1) : draw_value (rng);
      double pv[G_N_ELEMENTS (var_names)] = { 0 };
      gboolean pb[G_N_ELEMENTS (var_names)] = { 0 };
      bind (ctx, expr, values, pv, pb);
      double xn = 0, yn = psim_expr_eval_plain_number (expr, pv, pb);
      gboolean xb = FALSE, yb = psim_expr_eval_plain_boolean (expr, pv, pb);
      g_autofree char *m1 = NULL, *m2 = NULL;
      gboolean ok = psim_expr_eval_number (ctx, expr, &xn, &m1)
                    && psim_expr_eval_boolean (ctx, expr, &xb, &m2);
      if (!ok || memcmp (&xn, &yn, sizeof xn) != 0 || xb != yb)
        {
          if (bad++ < 3)
            g_printerr ("%s with n1=%.17g n2=%.17g n3=%.17g b1=%g b2=%g: libxml2 %.17g %d, plain "
                        "%.17g %d%s%s\n", source, values[0], values[1], values[2], values[3],
                        values[4], xn, xb, yn, yb, ok ? "" : ", libxml2 failed: ",
                        ok ? "" : (m1 != NULL ? m1 : m2));
        }
    }
  psim_expr_free (expr);
  return bad;
}

static void
test_bundled_and_corners (void)
{
  static const char *const sources[] = {
    /* the bundled workflows' formulas */
    "$n1 * 0.02",
    "$n1 * 0.005",
    "not($b1) * (($n1 > 10000000000) * 3000000 + not($n1 > 10000000000) * 2000000)",
    "$b1",
    "($n1 < 50000000) * 50000\n + ($n1 >= 50000000 and $n1 <= 100000000) * 100000\n"
    " + ($n1 > 100000000 and $n1 <= 1000000000) * $n1 * 0.001\n"
    " + ($n1 > 1000000000 and $n1 <= 3000000000) * (1000000 + ($n1 - 1000000000) * 0.0006)\n"
    " + ($n1 > 289000000000) * 70000000",
    /* literals libxml2 reads its own way */
    "0.0006", ".5", "7.", "1e3", "1.5E-3", "2e", "00012.50", "0.1 + 0.2", "123456789.123456789",
    "3.14159265358979323846264338327950288",
    /* conversions and comparisons */
    "$b1 = 1", "$b1 = 2", "$b1 = 0", "$b1 != $n1", "$n1 = $n2", "$n1 != $n2", "$b1 = $b2",
    "$b1 < $b2", "$b1 + $b2", "-$b1", "--$b1", "- - -$n1", "$n1 div 0", "-$n1 div 0",
    "0 div 0", "$n1 mod 0", "$n1 mod $n2", "-7 mod 3", "7 mod -3", "$n1 div $n2 = $n1 div $n2",
    "(0 div 0) = (0 div 0)", "(0 div 0) != (0 div 0)", "(1 div 0) = (2 div 0)",
    "(1 div 0) > 1e308", "-(1 div 0) < -1e308", "not(0 div 0)", "boolean(0 div 0)",
    "boolean(-0)", "number($b1) * 3", "number(true()) + number(false())", "true() = 1",
    "false() = 0", "$n1 = true()", "$n1 and $n2 or $b1", "$n1 or $n2 and $b1",
    "1 < 2 < 3", "3 > 2 > 1", "1 = 1 = 1", "2 = 2 = 2", "1 <= 1 >= 0",
    "$n1 - -$n2", "$n1 -$n2", "$n1*$n2", "$n1*-$n2", "2div 3", "5 mod 3*2",
    "1 - 2 - 3", "8 div 4 div 2", "not ( $b1 )", "  $n1  ", "((((($n1)))))",
    "$n1 * 1e300 * 1e300", "-$n1 * 0", "$n1 * 0 = 0", "-0 = 0",
    /* a variable and a number folded into their operator */
    "$b1 + 1", "$b1 - 0.5", "$b2 * 3", "$b1 div 0", "$b1 mod 0", "$b1 mod 2", "$b1 < 1",
    "$b1 <= 0", "$b2 > 0.5", "$b2 >= 1", "$n1 mod 0 = $n1 mod 0", "$n1 mod -3", "$n1 >= -0",
    "number($n1) * 2", "($n1) - 1 - 2", "$n1 - (1 - 2)", "-$n1 * 2", "2 * $n1 * 3",
    "$n1 div 3 + $n2 mod 7 - $n3 * 0.1 < $n1 <= 5 > $b1 >= 0",
    /* two comparisons and their 'and', a product and its sum, fused */
    "$n1 > 1 and $n2 <= 2", "$b1 >= 1 and $n1 < 3", "$n1 < 0 and $n1 >= 0",
    "$n1 >= 0 and $b2 > 0.5 and $n2 < 1", "($n1 > 0 and $n2 > 0) * 2", "1 + $n1 * $n2",
    "$n1 + $n2 * 3 + $n3 * 0.5", "-0 + $n1 * -0", "$n1 * 1e300 + $n2 * 1e300",
    "$n1 - $n2 * $n3", "($n1 > 0 and $n1 <= 5) * (1 + ($n1 - 2) * 0.25) + $b1 * 7",
    "3 + ($n1 + 2) * 0.5", "-0 + ($n1 * 0) * -1", "1 + ($b1 div 0) * 0", "7 + ($n2 div 3) * 3",
    "0.1 + ($n1 - 0.2) * 0.3 + 0.4", "(2 + ($n1 - 1) * 4) * (5 + ($n2 * 2) * 0.5)",
  };
  PsimRng rng;
  psim_rng_init (&rng, 16);
  PsimExprContext *ctx = psim_expr_context_new ();
  guint bad = 0;
  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    bad += compare_both (ctx, sources[i], &rng, 200);
  CU_ASSERT_EQUAL (bad, 0);
  psim_expr_context_free (ctx);
}

/* ---- random expressions of the subset ------------------------------------ */

static const char *
blank (PsimRng *rng)
{
  static const char *const b[] = { "", "", " ", " ", "\n  ", "\t" };
  return b[psim_rng_next (rng) % G_N_ELEMENTS (b)];
}

static void
gen (GString *s, PsimRng *rng, guint depth)
{
  static const char *const literals[] = {
    "0", "1", "2", "3", "0.5", ".5", "7.", "0.0006", "0.1", "1e3", "2.5e-2", "1000000000",
    "3200000000", "289000000000", "12.0", "0.3333333333333333", "100000000000000000000", "010",
  };
  static const char *const symbols[] = { "+", "*", "=", "!=", "<", "<=", ">", ">=" };
  static const char *const words[] = { "div", "mod", "and", "or" };
  guint64 k = psim_rng_next (rng) % (depth == 0 ? 3 : 10);
  switch (k)
    {
    case 0:
      g_string_append (s, literals[psim_rng_next (rng) % G_N_ELEMENTS (literals)]);
      return;
    case 1:
    case 2:
      g_string_append_printf (s, "$%s", var_names[psim_rng_next (rng) % G_N_ELEMENTS (var_names)]);
      return;
    case 3:
      g_string_append_c (s, '(');
      gen (s, rng, depth - 1);
      g_string_append_c (s, ')');
      return;
    case 4:
      {
        static const char *const f1[] = { "not", "boolean", "number" };
        static const char *const f0[] = { "true()", "false()" };
        if (psim_rng_next (rng) % 4 == 0)
          g_string_append (s, f0[psim_rng_next (rng) % 2]);
        else
          {
            g_string_append_printf (s, "%s%s(%s", f1[psim_rng_next (rng) % 3], blank (rng),
                                    blank (rng));
            gen (s, rng, depth - 1);
            g_string_append_printf (s, "%s)", blank (rng));
          }
        return;
      }
    case 5:
      g_string_append_c (s, '-');
      g_string_append (s, blank (rng));
      gen (s, rng, depth - 1);
      return;
    case 6:
      /* binary minus: a blank before it, or the operand before would take
       * it into its name */
      gen (s, rng, depth - 1);
      g_string_append_printf (s, " -%s", blank (rng));
      gen (s, rng, depth - 1);
      return;
    case 7:
      gen (s, rng, depth - 1);
      g_string_append_printf (s, " %s ", words[psim_rng_next (rng) % G_N_ELEMENTS (words)]);
      gen (s, rng, depth - 1);
      return;
    default:
      gen (s, rng, depth - 1);
      g_string_append_printf (s, "%s%s%s", blank (rng),
                              symbols[psim_rng_next (rng) % G_N_ELEMENTS (symbols)], blank (rng));
      gen (s, rng, depth - 1);
      return;
    }
}

static void
test_random_expressions (void)
{
  PsimRng rng;
  psim_rng_init (&rng, 1849);
  PsimExprContext *ctx = psim_expr_context_new ();
  guint bad = 0, n = 0;
  for (guint i = 0; i < 2000; i++)
    {
      g_autoptr (GString) s = g_string_new (blank (&rng));
      gen (s, &rng, 1 + (guint) (psim_rng_next (&rng) % 6));
      g_string_append (s, blank (&rng));
      bad += compare_both (ctx, s->str, &rng, 12) > 0;
      n++;
    }
  if (bad > 0)
    g_printerr ("%u of %u random expressions disagree\n", bad, n);
  CU_ASSERT_EQUAL (bad, 0);
  psim_expr_context_free (ctx);
}

static void
test_outside_the_subset (void)
{
  static const char *const sources[] = {
    "'a' = 'a'", "$n1 = 'x'", "concat('a', 'b')", "count(/case)", "floor($n1)", "round(2.5)",
    "$n1 | $n2", "$n1[1]", "number()", "not($b1, $b2)", "true(1)", "string($n1)",
    "$n1 * 2 div $n2 mod 3 + sum(/case)", "-$n1 + string-length('x')", "/case", ".",
    "$n1 and (1 or last())",
  };
  PsimExprContext *ctx = psim_expr_context_new ();
  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    {
      PsimExpr *expr = psim_expr_compile (ctx, sources[i], NULL);
      if (expr == NULL)
        continue; /* refused at compile time: not plain either */
      if (psim_expr_is_plain (expr))
        g_printerr ("plain, but must not be: %s\n", sources[i]);
      CU_ASSERT_FALSE (psim_expr_is_plain (expr));
      psim_expr_free (expr);
    }
  psim_expr_context_free (ctx);
}

int
main (void)
{
  static const PsimTest tests[] = {
    { "the bundled formulas and corner cases agree with libxml2", test_bundled_and_corners },
    { "random expressions agree with libxml2", test_random_expressions },
    { "what is outside the subset has no plain program", test_outside_the_subset },
    { NULL, NULL },
  };
  return psim_test_run ("expr", tests);
}
