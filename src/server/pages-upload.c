/* pages-upload.c — a trainer adds a scenario: the scenario file and,
 * the procedure it names, sent as one form (at most
 * 1 MiB, ROUTE_UPLOAD). They are written to a fresh folder under the
 * server's upload folder and read by the same hardened loader as the
 * command line, its diagnostics in the trainer's language; each is shown
 * with the line it is about. A scenario without errors joins the
 * catalogue at once and at every later start.
 */
#include "groups.h"
#include "view.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#define _(msgid) psim_gettext (lang, msgid)

static void
upload_form (GString *p, Req *req)
{
  const char *lang = req->lang;
  g_string_append (p, "<form method=\"post\" action=\"/trainer/upload\" class=\"upload\" "
                      "enctype=\"multipart/form-data\">\n");
  html_csrf_field (req, p);
  g_string_append (p, "<p><label for=\"scenario\">");
  html_escape (p, _("Scenario file (XML)"));
  g_string_append (p, "</label><input type=\"file\" id=\"scenario\" name=\"scenario\" "
                      "accept=\".xml,application/xml,text/xml\" required></p>\n"
                      "<p><label for=\"procedure\">");
  html_escape (p, _("The procedure file (XML) it names"));
  g_string_append (p, "</label><input type=\"file\" id=\"procedure\" name=\"procedure\" "
                      "accept=\".xml,application/xml,text/xml\"></p>\n");
  g_autoptr (GError) error = NULL;
  if (!groups_fieldset (p, req, NULL, &error))
    g_warning ("scenario groups: %s", error->message);
  g_string_append (p, "<p class=\"meta\">");
  html_escape (p, _("At most 1 MiB in all. The files are checked as `procsim validate` checks "
                    "them; every problem is shown with its line."));
  g_string_append (p, "</p>\n<p><button type=\"submit\" class=\"primary\">");
  html_escape (p, _("Check and add"));
  g_string_append (p, "</button></p>\n</form>\n");
}

static void
upload_page (Req *req)
{
  const char *lang = req->lang;
  GString *p = html_page_begin (req, _("Upload a scenario"));
  upload_form (p, req);
  html_page_end (req, p, SOUP_STATUS_OK);
}

/* A name the browser gave, reduced to letters, digits, '.', '_' and '-',
 * ending in ".xml"; @fallback when nothing is left. (transfer full) */
static char *
safe_name (const char *name, const char *fallback)
{
  g_autofree char *base = g_path_get_basename (name != NULL && *name != '\0' ? name : fallback);
  for (char *c = base; *c != '\0'; c++)
    if (!g_ascii_isalnum (*c) && strchr ("._-", *c) == NULL)
      *c = '_';
  if (base[0] == '.' || !g_str_has_suffix (base, ".xml") || strlen (base) > 100)
    return g_strdup (fallback);
  return g_steal_pointer (&base);
}

/* Line @line (from 1) of @data, without its end. (transfer full) (nullable) */
static char *
line_of (GBytes *data, guint line)
{
  gsize n = 0;
  const char *text = g_bytes_get_data (data, &n);
  const char *end = text + n;
  for (guint i = 1; i < line && text < end; i++)
    {
      const char *nl = memchr (text, '\n', end - text);
      if (nl == NULL)
        return NULL;
      text = nl + 1;
    }
  if (text >= end)
    return NULL;
  const char *nl = memchr (text, '\n', end - text);
  gsize len = (nl != NULL ? nl : end) - text;
  if (len > 0 && text[len - 1] == '\r')
    len--;
  if (!g_utf8_validate (text, (gssize) len, NULL))
    return NULL;
  return g_strndup (text, MIN (len, 400));
}

typedef struct {
  const char *name; /* the safe name it was written under */
  const Upload *upload;
} Sent;

static void
show_diagnostics (GString *p, const GPtrArray *diags, const Sent *sent, guint n_sent,
                  const char *lang)
{
  g_string_append (p, "<ul class=\"diagnostics\">\n");
  for (guint i = 0; i < diags->len; i++)
    {
      const PsimDiagnostic *d = g_ptr_array_index (diags, i);
      /* Only the file's own name: the folder is the server's business. */
      g_autofree char *base = g_path_get_basename (d->file != NULL ? d->file : "?");
      PsimDiagnostic shown = *d;
      shown.file = base;
      g_autofree char *text = psim_diagnostic_to_string (&shown, lang);
      g_string_append_printf (p, "<li class=\"%s\">",
                              d->severity == PSIM_SEVERITY_ERROR ? "error" : "warning");
      html_escape (p, text);
      for (guint k = 0; k < n_sent && d->line > 0; k++)
        {
          if (sent[k].upload == NULL || strcmp (sent[k].name, base) != 0)
            continue;
          g_autofree char *line = line_of (sent[k].upload->data, d->line);
          if (line == NULL)
            continue;
          g_autofree char *label = g_strdup_printf (_("Line %u:"), d->line);
          g_string_append (p, "<pre><code>");
          html_escape (p, label);
          g_string_append_c (p, ' ');
          html_escape (p, line);
          g_string_append (p, "</code></pre>");
        }
      g_string_append (p, "</li>\n");
    }
  g_string_append (p, "</ul>\n");
}

