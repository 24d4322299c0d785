/* psim-render-disc.c — the cgraph discipline every graph procsim opens
 * uses: memory from an arena freed after agclose, whatever agclose leaves
 * behind in Graphviz 2.42, and object ids in creation order, so that the
 * same model always gives the same graph, byte for byte, whatever else
 * the process rendered before. The BPMN export's layout uses it too.
 */
#include "psim-render-private.h"

#include <string.h>

/* Object ids for cgraph. Its default discipline uses the address of an
 * object's name as its id and writes subgraphs in id order, so two renders
 * in one process could order the lanes (and lay them out) differently;
 * its counter for anonymous objects is process-wide too. Here ids follow
 * creation order, per graph: the same model always gives the same graph. */
typedef struct {
  Agraph_t *g;
  GHashTable *ids;  /* name → id; names are the graph's own strings */
  GPtrArray *names; /* id / 2 - 1 → name */
  IDTYPE next_anonymous;
} IdState;

/* Every block cgraph allocates for a graph (the graph, its subgraphs,
 * nodes, edges, records, attribute values, interned strings) comes from
 * the graph's memory discipline. Ours remembers them, so that what agclose
 * leaves behind is freed after it: in 2.42 agclose returns early, freeing
 * nothing more, when the dot engine has left its own subgraphs in the graph
 * (it does on graphs with clusters), and the whole graph procsim built was
 * lost on every render. cgraph's dictionaries take some blocks from malloc
 * and give them back through the discipline (agdictobjmem allocates with
 * malloc or agalloc depending on a global set only while a dictionary is
 * opened or closed): a block the arena does not know goes to free, as
 * cgraph's own discipline would do. */
typedef struct {
  GHashTable *blocks; /* the blocks allocated and not freed */
} Arena;

/* The discipline handed to agopen, with the id state and the arena beside
 * it. Both are ours, not cgraph's: agclose in 2.42 may return before
 * closing the id discipline, and does not know the arena. The renderer
 * frees them after agclose, whatever agclose returns. */
struct _GraphDisc {
  Agdisc_t disc; /* first: agopen's discipline pointer is this struct */
  Agmemdisc_t mem;
  IdState state;
  Arena arena;
};

static void *
arena_open (Agdisc_t *disc)
{
  Arena *a = &((GraphDisc *) disc)->arena;
  a->blocks = g_hash_table_new (NULL, NULL);
  return a;
}

/* cgraph expects zeroed memory, as its own discipline gives. */
static void *
arena_alloc (void *state, size_t size)
{
  Arena *a = state;
  void *p = g_malloc0 (MAX (size, 1));
  g_hash_table_add (a->blocks, p);
  return p;
}

static void *
arena_resize (void *state, void *ptr, size_t old_size, size_t size)
{
  Arena *a = state;
  if (ptr == NULL)
    return arena_alloc (state, size);
  gboolean ours = g_hash_table_steal (a->blocks, ptr);
  void *p = g_realloc (ptr, MAX (size, 1));
  if (ours)
    g_hash_table_add (a->blocks, p);
  if (size > old_size)
    memset ((char *) p + old_size, 0, size - old_size);
  return p;
}

static void
arena_free (void *state, void *ptr)
{
  Arena *a = state;
  if (ptr == NULL)
    return;
  g_hash_table_remove (a->blocks, ptr);
  free (ptr); /* g_malloc is malloc; a foreign block is malloc's too */
}

/* What agclose did not free. */
static void
arena_clear (Arena *a)
{
  if (a->blocks == NULL)
    return; /* never opened */
  GHashTableIter iter;
  gpointer block;
  g_hash_table_iter_init (&iter, a->blocks);
  while (g_hash_table_iter_next (&iter, &block, NULL))
    g_free (block);
  g_clear_pointer (&a->blocks, g_hash_table_unref);
}

static void *
id_open (Agraph_t *g, Agdisc_t *disc)
{
  IdState *st = &((GraphDisc *) disc)->state;
  st->g = g;
  st->ids = g_hash_table_new (g_str_hash, g_str_equal);
  st->names = g_ptr_array_new ();
  st->next_anonymous = 1; /* odd; named objects get even ids */
  return st;
}

static long
id_map (void *state, int objtype, char *str, IDTYPE *id, int createflag)
{
  IdState *st = state;
  if (str == NULL)
    {
      *id = st->next_anonymous;
      st->next_anonymous += 2;
      return TRUE;
    }
  gpointer found = NULL;
  if (g_hash_table_lookup_extended (st->ids, str, NULL, &found))
    {
      *id = (IDTYPE) GPOINTER_TO_SIZE (found);
      return TRUE;
    }
  if (!createflag)
    return FALSE;
  /* cgraph reads a header in front of the names it is given back (whether
   * a string is HTML): they must be its own interned strings. They live in
   * the graph's memory and go with it. */
  char *name = agstrdup (st->g, str);
  *id = 2 * ((IDTYPE) st->names->len + 1);
  g_hash_table_insert (st->ids, name, GSIZE_TO_POINTER ((gsize) *id));
  g_ptr_array_add (st->names, name);
  return TRUE;
}

static long
id_alloc (void *state, int objtype, IDTYPE request)
{
  return FALSE; /* no object asks for a given id */
}

static void
id_free (void *state, int objtype, IDTYPE id)
{
  /* Names live until the graph is closed. */
}

static char *
id_print (void *state, int objtype, IDTYPE id)
{
  IdState *st = state;
  if (id % 2 != 0 || id == 0 || id / 2 > st->names->len)
    return NULL;
  return g_ptr_array_index (st->names, (guint) (id / 2 - 1));
}

static void
id_close (void *state)
{
  /* Freed by graph_disc_clear, after agclose. */
}

static void
graph_disc_clear (GraphDisc *gd)
{
  arena_clear (&gd->arena);
  g_clear_pointer (&gd->state.names, g_ptr_array_unref);
  g_clear_pointer (&gd->state.ids, g_hash_table_unref);
}

static void
id_register (void *state, int objtype, void *obj)
{
}

static Agiddisc_t id_disc = {
  id_open, id_map, id_alloc, id_free, id_print, id_close, id_register,
};

PsimGraphDisc *
psimp_graph_disc_new (gboolean own_ids)
{
  GraphDisc *gd = g_new0 (GraphDisc, 1);
  /* No close function: with one, agclose would skip closing the graph's
   * dictionaries and hand everything to it at once. */
  gd->mem = (Agmemdisc_t) { arena_open, arena_alloc, arena_resize, arena_free, NULL };
  gd->disc = (Agdisc_t) { &gd->mem, own_ids ? &id_disc : &AgIdDisc, &AgIoDisc };
  return gd;
}

void *
psimp_graph_disc_get (PsimGraphDisc *disc)
{
  return &disc->disc;
}

void
psimp_graph_disc_free (PsimGraphDisc *disc)
{
  if (disc == NULL)
    return;
  graph_disc_clear (disc);
  g_free (disc);
}
