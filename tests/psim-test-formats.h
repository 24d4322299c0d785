/* psim-test-formats.h — helpers of the tests that read procsim's outputs
 * back with real readers (test-compare-formats, test-simulate-formats).
 */
#pragma once

#include "psim-test.h"

#include <libxml/tree.h>

/* Runs procsim (PROCSIM_EXE) in the source root with @args
 * (NULL-terminated); its stdout, or NULL when it fails (its stderr
 * printed). (transfer full) */
char *psim_test_run_procsim (const char *const *args);
/* RFC 4180: the rows (each a GPtrArray of char*), or NULL on a malformed
 * text (a quote inside an unquoted field, an unclosed quote). (transfer full) */
GPtrArray *psim_test_csv_read (const char *text);
/* Asserts that nothing under @node fetches anything (no script, link or
 * iframe; href, src… only to "#…"); counts the elements in @elements. */
void psim_test_check_self_contained (xmlNode *node, guint *elements);
/* Asserts that @html is well-formed XML, an <html> in @lang, self-contained
 * and without "<script" or "https://"; @what names it in a failure. */
void psim_test_check_html (const char *html, const char *lang, const char *what);
