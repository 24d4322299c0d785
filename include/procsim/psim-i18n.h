/* psim-i18n.h — the library's words in a language the caller names.
 *
 * Every string procsim produces for people (labels, legends, diagnostics,
 * the engine's feedback, report texts) is looked up for an explicit
 * language, never for the process locale: one server answers a Vietnamese
 * trainee and an English one at the same time, from any thread. The
 * catalogues (po/LINGUAS, compiled from the po files at build time) are embedded
 * in the library, so a program built on it needs no bindtextdomain() and no
 * installed locale. English is the source language: a message without a
 * translation is returned as written.
 *
 * Language tags: "vi", "en", or longer forms ("vi-VN", "vi_VN.UTF-8",
 * "en-GB") which are reduced to their primary subtag. NULL or an unknown
 * language means English.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The translation of @msgid into @lang. (transfer none): the string lives as
 * long as the process (it is @msgid itself or the embedded catalogue's). */
const char *psim_gettext (const char *lang, const char *msgid) G_GNUC_FORMAT (2);

/* The form of @msgid / @msgid_plural for @n in @lang. (transfer none) */
const char *psim_ngettext (const char *lang, const char *msgid, const char *msgid_plural, gulong n)
    G_GNUC_FORMAT (2) G_GNUC_FORMAT (3);

/* @msgid in context @context (msgctxt in the catalogue). (transfer none) */
const char *psim_pgettext (const char *lang, const char *context, const char *msgid)
    G_GNUC_FORMAT (3);

/* "vi" or "en" for a language tag as people and programs write it (see the
 * top of this file); "en" for NULL, "" or a language procsim does not speak.
 * (transfer none) */
const char *psim_lang_normalize (const char *tag);

/* TRUE when procsim has a catalogue for @tag's language (English always). */
gboolean psim_lang_is_supported (const char *tag);

/* The best language of an HTTP Accept-Language header value (q-values
 * honoured), or @fallback when none is spoken. (transfer none) */
const char *psim_lang_from_accept_language (const char *header, const char *fallback);

/* The languages procsim speaks, English first, NULL-terminated.
 * (transfer none) */
const char *const *psim_lang_get_all (void);

/* Marks a message for extraction in a static table, without translating. */
#define PSIM_N_(msgid) (msgid)

G_END_DECLS
