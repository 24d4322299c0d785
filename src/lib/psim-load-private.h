/* psim-load-private.h — what the files of the procedure loader share, and
 * nothing else includes.
 *
 * The loader is five files, each using only those after it: psim-load.c
 * (the loader object, the order of the stages, the findings sorted),
 * psim-load-parse.c (the parse with the schema validator plugged in,
 * libxml2's messages), psim-load-build.c (the elements of a procedure
 * outside its processes), psim-load-process.c (a variant's process: nodes,
 * steps, fees, branches, durations) and psim-load-frame.c (attributes,
 * references, text elements, names for messages).
 */
#pragma once

#include "psim-private.h"
#include "psim-xml-private.h"

#define PSIM_NS "urn:procsim:procedure:1"
/* Past this many findings in one file, stop collecting: a generated file
 * with a systematic mistake must not produce gigabytes of messages. */
#define MAX_DIAGNOSTICS 1000

/* State of one load, reachable from libxml2's callbacks. */
typedef struct {
  const char *file;
  const char *lang; /* the language of the diagnostics */
  GPtrArray *diags;
  gboolean doctype;
  gboolean truncated;
  gboolean stopped; /* we ended the parse (a foreign root): nothing more to say */
  guint schema_errors;
} Load;

/* SAX2 gives attributes as (localname, prefix, URI, value, end) tuples. */
typedef struct {
  const xmlChar **v;
  int n;
} Attrs;

/* The parse builds the model as it goes, with the schema validator plugged
 * into the same event stream: there is no document tree. The builder keeps
 * a stack of open elements, each knowing what it builds. On an invalid
 * file the partial model is dropped, so the builder only has to be safe on
 * structure the schema rejects, not meaningful. */

typedef enum {
  F_IGNORE,
  F_PROCEDURE,
  F_SOURCES,
  F_SOURCE,
  F_LAWS,
  F_LAW,
  F_CASE_DATA,
  F_PARAM,
  F_OPTION,
  F_ACTORS,
  F_ACTOR,
  F_DOCUMENTS,
  F_DOCUMENT,
  F_VARIANT,
  F_PROCESS,
  F_NODE,
  F_BRANCH,
  F_FEE,
  F_LIMIT,
  F_TEXT,
  F_COST_MODEL,
  F_SIMULATION,
} FrameKind;

typedef struct {
  FrameKind kind;
  const char *elem; /* local name, from the parser's dictionary */
  gpointer object;  /* what the element builds */
  GPtrArray *texts; /* F_TEXT: where its text goes */
  char *lang;       /* F_TEXT: its xml:lang, or NULL */
  gboolean lang_empty;
  guint line;
} Frame;

typedef struct {
  Load *ld;
  xmlParserCtxtPtr ctxt;
  PsimExprContext *expr;
  PsimProcedure *proc;
  GArray *frames;
  GString *text; /* characters of the open text element */
  GHashTable *exprs; /* source → PsimExpr (borrowed): one compile per formula */
  gboolean root_ok;
  /* Line of the element that has just closed, until the next event: the
   * validator checks an element's content when it closes, and its findings
   * belong on the element's line, not on its end tag's. */
  guint closing_line;
} Builder;

/* ---- the parse (psim-load-parse.c) ------------------------------------------ */

/* Parses and validates @data against @schema in one pass, building the
 * model into @proc. Returns FALSE when the file is not well formed, not a
 * procedure or not valid (all reported in ld->diags). */
gboolean psimp_load_parse (xmlSchema *schema, PsimExprContext *expr, Load *ld, const char *data,
                           gsize size, PsimProcedure *proc);

/* ---- attributes, texts, names (psim-load-frame.c) ------------------------------ */

/* A decimal (an xs:decimal or xs:double the schema has checked); FALSE,
 * @out untouched, when @text is NULL or not a finite number. */
gboolean psimp_load_parse_number (const char *text, double *out);
/* xs:boolean: "true", "false", "1", "0"; -1 when absent or malformed. */
int psimp_load_parse_boolean (const char *text);
/* The value of attribute @name in namespace @uri (NULL: none), or NULL.
 * (transfer full) */
char *psimp_load_attr_ns (Attrs at, const char *uri, const char *name);
/* The value of attribute @name without a namespace, or NULL. (transfer full) */
char *psimp_load_attr (Attrs at, const char *name);
/* Every attribute without a namespace, name → value. (transfer full) */
GHashTable *psimp_load_attr_table (Attrs at);
/* Sets @ref to the id in attribute @name, at @line. */
void psimp_load_set_ref (PsimRef *ref, Attrs at, const char *name, guint line);
/* The line the parser is at. */
guint psimp_load_current_line (const Builder *b);
/* A human name for what a frame builds: "step 'L3'", or "<branch>".
 * (transfer full) */
char *psimp_load_describe (const Frame *f);
/* A frame for a text element whose text goes to @texts. */
Frame psimp_load_text_frame (Builder *b, GPtrArray *texts, Attrs at);
/* Ends a text element: its text, with the language, joins its list. */
void psimp_load_end_text (Builder *b, Frame *f, const Frame *parent);

/* ---- the procedure's elements (psim-load-build.c) ------------------------------ */

/* What element @name, child of @parent, builds. */
Frame psimp_load_child_frame (Builder *b, Frame *parent, const char *name, Attrs at, guint line);

/* ---- the process (psim-load-process.c) ---------------------------------------- */

/* A node of @v's process, element @name. (transfer none: @v owns it) */
PsimNode *psimp_load_node_new (Builder *b, PsimVariant *v, const char *name, Attrs at, guint line);
/* A <branch> of choice or split @n. (transfer none: @n owns it) */
PsimBranch *psimp_load_branch_new (Builder *b, PsimNode *n, Attrs at, guint line,
                                   const Frame *owner);
/* A variant's <time-limit> (the whole procedure's; at most one) or
 * <duty>, and what a child of one builds. The frame's object is NULL for
 * a second <time-limit> (reported). */
Frame psimp_load_limit_frame (Builder *b, Frame *variant, const char *name, Attrs at, guint line);
Frame psimp_load_limit_child (Builder *b, Frame *parent, const char *name, Attrs at, guint line);
/* What a child element of a step builds. */
Frame psimp_load_step_child (Builder *b, Frame *parent, const char *name, Attrs at, guint line);
