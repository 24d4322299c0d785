/* psim-test-formats.c — what the tests of the machine formats share:
 * running procsim, an RFC 4180 CSV reader, and the check that an HTML
 * report is self-contained.
 */
#include "psim-test-formats.h"

#include <libxml/parser.h>
#include <string.h>
#include <sys/wait.h>

char *
psim_test_run_procsim (const char *const *args)
{
  const char *root = g_getenv ("PSIM_SOURCE_ROOT");
  g_autoptr (GPtrArray) argv = psim_test_procsim_argv (args);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int wait = 0;
  if (!g_spawn_sync (root, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                     &wait, NULL))
    return NULL;
  if (!WIFEXITED (wait) || WEXITSTATUS (wait) != 0)
    {
      g_autofree char *line = g_strjoinv (" ", (char **) argv->pdata + 1);
      g_printerr ("\nprocsim %s failed:\n%s\n", line, err);
      return NULL;
    }
  return g_steal_pointer (&out);
}

/* RFC 4180: rows of fields, CRLF (or LF) between rows, quoted fields with
 * doubled quotes. */
GPtrArray *
psim_test_csv_read (const char *text)
{
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  GPtrArray *row = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GString) field = g_string_new (NULL);
  const char *p = text;
  while (*p != '\0')
    {
      if (*p == '"' && field->len == 0)
        {
          for (p++;; p++)
            {
              if (*p == '\0')
                {
                  g_ptr_array_unref (row);
                  return NULL;
                }
              if (*p == '"' && p[1] == '"')
                g_string_append_c (field, *p++);
              else if (*p == '"')
                break;
              else
                g_string_append_c (field, *p);
            }
          p++;
          if (*p != ',' && *p != '\r' && *p != '\n' && *p != '\0')
            {
              g_ptr_array_unref (row);
              return NULL;
            }
          continue;
        }
      if (*p == '"')
        {
          g_ptr_array_unref (row);
          return NULL;
        }
      if (*p == ',' || *p == '\r' || *p == '\n')
        {
          g_ptr_array_add (row, g_strdup (field->str));
          g_string_truncate (field, 0);
          if (*p != ',')
            {
              g_ptr_array_add (rows, row);
              row = g_ptr_array_new_with_free_func (g_free);
              if (*p == '\r' && p[1] == '\n')
                p++;
            }
          p++;
          continue;
        }
      g_string_append_c (field, *p++);
    }
  if (field->len > 0 || row->len > 0)
    {
      g_ptr_array_add (row, g_strdup (field->str));
      g_ptr_array_add (rows, row);
    }
  else
    g_ptr_array_unref (row);
  return g_steal_pointer (&rows);
}

/* Every attribute that could fetch something (href, src, xlink:href…)
 * points inside the file, and there is no <script>. */
void
psim_test_check_self_contained (xmlNode *node, guint *elements)
{
  for (xmlNode *n = node; n != NULL; n = n->next)
    {
      if (n->type != XML_ELEMENT_NODE)
        continue;
      (*elements)++;
      CU_ASSERT (g_ascii_strcasecmp ((const char *) n->name, "script") != 0);
      CU_ASSERT (g_ascii_strcasecmp ((const char *) n->name, "link") != 0);
      CU_ASSERT (g_ascii_strcasecmp ((const char *) n->name, "iframe") != 0);
      for (xmlAttr *a = n->properties; a != NULL; a = a->next)
        {
          const char *name = (const char *) a->name;
          if (strcmp (name, "href") != 0 && strcmp (name, "src") != 0
              && strcmp (name, "srcset") != 0 && strcmp (name, "data") != 0)
            continue;
          g_autofree char *v = (char *) xmlNodeGetContent ((xmlNode *) a);
          if (v[0] != '#')
            g_printerr ("\nexternal reference: %s=\"%s\"\n", name, v);
          CU_ASSERT (v[0] == '#');
        }
      psim_test_check_self_contained (n->children, elements);
    }
}


void
psim_test_check_html (const char *html, const char *lang, const char *what)
{
  xmlDoc *doc = xmlReadMemory (html, (int) strlen (html), "report.html", "UTF-8",
                               XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (doc == NULL)
    {
      g_printerr ("\n%s (%s): the HTML is not well-formed\n", what, lang);
      CU_FAIL ("HTML not well-formed");
      return;
    }
  xmlNode *root = xmlDocGetRootElement (doc);
  CU_ASSERT_STRING_EQUAL ((const char *) root->name, "html");
  g_autofree char *root_lang = (char *) xmlGetProp (root, (const xmlChar *) "lang");
  CU_ASSERT_STRING_EQUAL (root_lang, lang);
  guint elements = 0;
  psim_test_check_self_contained (root, &elements);
  CU_ASSERT (elements > 50);
  CU_ASSERT_PTR_NULL (strstr (html, "<script"));
  CU_ASSERT_PTR_NULL (strstr (html, "https://"));
  xmlFreeDoc (doc);
}
