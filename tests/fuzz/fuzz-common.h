/* fuzz-common.h — what the libFuzzer targets share: the contract check
 * that turns a broken promise into a finding, and the start-up that makes
 * any libxml2 message reaching its global (printing) handlers a finding
 * and creates the one PsimLoader a fuzzer process keeps.
 *
 * Each target defines FUZZ_NAME before including this file.
 */
#pragma once

#include <libxml/xmlerror.h>
#include <procsim/procsim.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* Compiling the embedded schema costs more than most inputs: do it once.
 * The one piece of process state, owned by the fuzzer process, never
 * freed (LeakSanitizer sees it as reachable). */
static PsimLoader *loader;

/* A broken contract is a finding: libFuzzer saves the input on abort(). */
#define EXPECT(cond)                                                           \
  G_STMT_START                                                                 \
  {                                                                            \
    if (G_UNLIKELY (!(cond)))                                                  \
      {                                                                        \
        fprintf (stderr, FUZZ_NAME ": %s:%d: contract broken: %s\n", __FILE__, \
                 __LINE__, #cond);                                             \
        abort ();                                                              \
      }                                                                        \
  }                                                                            \
  G_STMT_END

/* Installed as libxml2's global handlers: reached only by messages the
 * library did not capture. */
static void
on_stray_message (void *data, const char *format, ...)
{
  fprintf (stderr, FUZZ_NAME ": contract broken: libxml2 printed: %s\n", format);
  abort ();
}

static void
on_stray_error (void *data, xmlErrorPtr e)
{
  fprintf (stderr, FUZZ_NAME ": contract broken: libxml2 printed: %s",
           e->message != NULL ? e->message : "(no message)\n");
  abort ();
}

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  xmlSetGenericErrorFunc (NULL, on_stray_message);
  xmlSetStructuredErrorFunc (NULL, on_stray_error);

  g_autoptr (GError) error = NULL;
  loader = psim_loader_new (&error);
  if (loader == NULL)
    {
      /* A build defect, not a finding: stop before fuzzing anything. */
      fprintf (stderr, FUZZ_NAME ": %s\n", error->message);
      exit (1);
    }
  return 0;
}
