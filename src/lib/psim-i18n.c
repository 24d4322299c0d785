/* psim-i18n.c — message catalogues looked up for an explicit language.
 *
 * The build compiles each po/LANG.po with msgfmt and embeds the .mo file in
 * the library's resources (/org/procsim/locale/LANG.mo). On the first
 * lookup for a language its catalogue is read into a hash table from msgid
 * (with "CONTEXT\004" in front when it has a context) to the translation,
 * once per process (g_once), and never changed after: lookups from any
 * number of threads then need no lock. The strings point into the resource
 * bytes, which live as long as the process.
 *
 * The .mo format (GNU gettext manual, "The Format of GNU MO Files"): a
 * header of 32-bit words in the file's byte order — magic 0x950412de,
 * revision, N, the offset of the originals' table and of the translations'
 * table — each table N pairs (length, offset). A plural entry's msgid is
 * "singular\0plural" and its translation the forms separated by NULs.
 */
#include "psim-private.h"

#include <procsim/psim-i18n.h>
#include "psim-resources.h"
#include <string.h>

#define MO_MAGIC 0x950412deu
#define MO_MAGIC_SWAPPED 0xde120495u

typedef struct {
  GBytes *bytes;        /* the .mo file, or NULL when there is none */
  GHashTable *messages; /* msgid → translation (both borrowed from bytes) */
  guint nplurals;       /* from the header's Plural-Forms; 2 when absent */
  gboolean one_form;    /* plural=0 (Vietnamese): the same form for every n */
} Catalogue;

static const char *const languages[] = { "en", "vi", NULL };

static guint32
read_word (const guint8 *data, gsize offset, gboolean swap)
{
  guint32 w;
  memcpy (&w, data + offset, sizeof w);
  return swap ? GUINT32_SWAP_LE_BE (w) : w;
}

/* Reads Plural-Forms from the header entry (the translation of ""). Only
 * the two shapes procsim's languages use are understood: one form for
 * every n, and English's n != 1. */
static void
read_plural_forms (Catalogue *cat, const char *header)
{
  const char *pf = header ? strstr (header, "Plural-Forms:") : NULL;
  cat->nplurals = 2;
  cat->one_form = FALSE;
  if (!pf)
    return;
  const char *np = strstr (pf, "nplurals=");
  if (np && np[9] == '1')
    {
      cat->nplurals = 1;
      cat->one_form = TRUE;
    }
}

/* Fills @cat from @bytes; a malformed file leaves it empty (English). The
 * catalogue is built by our own build, so this is a guard, not a parser
 * for hostile input — but it never reads outside the bytes. */
static void
catalogue_read (Catalogue *cat, GBytes *bytes)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  cat->messages = g_hash_table_new (g_str_hash, g_str_equal);
  cat->nplurals = 2;
  if (size < 28)
    return;
  guint32 magic;
  memcpy (&magic, data, sizeof magic);
  gboolean swap;
  if (magic == MO_MAGIC)
    swap = FALSE;
  else if (magic == MO_MAGIC_SWAPPED)
    swap = TRUE;
  else
    return;
  guint32 n = read_word (data, 8, swap);
  guint32 orig = read_word (data, 12, swap);
  guint32 trans = read_word (data, 16, swap);
  if (orig > size || trans > size || n > (size - orig) / 8 || n > (size - trans) / 8)
    return;
  cat->bytes = g_bytes_ref (bytes);
  for (guint32 i = 0; i < n; i++)
    {
      guint32 olen = read_word (data, orig + 8 * i, swap);
      guint32 ooff = read_word (data, orig + 8 * i + 4, swap);
      guint32 tlen = read_word (data, trans + 8 * i, swap);
      guint32 toff = read_word (data, trans + 8 * i + 4, swap);
      /* Each string is followed by a NUL the length does not count. */
      if (ooff >= size || olen >= size - ooff || toff >= size || tlen >= size - toff)
        continue;
      if (data[ooff + olen] != '\0' || data[toff + tlen] != '\0')
        continue;
      const char *msgid = (const char *) data + ooff;
      const char *msgstr = (const char *) data + toff;
      if (olen == 0)
        {
          read_plural_forms (cat, msgstr);
          continue;
        }
      if (tlen == 0)
        continue;
      g_hash_table_insert (cat->messages, (gpointer) msgid, (gpointer) msgstr);
    }
}

