/* psim-gen.c — see psim-gen.h. */
#include "psim-gen.h"

static void
step (GString *s, guint i, const char *extra)
{
  static const char *const actors[] = { "office", "tax", "bank", "citizen" };
  static const char *const channels[] = { "in-person", "online", "inter-agency", "post" };
  g_string_append_printf (
    s,
    "      <step id=\"s%u\" actor=\"%s\" channel=\"%s\"%s>\n"
    "        <name xml:lang=\"en\">Step %u</name>\n"
    "        <name xml:lang=\"vi\">Bước %u</name>\n"
    "        <instructions xml:lang=\"en\">Bring the dossier to desk %u.</instructions>\n"
    "        <duration unit=\"working-days\" min=\"1\" likely=\"2\" max=\"%u\" basis=\"estimated\"/>\n"
    "        <fee kind=\"fee\" expr=\"($price &lt;= 1000000000) * 50000 + ($price &gt; 1000000000) * %u\" basis=\"estimated\">"
    "<name xml:lang=\"en\">Fee</name><name xml:lang=\"vi\">Lệ phí</name></fee>\n"
    "      </step>\n",
    i, actors[i % 4], channels[i % 4], extra, i, i, i, 3 + i % 5, 1000 * (i % 97));
}

char *
psim_gen_procedure (guint n_steps)
{
  GString *s = g_string_new (
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<procedure xmlns=\"urn:procsim:procedure:1\" id=\"generated\" version=\"1\" "
    "date=\"2025-01-01\" jurisdiction=\"VN-HN\">\n"
    "  <title xml:lang=\"en\">Generated procedure</title>\n"
    "  <title xml:lang=\"vi\">Thủ tục sinh tự động</title>\n"
    "  <case-data>\n"
    "    <param id=\"price\" type=\"number\" unit=\"VND\" default=\"2000000000\">"
    "<label xml:lang=\"en\">Price</label></param>\n"
    "    <param id=\"urgent\" type=\"boolean\" default=\"false\">"
    "<label xml:lang=\"en\">Urgent</label></param>\n"
    "  </case-data>\n"
    "  <actors>\n"
    "    <actor id=\"citizen\" kind=\"applicant\"><name xml:lang=\"en\">Citizen</name></actor>\n"
    "    <actor id=\"office\" kind=\"agency\"><name xml:lang=\"en\">Office</name></actor>\n"
    "    <actor id=\"tax\" kind=\"agency\"><name xml:lang=\"en\">Tax office</name></actor>\n"
    "    <actor id=\"bank\" kind=\"intermediary\"><name xml:lang=\"en\">Bank</name></actor>\n"
    "  </actors>\n"
    "  <variant id=\"main\">\n"
    "    <title xml:lang=\"en\">Main</title>\n"
    "    <process>\n"
    "      <start/>\n");
  for (guint i = 1; i <= n_steps; i++)
    {
      if (i % 50 == 10 && i + 2 <= n_steps)
        {
          /* s(i) and s(i+1) in parallel. */
          g_string_append_printf (s,
                                  "      <split id=\"p%u\" join=\"j%u\"><branch to=\"s%u\"/>"
                                  "<branch to=\"s%u\"/></split>\n",
                                  i, i, i, i + 1);
          g_autofree char *next = g_strdup_printf (" next=\"j%u\"", i);
          step (s, i, next);
          step (s, i + 1, next);
          g_string_append_printf (s, "      <join id=\"j%u\"/>\n", i);
          i++;
          continue;
        }
      step (s, i, "");
      if (i % 50 == 30 && i < n_steps)
        /* A correction loop: most dossiers pass, some go back one step. */
        g_string_append_printf (s,
                                "      <choice id=\"c%u\">\n"
                                "        <branch to=\"s%u\" probability=\"0.9\"/>\n"
                                "        <branch to=\"s%u\" probability=\"0.1\" />\n"
                                "      </choice>\n",
                                i, i + 1, i);
    }
  g_string_append (s, "      <end/>\n    </process>\n  </variant>\n</procedure>\n");
  return g_string_free (s, FALSE);
}

char *
psim_gen_nested_splits (guint depth)
{
  GString *s = g_string_new (
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<procedure xmlns=\"urn:procsim:procedure:1\" id=\"nested\" version=\"1\" "
    "date=\"2025-01-01\" jurisdiction=\"VN-HN\">\n"
    "  <title xml:lang=\"en\">Nested splits</title>\n"
    "  <actors><actor id=\"office\" kind=\"agency\"><name xml:lang=\"en\">Office</name>"
    "</actor></actors>\n"
    "  <variant id=\"v\"><title xml:lang=\"en\">V</title>\n"
    "    <process>\n"
    "      <start next=\"p1\"/>\n");
  for (guint k = 1; k <= depth; k++)
    {
      g_string_append_printf (s, "      <split id=\"p%u\" join=\"j%u\"><branch to=\"%s%u\"/>"
                              "<branch to=\"b%u\"/></split>\n",
                              k, k, k < depth ? "p" : "b", k < depth ? k + 1 : k + depth, k);
      g_string_append_printf (s, "      <step id=\"b%u\" actor=\"office\" channel=\"online\" "
                              "next=\"j%u\"><name xml:lang=\"en\">B</name>"
                              "<duration unit=\"hours\" value=\"1\" basis=\"estimated\"/>"
                              "</step>\n",
                              k, k);
    }
  /* The innermost split's first branch: one more step. */
  g_string_append_printf (s, "      <step id=\"b%u\" actor=\"office\" channel=\"online\" "
                          "next=\"j%u\"><name xml:lang=\"en\">B</name></step>\n",
                          2 * depth, depth);
  for (guint k = depth; k >= 1; k--)
    g_string_append_printf (s, "      <join id=\"j%u\" next=\"%s%u\"/>\n", k,
                            k > 1 ? "j" : "end", k > 1 ? k - 1 : 0);
  g_string_append (s, "      <end id=\"end0\"/>\n    </process>\n  </variant>\n</procedure>\n");
  return g_string_free (s, FALSE);
}

char *
psim_gen_jumps (guint n)
{
  GString *s = g_string_new (
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<procedure xmlns=\"urn:procsim:procedure:1\" id=\"jumps\" version=\"1\" "
    "date=\"2025-01-01\" jurisdiction=\"VN-HN\">\n"
    "  <title xml:lang=\"en\">Jumps</title>\n"
    "  <actors><actor id=\"office\" kind=\"agency\"><name xml:lang=\"en\">Office</name>"
    "</actor></actors>\n"
    "  <variant id=\"main\"><title xml:lang=\"en\">Main</title>\n"
    "    <process>\n"
    "      <start/>\n");
  for (guint i = 0; i <= n; i++)
    {
      g_string_append_printf (s, "      <step id=\"a%u\" actor=\"office\" channel=\"online\">"
                              "<name xml:lang=\"en\">Step %u</name>"
                              "<duration unit=\"hours\" value=\"1\" basis=\"estimated\"/>"
                              "</step>\n",
                              i, i);
      if (i < n)
        g_string_append_printf (s, "      <choice id=\"c%u\"><branch to=\"a%u\" probability=\"0.5\"/>"
                                "<branch to=\"a%u\" probability=\"0.25\"/>"
                                "<branch to=\"a%u\" probability=\"0.25\"/></choice>\n",
                                i, i + 1, (i * 37 + 11) % n, (i * 13 + 5) % n);
    }
  g_string_append (s, "      <end/>\n    </process>\n  </variant>\n</procedure>\n");
  return g_string_free (s, FALSE);
}
