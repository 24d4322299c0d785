/* psim-check-documents.c — where the documents a step needs come from
 * (psim-check.c runs this once the references and graphs are sound).
 *
 * A document reaches a step in one of four ways: an earlier step
 * produced it (<output>), an earlier step took it in (<input>: it is in
 * the dossier from then on), the applicant brings it to this step (the
 * step is an applicant interaction, or the applicant's own step), or it
 * is held in a national database (national-db="true"). "Earlier" means on
 * every path from the start: a document that only one branch of a choice
 * produces is not there after the choice. After a <join>, whatever any
 * branch of its split produced is there, since every branch has run.
 *
 * Two warnings follow:
 * - a step without the applicant (between offices, or a system) that
 *   needs a document that came in none of these ways;
 * - in a reformed variant (one with a baseline), an in-person or postal
 *   step where the applicant hands over a document held in a national
 *   database that no earlier step has fetched, and that the step does not
 *   fetch itself (fetched="true"): the once-only principle.
 *   An online step is not reported: procsim cannot tell an upload from
 *   details filled in from the database after an electronic-identity
 *   login (docs/format.md, section 9).
 *
 * The availability is a forward data-flow analysis over bit sets (one bit
 * per declared document), iterated to its greatest fixed point, so loops
 * are handled; each node's set only shrinks, so it terminates.
 */
#include "psim-private.h"

#include <string.h>

typedef guint64 Word;
#define WORD_BITS 64

typedef struct {
  const PsimProcedure *proc;
  const char *lang;
  GPtrArray *diags;
  GHashTable *doc_bit; /* PsimDocument* → bit + 1 */
  guint n_words;
} DocCheck;

static guint
doc_bit (const DocCheck *c, const PsimRef *ref)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (c->doc_bit, ref->target)) - 1;
}

static void
set_refs (const DocCheck *c, Word *set, const GPtrArray *refs)
{
  for (guint i = 0; i < refs->len; i++)
    {
      guint b = doc_bit (c, g_ptr_array_index (refs, i));
      set[b / WORD_BITS] |= (Word) 1 << (b % WORD_BITS);
    }
}

static gboolean
has_bit (const Word *set, guint b)
{
  return (set[b / WORD_BITS] >> (b % WORD_BITS)) & 1;
}

/* Whether the applicant takes part in @n: an interaction, or a step the
 * applicant does (or does with themself). What such a step needs, the
 * applicant can bring. */
static gboolean
involves_applicant (const PsimNode *n)
{
  const PsimActor *actor = n->actor.target, *party = n->party.target;
  return n->interaction || (actor != NULL && actor->kind == PSIM_ACTOR_APPLICANT)
         || (party != NULL && party->kind == PSIM_ACTOR_APPLICANT);
}

/* Fills @in (n_nodes × n_words) with the documents there on every path to
 * each node, before the node runs. */
static void
compute_available (const DocCheck *c, const PsimVariant *v, Word *in)
{
  guint n = v->nodes->len, w = c->n_words;
  g_autofree Word *out = g_new (Word, (gsize) n * w);
  memset (out, 0xff, (gsize) n * w * sizeof (Word));
  memset (in, 0, (gsize) n * w * sizeof (Word));

  PsimpGraphPreds preds;
  psimp_graph_preds_init (&preds, v);
  const guint *pred_start = preds.start, *pred_list = preds.list;

  /* Worklist of node indexes, each queued at most once at a time. */
  g_autofree guint *queue = g_new (guint, n);
  g_autofree gboolean *queued = g_new (gboolean, n);
  guint head = 0, count = n;
  for (guint i = 0; i < n; i++)
    {
      queue[i] = i;
      queued[i] = TRUE;
    }
  g_autofree Word *next = g_new (Word, w);
  while (count > 0)
    {
      guint i = queue[head];
      head = (head + 1) % n;
      count--;
      queued[i] = FALSE;
      const PsimNode *node = g_ptr_array_index (v->nodes, i);
      Word *node_in = in + (gsize) i * w;
      gboolean join = node->kind == PSIM_NODE_JOIN;
      if (node == v->start || pred_start[i] == pred_start[i + 1])
        memset (node_in, 0, w * sizeof (Word));
      else
        for (guint k = 0; k < w; k++)
          {
            Word acc = join ? 0 : ~(Word) 0;
            for (guint p = pred_start[i]; p < pred_start[i + 1]; p++)
              acc = join ? acc | out[(gsize) pred_list[p] * w + k]
                         : acc & out[(gsize) pred_list[p] * w + k];
            node_in[k] = acc;
          }
      memcpy (next, node_in, w * sizeof (Word));
      if (node->kind == PSIM_NODE_STEP)
        {
          set_refs (c, next, node->inputs);
          set_refs (c, next, node->outputs);
        }
      Word *node_out = out + (gsize) i * w;
      if (memcmp (next, node_out, w * sizeof (Word)) == 0)
        continue;
      memcpy (node_out, next, w * sizeof (Word));
      for (guint j = 0; j < psim_node_get_n_successors (node); j++)
        {
          guint s = psim_node_get_successor (node, j)->index;
          if (!queued[s])
            {
              queued[s] = TRUE;
              queue[(head + count) % n] = s;
              count++;
            }
        }
    }
  psimp_graph_preds_clear (&preds);
}

