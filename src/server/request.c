/* request.c — what a handler reads from a request that may be wrong: the
 * body as a JSON object, the scenario the request names (and whether the
 * user's catalogue offers it). Each replies the error itself (html.c's
 * reply_error, in the request's format and language) and returns NULL, so
 * that a handler only checks for NULL and returns.
 */
#include "server.h"

static const char JSON_PARSER_KEY[] = "psim-json-parser";

JsonObject *
req_json_object (Req *req)
{
  gsize length = 0;
  const char *body = req_body (req, &length);
  JsonParser *parser = json_parser_new_immutable ();
  g_object_set_data_full (G_OBJECT (req->msg), JSON_PARSER_KEY, parser, g_object_unref);
  g_autoptr (GError) error = NULL;
  if (!json_parser_load_from_data (parser, body, (gssize) length, &error))
    {
      g_autofree char *message = g_strdup_printf (
          "%s (%s)", psim_gettext (req->lang, "The request is not JSON."), error->message);
      reply_error (req, SOUP_STATUS_BAD_REQUEST, message);
      return NULL;
    }
  JsonNode *root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      reply_error (req, SOUP_STATUS_BAD_REQUEST,
                   psim_gettext (req->lang, "The request must be a JSON object."));
      return NULL;
    }
  return json_node_get_object (root);
}

PsimScenario *
req_scenario (Req *req)
{
  return req_offered_scenario (req, req->args[0]);
}

PsimScenario *
req_offered_scenario (Req *req, const char *id)
{
  PsimScenario *sc = srv_get_scenario (req->srv, id);
  if (sc == NULL && srv_sync_uploads (req->srv, NULL))
    sc = srv_get_scenario (req->srv, id); /* uploaded through another server */
  g_autoptr (GError) error = NULL;
  if (sc != NULL && req->user != NULL && !srv_offers (req->srv, req->user, sc, &error))
    {
      if (error != NULL)
        {
          g_warning ("catalogue: %s", error->message);
          reply_error (req, SOUP_STATUS_SERVICE_UNAVAILABLE,
                       psim_gettext (req->lang, "The database does not answer. Please try "
                                                "again in a moment."));
          return NULL;
        }
      sc = NULL;
    }
  if (sc == NULL)
    reply_error (req, SOUP_STATUS_NOT_FOUND,
                 psim_gettext (req->lang, "There is no such scenario."));
  return sc;
}
