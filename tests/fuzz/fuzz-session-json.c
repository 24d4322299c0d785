/* fuzz-session-json.c — libFuzzer target for the JSON a trainer's folder
 * or a server's database gives back: session records and checkpoints,
 * read as hostile input.
 *
 * The input is read (1) by the report, as `procsim report` reads each
 * file of a folder, and every writer of the report runs on it (text,
 * JSON, CSV, XLSX, in both languages); and (2) as a checkpoint of the
 * bundled land-title-digital scenario, as `train --resume` and the
 * server restore a session.
 *
 * Contracts checked (abort = finding): the report takes the input or
 * leaves it out, with an error only when it is not JSON, and every writer
 * gives text (the workbook: bytes or an error); a checkpoint restores a
 * session or sets PSIM_SESSION_ERROR_CHECKPOINT / _INPUT, never both or
 * neither; a restored session's own checkpoint restores to a session with
 * the same record; the library prints nothing.
 *
 * Built only with clang and -Dfuzzing=true (tests/fuzz/meson.build); see
 * docs/fuzzing.md.
 */
#define FUZZ_NAME "fuzz-session-json"
#include "fuzz-common.h"
#include <string.h>

/* The scenario checkpoints are restored into, loaded once (reachable for
 * the fuzzer process's life, as the loader). */
static PsimScenario *scenario;

static PsimScenario *
get_scenario (void)
{
  if (scenario == NULL)
    {
      g_autoptr (GError) error = NULL;
      scenario = psim_scenario_load_file (loader, PSIM_FUZZ_SCENARIO_FILE, NULL, &error);
      if (scenario == NULL)
        {
          /* A build defect, not a finding. */
          fprintf (stderr, FUZZ_NAME ": %s\n", error->message);
          exit (1);
        }
    }
  return scenario;
}

static void
report (const char *text, size_t size)
{
  g_autoptr (PsimReport) r = psim_report_new ();
  g_autoptr (GError) error = NULL;
  gboolean taken = psim_report_add_record (r, text, (gssize) size, "fuzz.json", "vi", &error);
  EXPECT (!taken || error == NULL);
  static const char *const langs[] = { "vi", "en" };
  for (guint l = 0; l < G_N_ELEMENTS (langs); l++)
    {
      PsimReportOptions options = { .lang = langs[l], .date = 1795680000000000 };
      g_autofree char *t = psim_report_format_text (r, &options);
      g_autofree char *j = psim_report_format_json (r, &options);
      g_autofree char *c = psim_report_format_csv (r, &options);
      EXPECT (t != NULL && j != NULL && c != NULL);
      EXPECT (taken || *t == '\0');
      g_autoptr (GError) xlsx_error = NULL;
      g_autoptr (GBytes) book = psim_report_format_xlsx (r, &options, &xlsx_error);
      EXPECT ((book != NULL) == (xlsx_error == NULL));
    }
}

static void
restore (const char *text)
{
  PsimScenario *sc = get_scenario ();
  g_autoptr (GError) error = NULL;
  g_autoptr (PsimSession) s = psim_session_new_from_checkpoint (sc, text, "vi", &error);
  EXPECT ((s != NULL) == (error == NULL));
  if (s == NULL)
    {
      EXPECT (error->domain == PSIM_SESSION_ERROR);
      return;
    }
  g_autofree char *record = psim_session_record_json (s, "en");
  g_autofree char *xapi = psim_session_record_xapi (s, "vi");
  EXPECT (record != NULL && xapi != NULL);
  g_autofree char *again = psim_session_to_checkpoint (s);
  g_autoptr (GError) again_error = NULL;
  g_autoptr (PsimSession) s2 = psim_session_new_from_checkpoint (sc, again, "en", &again_error);
  EXPECT (s2 != NULL);
  g_autofree char *record2 = psim_session_record_json (s2, "en");
  EXPECT (strcmp (record, record2) == 0);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  /* Both readers take NUL-terminated text; a NUL inside is input too. */
  g_autofree char *text = g_malloc (size + 1);
  memcpy (text, data, size);
  text[size] = '\0';
  report (text, size);
  restore (text);
  return 0;
}
