/* psim-sim-events-private.h — the event list of a replication and the
 * memory of its cases and tokens (psim-sim-run.c only, inline because
 * every simulated event goes through them).
 *
 * The event list is a 4-ary min-heap of (time, order of scheduling):
 * events at one instant come out first scheduled, first out, and an
 * office's queue is the same heap keyed on priority. The events scheduled
 * for the instant being run wait beside the heap in a plain queue, which
 * gives them in the same order, and so does the next arrival, alone
 * beside it until its time (the side event). Tokens and cases are
 * fixed-size blocks from a pool that recycles them, so a run allocates in
 * proportion to the cases in flight, not to the cases simulated.
 */
#pragma once

#include <glib.h>
#include <string.h>

/* An event: its time as an integer of the same order (psimp_time_key ()),
 * then the order it was scheduled in (which breaks ties first come, first
 * served) with its kind in the low bits; compared as one 128-bit number. */
typedef struct {
  guint64 key;
  guint64 seq_kind;
  gpointer item;
} Event;

__extension__ typedef unsigned __int128 EventOrder;

#define SIGN_BIT (G_GUINT64_CONSTANT (1) << 63)

/* An integer that orders as @t does among doubles (not NaN): the bits of
 * a positive number with the sign bit set, those of a negative one
 * inverted. -0 counts as +0, the same instant. */
static inline guint64
psimp_time_key (double t)
{
  guint64 b;
  t += 0.0;
  memcpy (&b, &t, sizeof b);
  return (b & SIGN_BIT) ? ~b : b | SIGN_BIT;
}

static inline double
psimp_key_time (guint64 key)
{
  guint64 b = (key & SIGN_BIT) ? key & ~SIGN_BIT : ~key;
  double t;
  memcpy (&t, &b, sizeof t);
  return t;
}

#define EV_KIND_BITS 3
#define EV_KIND(e) ((guint) ((e)->seq_kind & ((1u << EV_KIND_BITS) - 1)))

/* A 4-ary min-heap on (t, seq_kind). psimp_heap_pop () leaves its slot
 * empty (hole) instead of moving the last event into it at once: the event
 * a handler schedules next then takes the slot with one sift down, which
 * spares a pop and a push their two passes. The order of events is
 * unchanged: keys are unique, any heap gives them in the same order. */
typedef struct {
  Event *a;
  guint n, cap;
  guint64 seq;
  gboolean hole; /* a[0] has been popped and not yet refilled */
} Heap;

static inline gboolean
psimp_ev_less (const Event *x, const Event *y)
{
  return ((EventOrder) x->key << 64 | x->seq_kind) < ((EventOrder) y->key << 64 | y->seq_kind);
}

static inline guint
psimp_heap_size (const Heap *h)
{
  return h->n - (guint) h->hole;
}

/* Puts @e at slot @i or below, where it belongs among a[i]'s subtree. */
static inline void
psimp_heap_sift_down (Heap *h, guint i, Event e)
{
  Event *a = h->a;
  guint n = h->n;
  for (;;)
    {
      guint c = 4 * i + 1;
      if (c >= n)
        break;
      guint m = c;
      if (c + 4 <= n)
        {
          /* the usual case, unrolled */
          guint m2 = psimp_ev_less (&a[c + 3], &a[c + 2]) ? c + 3 : c + 2;
          m = psimp_ev_less (&a[c + 1], &a[c]) ? c + 1 : c;
          if (psimp_ev_less (&a[m2], &a[m]))
            m = m2;
        }
      else
        for (guint k = c + 1; k < n; k++)
          if (psimp_ev_less (&a[k], &a[m]))
            m = k;
      if (!psimp_ev_less (&a[m], &e))
        break;
      a[i] = a[m];
      i = m;
    }
  a[i] = e;
}

/* Refills the hole with the last event. */
static inline void
psimp_heap_settle (Heap *h)
{
  if (!h->hole)
    return;
  h->hole = FALSE;
  Event last = h->a[--h->n];
  if (h->n > 0)
    psimp_heap_sift_down (h, 0, last);
}

/* Adds @e, which comes after every event popped so far. */
static inline void
psimp_heap_push_event (Heap *h, Event e)
{
  if (h->hole)
    {
      h->hole = FALSE;
      psimp_heap_sift_down (h, 0, e);
      return;
    }
  if (h->n == h->cap)
    {
      h->cap = h->cap ? 2 * h->cap : 64;
      h->a = g_renew (Event, h->a, h->cap);
    }
  guint i = h->n++;
  while (i > 0)
    {
      guint p = (i - 1) / 4;
      if (!psimp_ev_less (&e, &h->a[p]))
        break;
      h->a[i] = h->a[p];
      i = p;
    }
  h->a[i] = e;
}

static inline void
psimp_heap_push (Heap *h, double t, guint kind, gpointer item)
{
  Event e = { psimp_time_key (t), (h->seq++ << EV_KIND_BITS) | kind, item };
  psimp_heap_push_event (h, e);
}

/* The first event (the heap must not be empty). */
static inline Event
psimp_heap_pop (Heap *h)
{
  psimp_heap_settle (h);
  h->hole = TRUE;
  return h->a[0];
}

/* The event list of a replication: the heap, and beside it the events
 * scheduled for the very instant being run (a case filed as it arrives,
 * the branches of a split, a step without a duration). Those come after
 * every event of the heap at that instant (scheduled earlier, so first in
 * the order) and among themselves first scheduled, first out, so a queue
 * in the order they came gives them in the heap's order without its
 * passes. */