static Catalogue *
catalogue_load (const char *lang)
{
  Catalogue *cat = g_new0 (Catalogue, 1);
  g_autofree char *path = g_strdup_printf ("/org/procsim/locale/%s.mo", lang);
  g_autoptr (GBytes) bytes = g_resource_lookup_data (psim_resources_get_resource (), path,
                                                   G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  if (bytes)
    catalogue_read (cat, bytes);
  else
    cat->messages = g_hash_table_new (g_str_hash, g_str_equal);
  return cat;
}

/* One catalogue per language other than English, loaded on first use. */
static GOnce once_vi = G_ONCE_INIT;

static gpointer
load_vi (gpointer data)
{
  return catalogue_load ("vi");
}

static const Catalogue *
catalogue_for (const char *lang)
{
  const char *l = psim_lang_normalize (lang);
  if (strcmp (l, "vi") == 0)
    return g_once (&once_vi, load_vi, NULL);
  return NULL;
}

const char *
psim_lang_normalize (const char *tag)
{
  if (!tag || !*tag)
    return "en";
  /* The primary subtag: up to '-', '_', '.' or '@', case-insensitive. */
  gsize len = strcspn (tag, "-_.@");
  for (const char *const *l = languages; *l; l++)
    if (len == strlen (*l) && g_ascii_strncasecmp (tag, *l, len) == 0)
      return *l;
  return "en";
}

gboolean
psim_lang_is_supported (const char *tag)
{
  if (!tag || !*tag)
    return FALSE;
  gsize len = strcspn (tag, "-_.@");
  for (const char *const *l = languages; *l; l++)
    if (len == strlen (*l) && g_ascii_strncasecmp (tag, *l, len) == 0)
      return TRUE;
  return FALSE;
}

const char *const *
psim_lang_get_all (void)
{
  return languages;
}

const char *
psim_gettext (const char *lang, const char *msgid)
{
  g_return_val_if_fail (msgid != NULL, NULL);
  const Catalogue *cat = catalogue_for (lang);
  if (!cat || !*msgid)
    return msgid;
  const char *t = g_hash_table_lookup (cat->messages, msgid);
  return t ? t : msgid;
}

const char *
psim_ngettext (const char *lang, const char *msgid, const char *msgid_plural, gulong n)
{
  g_return_val_if_fail (msgid != NULL && msgid_plural != NULL, NULL);
  const Catalogue *cat = catalogue_for (lang);
  if (cat)
    {
      /* The key of a plural entry is "singular\0plural": looked up by the
       * singular alone, since the hash stops at the first NUL. */
      const char *t = g_hash_table_lookup (cat->messages, msgid);
      if (t)
        {
          guint form = cat->one_form ? 0 : (n == 1 ? 0 : 1);
          for (guint i = 0; i < form && i + 1 < cat->nplurals; i++)
            t += strlen (t) + 1;
          return t;
        }
    }
  return n == 1 ? msgid : msgid_plural;
}

const char *
psim_pgettext (const char *lang, const char *context, const char *msgid)
{
  g_return_val_if_fail (context != NULL && msgid != NULL, NULL);
  const Catalogue *cat = catalogue_for (lang);
  if (!cat)
    return msgid;
  g_autofree char *key = g_strconcat (context, "\004", msgid, NULL);
  const char *t = g_hash_table_lookup (cat->messages, key);
  return t ? t : msgid;
}

const char *
psim_lang_from_accept_language (const char *header, const char *fallback)
{
  if (!header)
    return fallback;
  const char *best = NULL;
  double best_q = 0.0;
  g_auto (GStrv) items = g_strsplit (header, ",", 32);
  for (guint i = 0; items[i]; i++)
    {
      g_auto (GStrv) parts = g_strsplit (items[i], ";", 8);
      g_autofree char *tag = g_strstrip (g_strdup (parts[0] ? parts[0] : ""));
      double q = 1.0;
      for (guint j = 1; parts[j]; j++)
        {
          const char *p = parts[j];
          while (*p == ' ')
            p++;
          if (g_str_has_prefix (p, "q="))
            {
              char *end = NULL;
              q = g_ascii_strtod (p + 2, &end);
              if (end == p + 2 || q < 0.0 || q > 1.0)
                q = 0.0;
            }
        }
      /* Earlier items win ties, as the header lists them by preference. */
      if (q > best_q && psim_lang_is_supported (tag))
        {
          best = psim_lang_normalize (tag);
          best_q = q;
        }
    }
  return best ? best : fallback;
}