static gboolean
write_file (const char *dir, const char *name, GBytes *data, GError **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  gsize n = 0;
  const char *bytes = g_bytes_get_data (data, &n);
  return g_file_set_contents_full (path, bytes, (gssize) n, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                   error);
}

static void
upload_post (Req *req)
{
  const char *lang = req->lang;
  const Upload *scenario = req_file (req, "scenario");
  const Upload *procedure = req_file (req, "procedure");
  if (procedure != NULL && g_bytes_get_size (procedure->data) == 0)
    procedure = NULL; /* the field left empty */
  if (scenario == NULL || g_bytes_get_size (scenario->data) == 0)
    {
      reply_error (req, SOUP_STATUS_BAD_REQUEST, _("Please choose a scenario file."));
      return;
    }
  g_autoptr (GError) bad_groups = NULL;
  g_auto (GStrv) groups = groups_from_form (req, &bad_groups);
  if (groups == NULL)
    {
      reply_error (req, SOUP_STATUS_BAD_REQUEST, bad_groups->message);
      return;
    }
  Sent sent[2] = { { NULL, scenario }, { NULL, procedure } };
  g_autofree char *scenario_name = safe_name (scenario->filename, "scenario.xml");
  g_autofree char *procedure_name = procedure != NULL ? safe_name (procedure->filename,
                                                                   "procedure.xml")
                                                      : NULL;
  if (procedure_name != NULL && strcmp (procedure_name, scenario_name) == 0)
    {
      g_free (procedure_name);
      procedure_name = g_strdup (strcmp (scenario_name, "procedure.xml") == 0 ? "procedure-1.xml"
                                                                             : "procedure.xml");
    }
  sent[0].name = scenario_name;
  sent[1].name = procedure_name;

  /* A fresh folder beside the others, renamed to the scenario's id when
   * the files are good: a half-written upload is never in the catalogue. */
  const char *uploads = srv_get_upload_dir (req->srv);
  g_autoptr (GError) error = NULL;
  g_autofree char *tmpl = g_build_filename (uploads, ".upload-XXXXXX", NULL);
  g_autofree char *dir = g_strdup (tmpl);
  if (g_mkdir_with_parents (uploads, 0700) != 0 || g_mkdtemp_full (dir, 0700) == NULL)
    g_clear_pointer (&dir, g_free);
  if (dir == NULL || !write_file (dir, scenario_name, scenario->data, &error)
      || (procedure != NULL && !write_file (dir, procedure_name, procedure->data, &error)))
    {
      g_warning ("upload into %s: %s", uploads, error != NULL ? error->message : g_strerror (errno));
      if (dir != NULL)
        srv_remove_upload_dir (dir);
      reply_error (req, SOUP_STATUS_SERVICE_UNAVAILABLE,
                   _("The server cannot keep the files now. Please try again later."));
      return;
    }
  g_autoptr (PsimLoader) loader = psim_loader_new (NULL);
  g_autoptr (GPtrArray) diags = psim_diagnostics_new ();
  g_autoptr (PsimScenario) sc = NULL;
  g_autofree char *path = g_build_filename (dir, scenario_name, NULL);
  const char *problem = NULL;
  if (loader == NULL)
    problem = _("The server cannot check scenarios now.");
  else
    {
      psim_loader_set_language (loader, lang);
      if (!psim_file_is_scenario (path))
        problem = _("This is not a procsim scenario file: its root element must be "
                    "<scenario> in the procsim scenario namespace.");
      else
        sc = psim_scenario_load_file (loader, path, diags, NULL);
    }
  if (sc != NULL)
    {
      /* The procedure must be one sent with it or a bundled one: never
       * another file of the server's. */
      g_autofree char *proc_dir = g_path_get_dirname (
        psim_procedure_get_file (psim_scenario_get_procedure (sc)));
      if (strcmp (proc_dir, dir) != 0)
        problem = _("The scenario's procedure must be uploaded with it.");
      else if (srv_get_scenario (req->srv, psim_scenario_get_id (sc)) != NULL)
        problem = _("A scenario with this id is already in the catalogue: give the new one "
                    "another id.");
    }
  if (sc != NULL && problem == NULL)
    {
      /* Kept in the database before anyone is told, so that every server
       * offers it (serve.c's srv_sync_uploads) and it survives this one's
       * disk; the folder below is this server's copy. */
      g_autofree char *used = g_path_get_basename (
        psim_procedure_get_file (psim_scenario_get_procedure (sc)));
      gboolean sent_procedure = procedure_name != NULL && strcmp (used, procedure_name) == 0;
      DbUpload row = {
        .scenario = (char *) psim_scenario_get_id (sc),
        .scenario_name = scenario_name,
        .scenario_file = scenario->data,
        .procedure_name = sent_procedure ? procedure_name : NULL,
        .procedure_file = sent_procedure ? procedure->data : NULL,
        .user = req->user->name,
        .uploaded = g_get_real_time (),
      };
      g_autoptr (GError) db_error = NULL;
      if (!db_add_upload (srv_get_db (req->srv), &row, &db_error))
        {
          if (!g_error_matches (db_error, DB_ERROR, DB_ERROR_EXISTS))
            {
              g_warning ("upload of %s: %s", psim_scenario_get_id (sc), db_error->message);
              srv_remove_upload_dir (dir);
              reply_error (req, SOUP_STATUS_SERVICE_UNAVAILABLE,
                           _("The server cannot keep the files now. Please try again later."));
              return;
            }
          problem = _("A scenario with this id is already in the catalogue: give the new one "
                      "another id.");
        }
    }
  if (sc == NULL || problem != NULL)
    {
      srv_remove_upload_dir (dir);
      GString *p = html_page_begin (req, _("Upload a scenario"));
      g_string_append (p, "<section aria-labelledby=\"problems\"><h2 id=\"problems\">");
      html_escape (p, _("The scenario was not added"));
      g_string_append (p, "</h2>\n");
      if (problem != NULL)
        view_tag (p, "p role=\"alert\"", problem);
      if (diags->len > 0)
        show_diagnostics (p, diags, sent, G_N_ELEMENTS (sent), lang);
      g_string_append (p, "</section>\n");
      upload_form (p, req);
      html_page_end (req, p, SOUP_STATUS_UNPROCESSABLE_ENTITY);
      return;
    }
  /* Good: its folder is named after it, and it is loaded from there (the
   * checkpoints of its sessions name that file). */
  g_autofree char *final = g_build_filename (uploads, psim_scenario_get_id (sc), NULL);
  g_autofree char *final_path = g_build_filename (final, scenario_name, NULL);
  g_autoptr (PsimScenario) kept = NULL;
  if (g_rename (dir, final) != 0)
    srv_remove_upload_dir (dir);
  else if ((kept = psim_scenario_load_file (loader, final_path, NULL, &error)) == NULL)
    srv_remove_upload_dir (final);
  if (kept == NULL)
    {
      g_warning ("upload of %s: %s", psim_scenario_get_id (sc),
                 error != NULL ? error->message : g_strerror (errno));
      /* Not offered after all: its row goes too, or the next sync (here
       * or on another server) would offer what the trainer was told
       * failed. */
      g_autoptr (GError) undo = NULL;
      if (!db_remove_upload (srv_get_db (req->srv), psim_scenario_get_id (sc), &undo))
        g_warning ("upload of %s: its row stays: %s", psim_scenario_get_id (sc), undo->message);
      reply_error (req, SOUP_STATUS_SERVICE_UNAVAILABLE,
                   _("The server cannot keep the files now. Please try again later."));
      return;
    }
  /* Offered to the groups chosen before anyone sees it; a scenario whose
   * groups could not be kept is kept without groups (every trainee),
   * and the page says so. */
  gboolean grouped = db_set_scenario_groups (srv_get_db (req->srv), psim_scenario_get_id (kept),
                                             (const char *const *) groups, &error);
  if (!grouped)
    g_warning ("scenario groups of %s: %s", psim_scenario_get_id (kept), error->message);
  srv_add_scenario (req->srv, kept);
  GString *p = html_page_begin (req, _("Upload a scenario"));
  g_autofree char *done = g_strdup_printf (_("“%s” is in the catalogue."),
                                           psim_scenario_get_title (kept, lang));
  view_tag (p, "p role=\"status\" class=\"good\"", done);
  if (!grouped)
    view_tag (p, "p role=\"alert\"",
              _("Its groups could not be saved: every trainee sees it for now. Choose its "
                "groups again on its report page."));
  if (diags->len > 0)
    show_diagnostics (p, diags, sent, G_N_ELEMENTS (sent), lang);
  g_string_append (p, "<p><a href=\"/trainer/preview/");
  html_escape (p, psim_scenario_get_id (kept));
  g_string_append (p, "\">");
  html_escape (p, _("Preview the ideal run"));
  g_string_append (p, "</a> · <a href=\"/trainer\">");
  html_escape (p, _("Back to the dashboard"));
  g_string_append (p, "</a></p>\n");
  html_page_end (req, p, SOUP_STATUS_OK);
}

const Route pages_upload_routes[] = {
  { "GET", "/trainer/upload", upload_page, ROUTE_PAGE | ROUTE_TRAINER },
  { "POST", "/trainer/upload", upload_post, ROUTE_PAGE | ROUTE_TRAINER | ROUTE_UPLOAD },
  { NULL, NULL, NULL, 0 },
};