typedef struct {
  Heap heap;
  Event *now;         /* the instant's events, from now_head to now_n */
  guint now_head, now_n, now_cap;
  guint64 now_key;    /* the instant being run */
  /* One event of a later instant beside the heap, for a stream that has
   * one scheduled at a time (the next arrival): compared with the heap's
   * first instead of passing through it. */
  Event side;
  gboolean has_side;
} EventList;

static inline void
psimp_events_init (EventList *l)
{
  memset (l, 0, sizeof *l);
  l->now_key = 0; /* no time has this key (a negative NaN's) */
}

static inline guint
psimp_events_size (const EventList *l)
{
  return psimp_heap_size (&l->heap) + (l->now_n - l->now_head) + (guint) l->has_side;
}

/* The order number a queued event of the instant reports as its own
 * (psimp_events_seq ()): after every event of the heap at that instant. */
#define EVENTS_SEQ_NOW (G_MAXUINT64 >> EV_KIND_BITS)

static inline void
psimp_events_push (EventList *l, double t, guint kind, gpointer item)
{
  guint64 key = psimp_time_key (t);
  if (key != l->now_key)
    {
      Event e = { key, (l->heap.seq++ << EV_KIND_BITS) | kind, item };
      psimp_heap_push_event (&l->heap, e);
      return;
    }
  if (l->now_n == l->now_cap)
    {
      l->now_cap = l->now_cap ? 2 * l->now_cap : 16;
      l->now = g_renew (Event, l->now, l->now_cap);
    }
  l->now[l->now_n++] = (Event) { key, (EVENTS_SEQ_NOW << EV_KIND_BITS) | kind, item };
}

/* The order number the next event pushed for a later instant would take,
 * taken: the caller may push it later with psimp_events_push_seq (), or
 * never (no other event's order changes). */
static inline guint64
psimp_events_reserve_seq (EventList *l)
{
  return l->heap.seq++;
}

/* Pushes an event with an order number reserved earlier, at @t after the
 * event being run (a later instant, or the same one and a greater order
 * number than the event's; into the heap, which gives it before the
 * instant's queued events, all scheduled after the reservation). */
static inline void
psimp_events_push_seq (EventList *l, double t, guint64 seq, guint kind, gpointer item)
{
  Event e = { psimp_time_key (t), (seq << EV_KIND_BITS) | kind, item };
  psimp_heap_push_event (&l->heap, e);
}

/* The order number of event @e (EVENTS_SEQ_NOW for one queued for its
 * instant beside the heap). */
static inline guint64
psimp_events_seq (const Event *e)
{
  return e->seq_kind >> EV_KIND_BITS;
}

/* psimp_events_push () for the stream of the side event, which must be
 * free: the event takes the same order number, and waits beside the heap
 * unless it is for the instant being run. */
static inline void
psimp_events_push_side (EventList *l, double t, guint kind, gpointer item)
{
  guint64 key = psimp_time_key (t);
  if (key == l->now_key)
    {
      psimp_events_push (l, t, kind, item);
      return;
    }
  l->side = (Event) { key, (l->heap.seq++ << EV_KIND_BITS) | kind, item };
  l->has_side = TRUE;
}

/* The first event (the list must not be empty). */
static inline Event
psimp_events_pop (EventList *l)
{
  if (l->has_side)
    {
      psimp_heap_settle (&l->heap);
      if ((l->heap.n == 0 || psimp_ev_less (&l->side, &l->heap.a[0]))
          && !(l->now_head < l->now_n && l->side.key != l->now_key))
        {
          /* First: before the heap's, and before the instant's queued
           * events, or at their instant (scheduled before them). */
          l->has_side = FALSE;
          l->now_key = l->side.key;
          return l->side;
        }
    }
  if (l->now_head < l->now_n)
    {
      psimp_heap_settle (&l->heap);
      if (l->heap.n == 0 || l->heap.a[0].key != l->now_key)
        {
          Event e = l->now[l->now_head++];
          if (l->now_head == l->now_n)
            l->now_head = l->now_n = 0;
          return e;
        }
    }
  Event e = psimp_heap_pop (&l->heap);
  l->now_key = e.key;
  return e;
}

static inline void
psimp_events_clear (EventList *l)
{
  g_free (l->heap.a);
  g_free (l->now);
}

/* Blocks of one size for a run's tokens and cases: carved from chunks,
 * recycled through a free list, all given back with the run (also when it
 * stops on an error, whatever is still in flight). */
typedef struct {
  gsize size;      /* a multiple of 8, at least a pointer */
  GPtrArray *chunks;
  gpointer free;   /* released blocks, linked through their first word */
  char *next;      /* the unused rest of the newest chunk */
  guint left;      /* blocks there */
} Pool;

#define POOL_CHUNK_BLOCKS 256

static inline void
psimp_pool_init (Pool *p, gsize size)
{
  p->size = MAX ((size + 7) & ~(gsize) 7, sizeof (gpointer));
  p->chunks = g_ptr_array_new_with_free_func (g_free);
  p->free = NULL;
  p->next = NULL;
  p->left = 0;
}

static inline gpointer
psimp_pool_alloc (Pool *p)
{
  if (p->free != NULL)
    {
      gpointer b = p->free;
      p->free = *(gpointer *) b;
      return b;
    }
  if (p->left == 0)
    {
      p->next = g_malloc (p->size * POOL_CHUNK_BLOCKS);
      g_ptr_array_add (p->chunks, p->next);
      p->left = POOL_CHUNK_BLOCKS;
    }
  gpointer b = p->next;
  p->next += p->size;
  p->left--;
  return b;
}

static inline void
psimp_pool_release (Pool *p, gpointer b)
{
  *(gpointer *) b = p->free;
  p->free = b;
}

static inline void
psimp_pool_clear (Pool *p)
{
  g_ptr_array_unref (p->chunks);
}
