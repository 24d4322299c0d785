/* psim-sim-text.c — a simulation's results as text for a terminal: the
 * heading lines, a table of the figures per case (and the paired
 * differences), one per office, and the share of cases over each legal
 * limit. The columns are as wide as their widest cell, in characters.
 */
#include "psim-sim-writer-private.h"

#include <procsim/psim-format.h>

/* The table is laid out once every row is known: the first column as wide
 * as its longest label (in characters, so that Vietnamese lines up), each
 * figure column as wide as its widest cell. A row without cells is a line
 * of its own (a heading, a note). */
typedef struct {
  char *label;
  char *cells[3];
  guint n;
} Row;

static void
row_free (gpointer data)
{
  Row *r = data;
  g_free (r->label);
  for (guint i = 0; i < 3; i++)
    g_free (r->cells[i]);
  g_free (r);
}

/* Adds a row; takes @label and the @n cells. */
static void
add_row (GPtrArray *rows, char *label, char *c0, char *c1, char *c2, guint n)
{
  Row *r = g_new0 (Row, 1);
  r->label = label;
  r->cells[0] = c0;
  r->cells[1] = c1;
  r->cells[2] = c2;
  r->n = n;
  g_ptr_array_add (rows, r);
}

static void
add_line (GPtrArray *rows, char *text)
{
  add_row (rows, text, NULL, NULL, NULL, 0);
}

static char *
layout (GPtrArray *rows)
{
  guint label_width = 0, cell_width[3] = { 0, 0, 0 };
  for (guint i = 0; i < rows->len; i++)
    {
      const Row *r = g_ptr_array_index (rows, i);
      if (r->n == 0)
        continue;
      label_width = MAX (label_width, (guint) g_utf8_strlen (r->label, -1));
      for (guint c = 0; c + 1 < r->n; c++)
        cell_width[c] = MAX (cell_width[c], (guint) g_utf8_strlen (r->cells[c], -1));
    }
  GString *out = g_string_new (NULL);
  for (guint i = 0; i < rows->len; i++)
    {
      const Row *r = g_ptr_array_index (rows, i);
      if (r->n == 0)
        {
          g_string_append (out, r->label);
          continue;
        }
      psim_format_append_padded (out, r->label, label_width + 2);
      for (guint c = 0; c < r->n; c++)
        psim_format_append_padded (out, r->cells[c], cell_width[c] + 3);
      while (out->len > 0 && out->str[out->len - 1] == ' ')
        g_string_truncate (out, out->len - 1);
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

/* The cells of one figure: each variant's estimate and, for a pair, the
 * difference marked when significant. */
static void
add_figure (GPtrArray *rows, const PsimSim *sim, char *label, PsimEstimate *e, PsimEstimate d,
            gboolean share, gboolean money)
{
  char *cells[3] = { NULL, NULL, NULL };
  for (guint v = 0; v < psim_sim_get_n_variants (sim); v++)
    cells[v] = psimp_sim_format_estimate (e[v], share, money);
  if (psim_sim_get_n_variants (sim) == 2)
    {
      g_autofree char *text = psimp_sim_format_estimate (d, share, money);
      cells[2] = g_strdup_printf ("%s%s", text, psimp_sim_significant (d) ? " *" : "");
    }
  add_row (rows, label, cells[0], cells[1], cells[2], psim_sim_get_n_variants (sim) == 2 ? 3 : 1);
}

/* The shares over variant @v's legal limits: the share first, right
 * aligned, then what the limit is, wrapped at @width columns under
 * itself, so that a long duty's name does not widen the table above. */
static void
append_limits (GString *out, const PsimSim *sim, guint v, guint width)
{
  const char *lang = psim_sim_get_language (sim);
  guint n = psim_sim_get_n_limits (sim, v);
  gboolean pair = psim_sim_get_n_variants (sim) == 2;
  g_string_append_printf (out, "\n%s %s%s[%s]\n",
                          psim_gettext (lang, "Legal limits, share of cases over:"),
                          pair ? (v == 0 ? "A" : "B") : "", pair ? " " : "",
                          psim_variant_get_id (psim_sim_get_variant (sim, v)));
  if (n == 0)
    g_string_append_printf (out, "  %s\n", psim_gettext (lang, "this variant has no legal limit"));
  g_autoptr (GPtrArray) shares = g_ptr_array_new_with_free_func (g_free);
  guint share_width = 0;
  for (guint i = 0; i < n; i++)
    {
      char *share = psimp_sim_format_estimate (psim_sim_get_limit_share (sim, v, i), TRUE, FALSE);
      share_width = MAX (share_width, (guint) g_utf8_strlen (share, -1));
      g_ptr_array_add (shares, share);
    }
  for (guint i = 0; i < n; i++)
    {
      const char *share = g_ptr_array_index (shares, i);
      g_autofree char *label = psim_sim_get_limit_label (sim, v, i);
      g_autofree char *line = g_strdup_printf ("  %*s%s   %s",
                                               (int) (share_width - g_utf8_strlen (share, -1)), "",
                                               share, label);
      g_autofree char *wrapped = psim_format_wrap (line, width);
      g_string_append_printf (out, "%s\n", wrapped);
    }
}

char *
psim_sim_to_text (const PsimSim *sim)
{
  g_return_val_if_fail (sim != NULL, NULL);
  const char *lang = psim_sim_get_language (sim);
  gboolean pair = psim_sim_get_n_variants (sim) == 2;
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func (row_free);
  g_autofree char *header = psimp_sim_header (sim);
  add_line (rows, g_strconcat (header, "\n", NULL));
  if (pair)
    add_row (rows, g_strdup (""), g_strdup ("A"), g_strdup ("B"), g_strdup (psim_gettext (lang, "B − A")), 3);
  for (guint f = 0; f < PSIM_FIG_N; f++)
    {
      PsimEstimate e[2] = { psim_sim_get_figure (sim, 0, f), psim_sim_get_figure (sim, 1, f) };
      add_figure (rows, sim, g_strdup (psimp_sim_figure_label (f, lang)), e, psim_sim_get_difference (sim, f),
                  psimp_sim_figure_is_share (f), psimp_sim_figure_is_money (f));
    }
  if (pair)
    add_line (rows, g_strdup (psimp_sim_significance_note (lang)));

  guint n_res = psim_sim_get_n_resources (sim);
  if (n_res > 0)
    add_line (rows, g_strdup_printf ("\n%s\n", psim_gettext (lang, "Offices")));
  for (guint r = 0; r < n_res; r++)
    {
      add_line (rows, psimp_sim_office_heading (sim, r));
      for (guint f = 0; f < PSIM_RES_N; f++)
        {
          PsimEstimate e[2] = { psim_sim_get_resource_figure (sim, 0, r, f),
                                psim_sim_get_resource_figure (sim, 1, r, f) };
          add_figure (rows, sim, g_strdup_printf ("    %s", psimp_sim_res_label (f, lang)), e,
                      psim_sim_get_resource_difference (sim, r, f), f == PSIM_RES_UTILISATION,
                      FALSE);
        }
    }

  GString *out = g_string_new (NULL);
  g_autofree char *table = layout (rows);
  g_string_append (out, table);
  /* The limits wrap at the table's width, at least 80 columns. */
  guint width = 80;
  g_auto (GStrv) lines = g_strsplit (table, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    width = MAX (width, (guint) g_utf8_strlen (lines[i], -1));
  for (guint v = 0; v < psim_sim_get_n_variants (sim); v++)
    append_limits (out, sim, v, width);
  return g_string_free (out, FALSE);
}

