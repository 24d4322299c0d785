/* state.h — the layout of the Server: what one `procsim serve` keeps
 * between requests. Only its two owners include it: state.c (the catalogue
 * and the live sessions, which it works on) and serve.c (the start-up,
 * which fills it and frees it). Every other file goes through the srv_
 * functions of server.h.
 */
#pragma once

#include "server.h"

struct _Server {
  Db *db;
  Auth *auth;
  SoupServer *soup;
  PsimCatalogue *catalogue; /* the scenarios of the folders, loaded at start */
  GHashTable *scenarios; /* id → PsimScenario*: the catalogue's and those uploaded since */
  GPtrArray *sorted;     /* PsimScenario*, by id */
  GHashTable *live;      /* session id → PsimSession* */
  GHashTable *groups;    /* user name → group ("" for none), cached */
  Outbox *outbox;        /* (nullable) with --lrs */
  PsimSession *answering;    /* the session srv_answer is storing an answer of */
  const char *answering_lang;
  char *base_url;
  char *home_page;       /* (nullable) --base-url: the xAPI actors' homePage */
  char *upload_dir;      /* scenarios trainers uploaded, one folder each */
  GHashTable *unloadable; /* ids of uploads in the database that did not load here */
  gboolean secure;
  gboolean guests;       /* visitors may practise as guests */
  GMainLoop *loop;
  WriteBatch *batch;          /* group commit (reply.c) */
  GraphWorker *graphs;   /* the render worker, started at the first graph */
};