static void
check_variant (DocCheck *c, const PsimVariant *v)
{
  gboolean any_input = FALSE;
  for (guint i = 0; i < v->nodes->len && !any_input; i++)
    {
      const PsimNode *n = g_ptr_array_index (v->nodes, i);
      any_input = n->kind == PSIM_NODE_STEP && n->inputs->len > 0;
    }
  if (!any_input)
    return;

  guint w = c->n_words;
  g_autofree Word *in = g_new (Word, (gsize) v->nodes->len * w);
  compute_available (c, v, in);
  gboolean reformed = v->baseline.target != NULL;
  for (guint i = 0; i < v->nodes->len; i++)
    {
      const PsimNode *n = g_ptr_array_index (v->nodes, i);
      if (n->kind != PSIM_NODE_STEP)
        continue;
      const Word *there = in + (gsize) i * w;
      gboolean applicant = involves_applicant (n);
      gboolean hands_over = n->interaction
                            && (n->channel == PSIM_CHANNEL_IN_PERSON
                                || n->channel == PSIM_CHANNEL_POST);
      for (guint j = 0; j < n->inputs->len; j++)
        {
          const PsimRef *ref = g_ptr_array_index (n->inputs, j);
          const PsimDocument *doc = ref->target;
          if (has_bit (there, doc_bit (c, ref)))
            continue;
          if (!applicant && !doc->national_db)
            psim_diag_add (
                c->diags, PSIM_SEVERITY_WARNING, c->proc->file, ref->line,
                psim_gettext (c->lang,
                              "step '%s': input '%s' comes from nowhere: no earlier step "
                              "produces it or takes it in on every path here, the applicant "
                              "takes no part in the step, and it is not held in a national "
                              "database"),
                n->id, doc->id);
          else if (reformed && hands_over && doc->national_db
                   && !g_array_index (n->input_fetched, gboolean, j))
            psim_diag_add (
                c->diags, PSIM_SEVERITY_WARNING, c->proc->file, ref->line,
                psim_gettext (c->lang,
                              "step '%s': the applicant still supplies '%s', which is held in "
                              "a national database; under the once-only principle variant '%s' "
                              "should fetch it (an inter-agency step that takes it in before "
                              "this one)"),
                n->id, doc->id, v->id);
        }
    }
}

void
psimp_check_documents (PsimProcedure *proc, const char *lang, GPtrArray *diags)
{
  guint n_docs = proc->documents->len;
  if (n_docs == 0)
    return;
  g_autoptr (GHashTable) bits = g_hash_table_new (NULL, NULL);
  for (guint i = 0; i < n_docs; i++)
    g_hash_table_insert (bits, g_ptr_array_index (proc->documents, i), GUINT_TO_POINTER (i + 1));
  DocCheck c = { .proc = proc,
                 .lang = lang,
                 .diags = diags,
                 .doc_bit = bits,
                 .n_words = (n_docs + WORD_BITS - 1) / WORD_BITS };
  for (guint i = 0; i < proc->variants->len; i++)
    check_variant (&c, g_ptr_array_index (proc->variants, i));
}
