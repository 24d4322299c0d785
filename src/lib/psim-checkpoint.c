/* psim-checkpoint.c — a session saved and restored (psim-session.h).
 *
 * A session is a function of its scenario, its seed and its answers, so a
 * checkpoint holds just those (with who, when and in which language) and
 * restoring replays the answers through the engine: the session restored
 * is the one saved, event for event. Checkpoints come back from disks and
 * databases and may have been edited, so they are read as hostile input.
 */
#include "psim-train-private.h"

#include <json-glib/json-glib.h>
#include <procsim/psim-file.h>
#include <procsim/psim-json.h>
#include <string.h>

void
psimp_checkpoint_add_answers (JsonBuilder *b, const PsimSession *s)
{
  json_builder_set_member_name (b, "answers");
  json_builder_begin_array (b);
  for (guint i = 0; i < s->answers->len; i++)
    {
      const Answer *a = g_ptr_array_index (s->answers, i);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "input");
      json_builder_add_string_value (b, a->input);
      json_builder_set_member_name (b, "ms");
      json_builder_add_int_value (b, a->ms);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

#define CHECKPOINT_FORMAT "procsim-checkpoint"

char *
psim_session_to_checkpoint (const PsimSession *s)
{
  g_return_val_if_fail (s != NULL, NULL);
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, CHECKPOINT_FORMAT);
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, 1);
  json_builder_set_member_name (b, "scenario");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, s->sc->id);
  /* The scenario is its id and checksum: a front-end finds it in its
   * catalogue. The file it was loaded from, absolute, only says where to
   * look for a scenario that is in no catalogue. */
  g_autofree char *file = g_canonicalize_filename (s->sc->file, NULL);
  json_builder_set_member_name (b, "file");
  json_builder_add_string_value (b, file);
  json_builder_set_member_name (b, "checksum");
  json_builder_add_string_value (b, s->sc->checksum);
  json_builder_end_object (b);
  /* As text: JSON numbers do not carry 64 bits everywhere. */
  g_autofree char *seed = g_strdup_printf ("%" G_GUINT64_FORMAT, s->seed);
  json_builder_set_member_name (b, "seed");
  json_builder_add_string_value (b, seed);
  json_builder_set_member_name (b, "session");
  json_builder_add_string_value (b, s->id);
  json_builder_set_member_name (b, "actor");
  json_builder_add_string_value (b, s->actor);
  json_builder_set_member_name (b, "started");
  json_builder_add_int_value (b, s->started);
  if (s->scripted)
    {
      json_builder_set_member_name (b, "scripted");
      json_builder_add_boolean_value (b, TRUE);
    }
  /* The trainee's language, for the session resumed. */
  json_builder_set_member_name (b, "lang");
  json_builder_add_string_value (b, s->lang);
  psimp_checkpoint_add_answers (b, s);
  json_builder_end_object (b);
  return psim_json_to_text (b);
}

gboolean
psim_session_save (const PsimSession *s, const char *path, GError **error)
{
  g_return_val_if_fail (s != NULL && path != NULL, FALSE);
  g_autofree char *text = psim_session_to_checkpoint (s);
  /* A temporary file renamed over @path (through a link, keeping its
   * permissions): the checkpoint is whole or as it was. */
  return psim_file_replace (path, text, strlen (text), FALSE, error);
}

/* Checkpoints come back from disk and may have been edited: every member
 * is read through these, which check its type (json-glib's getters crash
 * or complain on another type) and range, and name it when it is wrong. */
static gboolean
bad_member (const char *name, const char *lang, GError **error)
{
  g_set_error (error, PSIM_SESSION_ERROR, PSIM_SESSION_ERROR_CHECKPOINT,
               psim_gettext (lang, "the checkpoint's '%s' is not valid"), name);
  return FALSE;
}

/* The string member @name, @fallback when absent or null. */
static gboolean
get_string (JsonObject *o, const char *name, const char *fallback, const char **out,
            const char *lang, GError **error)
{
  JsonNode *n = json_object_get_member (o, name);
  *out = fallback;
  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return bad_member (name, lang, error);
  *out = json_node_get_string (n);
  return TRUE;
}

/* The integer member @name in [@min, @max], @fallback when absent. */
static gboolean
get_int (JsonObject *o, const char *name, gint64 min, gint64 max, gint64 fallback, gint64 *out,
         const char *lang, GError **error)
{
  JsonNode *n = json_object_get_member (o, name);
  *out = fallback;
  if (n == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_INT64)
    return bad_member (name, lang, error);
  *out = json_node_get_int (n);
  return *out >= min && *out <= max ? TRUE : bad_member (name, lang, error);
}

