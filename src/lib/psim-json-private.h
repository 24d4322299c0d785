/* psim-json-private.h — the library's JSON writing helpers (json-glib),
 * one number policy for every writer: a whole number that a double holds
 * exactly is written as an integer, any other as psim_json_add_double ()
 * writes it; NULL strings as null. Not installed.
 */
#pragma once

#include <json-glib/json-glib.h>
#include <procsim/psim-case.h>
#include <procsim/psim-json.h>
#include <procsim/psim-path.h>

/* A string member, null when @value is NULL. */
void psimp_json_add_string (JsonBuilder *b, const char *member, const char *value);
/* A number member: whole numbers as integers, so that 1 stays 1. */
void psimp_json_add_number (JsonBuilder *b, const char *member, double v);
/* A "case" member: every case-data parameter with the value used, numbers
 * as numbers, booleans as booleans, strings and enums as strings. */
void psimp_json_add_case (JsonBuilder *b, const PsimCase *pcase);
/* A "limits" member: the legal limits @path is measured against
 * (psim_path_get_limit ()), each with its verdict in @lang
 * (psim-path-limits.c). */
void psimp_json_add_limits (JsonBuilder *b, const PsimPath *path, const char *lang);
/* The builder's value as pretty-printed JSON text (two-space indent)
 * ending in a newline. (transfer full) */
char *psim_json_to_text (JsonBuilder *b);
