/* psim-load-frame.c — the builder's small vocabulary: attributes, numbers
 * and booleans as the schema has checked them, references, and the frames
 * of text elements.
 *
 * SAX2 hands attributes over as raw tuples and a text in pieces; the
 * files that build the model (psim-load-build.c, psim-load-process.c) read
 * them only through these helpers. A text element's frame collects its
 * characters and, when it closes, joins its list with its xml:lang, or is
 * reported without one. Frames are also named here for messages ("step
 * 'L3'"), one name for every file of the loader.
 */
#include "psim-load-private.h"

#include <errno.h>
#include <math.h>
#include <string.h>

/* ---- attributes ----------------------------------------------------------- */

gboolean
psimp_load_parse_number (const char *text, double *out)
{
  if (text == NULL)
    return FALSE;
  g_autofree char *t = g_strstrip (g_strdup (text));
  char *end = NULL;
  errno = 0;
  double v = g_ascii_strtod (t, &end);
  if (t[0] == '\0' || *end != '\0' || errno != 0 || !isfinite (v))
    return FALSE;
  *out = v;
  return TRUE;
}

/* xs:boolean: "true", "false", "1", "0"; -1 when absent or malformed. */
int
psimp_load_parse_boolean (const char *text)
{
  if (text == NULL)
    return -1;
  g_autofree char *t = g_strstrip (g_strdup (text));
  if (strcmp (t, "true") == 0 || strcmp (t, "1") == 0)
    return 1;
  if (strcmp (t, "false") == 0 || strcmp (t, "0") == 0)
    return 0;
  return -1;
}

/* The value of attribute @name in namespace @uri (NULL: none), or NULL.
 * Without entity substitution libxml2 leaves every '&' of a value as
 * "&#38;" for a later pass (which builds the tree, here absent): decode it.
 * (transfer full) */
char *
psimp_load_attr_ns (Attrs at, const char *uri, const char *name)
{
  for (int i = 0; i < at.n; i++)
    {
      const xmlChar **a = at.v + 5 * i;
      if (strcmp ((const char *) a[0], name) != 0
          || (uri == NULL ? a[2] != NULL : (a[2] == NULL || strcmp ((const char *) a[2], uri) != 0)))
        continue;
      char *value = g_strndup ((const char *) a[3], a[4] - a[3]);
      if (strstr (value, "&#38;") == NULL)
        return value;
      GString *decoded = g_string_new (value);
      g_string_replace (decoded, "&#38;", "&", 0);
      g_free (value);
      return g_string_free (decoded, FALSE);
    }
  return NULL;
}

char *
psimp_load_attr (Attrs at, const char *name)
{
  return psimp_load_attr_ns (at, NULL, name);
}

/* Every attribute without a namespace, name → value: for the simulation's
 * elements, read in psim-sim-load.c. (transfer full) */
GHashTable *
psimp_load_attr_table (Attrs at)
{
  GHashTable *t = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (int i = 0; i < at.n; i++)
    {
      const xmlChar **a = at.v + 5 * i;
      if (a[2] == NULL)
        g_hash_table_replace (t, g_strdup ((const char *) a[0]), psimp_load_attr (at, (const char *) a[0]));
    }
  return t;
}


/* ---- frames and texts ------------------------------------------------------- */

guint
psimp_load_current_line (const Builder *b)
{
  return b->ctxt->input != NULL && b->ctxt->input->line > 0 ? (guint) b->ctxt->input->line : 0;
}

/* A human name for what a frame builds: "step 'L3'", or "<branch>". */
char *
psimp_load_describe (const Frame *f)
{
  const char *id = NULL;
  switch (f->kind)
    {
    case F_PROCEDURE: id = ((PsimProcedure *) f->object)->id; break;
    case F_SOURCE: id = ((PsimSource *) f->object)->id; break;
    case F_LAW: id = ((PsimLaw *) f->object)->id; break;
    case F_PARAM: id = ((PsimParam *) f->object)->id; break;
    case F_ACTOR: id = ((PsimActor *) f->object)->id; break;
    case F_DOCUMENT: id = ((PsimDocument *) f->object)->id; break;
    case F_VARIANT: id = ((PsimVariant *) f->object)->id; break;
    case F_NODE: id = ((PsimNode *) f->object)->id; break;
    case F_LIMIT: id = f->object != NULL ? ((PsimLimit *) f->object)->id : NULL; break;
    default: break;
    }
  if (id != NULL)
    return g_strdup_printf ("%s '%s'", f->elem, id);
  return g_strdup_printf ("<%s>", f->elem);
}

Frame
psimp_load_text_frame (Builder *b, GPtrArray *texts, Attrs at)
{
  Frame f = { .kind = F_TEXT, .texts = texts };
  f.lang = psimp_load_attr_ns (at, (const char *) XML_XML_NAMESPACE, "lang");
  if (f.lang != NULL && f.lang[0] == '\0')
    {
      g_clear_pointer (&f.lang, g_free);
      f.lang_empty = TRUE;
    }
  g_string_truncate (b->text, 0);
  return f;
}

/* Ends a text element: its text, with the language, joins its list. */
void
psimp_load_end_text (Builder *b, Frame *f, const Frame *parent)
{
  PsimText *t = g_new0 (PsimText, 1);
  t->lang = g_steal_pointer (&f->lang);
  t->text = psim_collapse_space (b->text->str);
  if (t->lang == NULL)
    {
      g_autofree char *owner = psimp_load_describe (parent);
      psim_diag_add (b->ld->diags, PSIM_SEVERITY_ERROR, b->ld->file, f->line,
                     f->lang_empty
                         ? psim_gettext (b->ld->lang, "%s: <%s> has an empty xml:lang attribute")
                         : psim_gettext (b->ld->lang, "%s: <%s> has no xml:lang attribute"),
                     owner, f->elem);
    }
  g_ptr_array_add (f->texts, t);
}

void
psimp_load_set_ref (PsimRef *ref, Attrs at, const char *name, guint line)
{
  ref->id = psimp_load_attr (at, name);
  ref->line = line;
}