static JsonObject *
get_object (JsonObject *o, const char *name)
{
  JsonNode *n = json_object_get_member (o, name);
  return n != NULL && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

/* The checkpoint's root object and its "scenario" object, or NULL. */
static JsonObject *
parse_checkpoint (const char *json, JsonNode **root, JsonObject **scenario, const char *lang,
                  GError **error)
{
  g_autoptr (GError) local = NULL;
  *root = psim_json_parse (json, -1, "checkpoint", lang, &local);
  if (*root == NULL)
    {
      g_set_error (error, PSIM_SESSION_ERROR, PSIM_SESSION_ERROR_CHECKPOINT,
                   psim_gettext (lang, "not a checkpoint: %s"), local->message);
      return NULL;
    }
  JsonObject *o = JSON_NODE_HOLDS_OBJECT (*root) ? json_node_get_object (*root) : NULL;
  const char *format = NULL;
  if (o == NULL || !get_string (o, "format", "", &format, lang, NULL)
      || strcmp (format, CHECKPOINT_FORMAT) != 0 || (*scenario = get_object (o, "scenario")) == NULL)
    {
      g_set_error (error, PSIM_SESSION_ERROR, PSIM_SESSION_ERROR_CHECKPOINT,
                   psim_gettext (lang, "not a procsim checkpoint"));
      return NULL;
    }
  return o;
}

char *
psim_checkpoint_dup_scenario_file (const char *json, const char *lang, GError **error)
{
  g_return_val_if_fail (json != NULL, NULL);
  g_autoptr (JsonNode) root = NULL;
  JsonObject *so = NULL;
  if (parse_checkpoint (json, &root, &so, lang, error) == NULL)
    return NULL;
  const char *file = NULL;
  if (!get_string (so, "file", NULL, &file, lang, error))
    return NULL;
  if (file == NULL)
    {
      g_set_error (error, PSIM_SESSION_ERROR, PSIM_SESSION_ERROR_CHECKPOINT,
                   psim_gettext (lang, "the checkpoint names no scenario file"));
      return NULL;
    }
  return g_strdup (file);
}

char *
psim_checkpoint_dup_scenario_id (const char *json, const char *lang, GError **error)
{
  g_return_val_if_fail (json != NULL, NULL);
  g_autoptr (JsonNode) root = NULL;
  JsonObject *so = NULL;
  if (parse_checkpoint (json, &root, &so, lang, error) == NULL)
    return NULL;
  const char *id = NULL;
  if (!get_string (so, "id", NULL, &id, lang, error))
    return NULL;
  if (id == NULL || *id == '\0')
    {
      bad_member ("id", lang, error);
      return NULL;
    }
  return g_strdup (id);
}

char *
psim_checkpoint_dup_language (const char *json)
{
  g_return_val_if_fail (json != NULL, NULL);
  g_autoptr (JsonNode) root = NULL;
  JsonObject *so = NULL;
  JsonObject *o = parse_checkpoint (json, &root, &so, NULL, NULL);
  const char *lang = NULL;
  if (o == NULL || !get_string (o, "lang", NULL, &lang, NULL, NULL))
    return NULL;
  return lang != NULL && psim_lang_is_supported (lang) ? g_strdup (psim_lang_normalize (lang))
                                                       : NULL;
}

/* Latest start time a checkpoint may give: 9999-12-31, in microseconds. */
#define MAX_STARTED G_GINT64_CONSTANT (253402300799999999)

PsimSession *
psim_session_new_from_checkpoint (PsimScenario *sc, const char *json, const char *lang,
                                  GError **error)
{
  g_return_val_if_fail (sc != NULL && json != NULL, NULL);
  g_autoptr (JsonNode) root = NULL;
  JsonObject *so = NULL;
  JsonObject *o = parse_checkpoint (json, &root, &so, lang, error);
  if (o == NULL)
    return NULL;
  const char *id = NULL, *checksum = NULL, *seed_text = NULL, *session = NULL, *actor = NULL;
  gint64 started = 0;
  if (!get_string (so, "id", "", &id, lang, error)
      || !get_string (so, "checksum", "", &checksum, lang, error)
      || !get_string (o, "seed", "0", &seed_text, lang, error)
      || !get_string (o, "session", NULL, &session, lang, error)
      || !get_string (o, "actor", NULL, &actor, lang, error)
      || !get_int (o, "started", 0, MAX_STARTED, 0, &started, lang, error))
    return NULL;
  if (strcmp (id, sc->id) != 0)
    {
      g_set_error (error, PSIM_SESSION_ERROR, PSIM_SESSION_ERROR_CHECKPOINT,
                   psim_gettext (lang, "the checkpoint is for scenario '%s', not '%s'"), id,
                   sc->id);
      return NULL;
    }
  if (strcmp (checksum, sc->checksum) != 0)
    {
      g_set_error (error, PSIM_SESSION_ERROR, PSIM_SESSION_ERROR_CHECKPOINT,
                   psim_gettext (lang, "scenario '%s' has changed since the checkpoint was saved"),
                   sc->id);
      return NULL;
    }
  guint64 seed = 0;
  if (!g_ascii_string_to_unsigned (seed_text, 10, 0, G_MAXUINT64, &seed, NULL))
    {
      bad_member ("seed", lang, error);
      return NULL;
    }
  g_autoptr (PsimSession) s = psim_session_new (sc, seed);
  psim_session_set_language (s, lang);
  psim_session_set_identity (s, session, actor, started);
  JsonNode *scripted = json_object_get_member (o, "scripted");
  s->scripted = scripted != NULL && JSON_NODE_HOLDS_VALUE (scripted)
                && json_node_get_value_type (scripted) == G_TYPE_BOOLEAN
                && json_node_get_boolean (scripted);
  JsonNode *list = json_object_get_member (o, "answers");
  JsonArray *answers = list != NULL && JSON_NODE_HOLDS_ARRAY (list) ? json_node_get_array (list)
                                                                     : NULL;
  for (guint i = 0; answers != NULL && i < json_array_get_length (answers); i++)
    {
      JsonNode *n = json_array_get_element (answers, i);
      JsonObject *a = JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
      const char *input = NULL;
      gint64 ms = 0;
      g_autoptr (GError) local = NULL;
      if (a == NULL || !get_string (a, "input", NULL, &input, lang, &local)
          || !get_int (a, "ms", 0, PSIM_SESSION_MAX_ANSWER_MS, 0, &ms, lang, &local)
          || input == NULL || !psim_session_answer (s, input, ms, &local))
        {
          g_set_error (error, PSIM_SESSION_ERROR, PSIM_SESSION_ERROR_CHECKPOINT,
                       psim_gettext (lang, "answer %u of the checkpoint does not replay: %s"),
                       i + 1, local != NULL ? local->message : psim_gettext (lang, "no input"));
          return NULL;
        }
    }
  return g_steal_pointer (&s);
}
