/* groups.h — the groups a scenario is offered to, as trainers choose them
 * (groups.c): a fieldset for a form, and what such a form or an API body
 * sends. */
#pragma once

#include "server.h"

/* The check boxes of every group a user is in (ticked: those @scenario,
 * nullable, is offered to) and a field for other names, for a form.
 * FALSE when the database fails. */
gboolean groups_fieldset (GString *p, Req *req, const char *scenario, GError **error);

/* The groups the form of groups_fieldset sent: trimmed, each once,
 * sorted, NULL-terminated (empty: every trainee). NULL with a message in
 * the request's language when a name is too long or not text.
 * (transfer full) */
char **groups_from_form (Req *req, GError **error);
/* The same from the JSON array @node of names. */
char **groups_from_json (JsonNode *node, const char *lang, GError **error);
