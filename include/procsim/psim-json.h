/* psim-json.h — parsing JSON that procsim did not write itself.
 *
 * Checkpoints and session records come back from disk (or, later, from a
 * browser) and may have been edited by anyone. json-glib parses nesting by
 * recursion with no limit, so 100,000 nested '[' overflow the stack: the
 * depth is measured first by a byte scan that json-glib never sees, and
 * refused over PSIM_JSON_MAX_DEPTH.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Deepest nesting of arrays and objects accepted. procsim writes at most
 * 6 levels (xAPI statements); the margin is for other tools' records. */
#define PSIM_JSON_MAX_DEPTH 64

#define PSIM_JSON_ERROR (psim_json_error_quark ())
GQuark psim_json_error_quark (void);

typedef enum {
  PSIM_JSON_ERROR_DEPTH, /* nested deeper than PSIM_JSON_MAX_DEPTH */
  PSIM_JSON_ERROR_PARSE, /* not JSON */
} PsimJsonError;

/* Parses the @size bytes at @data (-1: nul-terminated). @name names the
 * input in messages ("NAME:LINE:COLUMN: ..."), procsim's own in @lang.
 * Returns the root node (transfer full), or NULL with @error set. */
JsonNode *psim_json_parse (const char *data, gssize size, const char *name, const char *lang,
                           GError **error);

/* Adds @v to @b as a JSON number that is valid JSON: json-glib 1.6 writes
 * a double whose shortest form has no '.' with ".0" appended, so 1e17
 * came out as "1e+17.0". Such a value is added as an integer when it fits
 * 64 bits, else as the nearest double towards zero (same to 16 digits);
 * NaN and infinities, which JSON cannot hold, as null. Other doubles are
 * added as they are. */
void psim_json_add_double (JsonBuilder *b, double v);

/* The text of @root, as json-glib's generator writes it (indented by two
 * spaces when @pretty), but with every number that has a fraction or an
 * exponent in its shortest form that reads back as the same double:
 * 0.117, not json-glib 1.6's 0.11700000000000001. The one number policy
 * of everything procsim writes as JSON. @length (nullable) gets the
 * length. (transfer full) */
char *psim_json_node_to_text (JsonNode *root, gboolean pretty, gsize *length);

G_END_DECLS
