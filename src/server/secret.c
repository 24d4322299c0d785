/* secret.c — the secrets of accounts, with nothing of requests or the
 * server: Argon2id password hashes (libsodium's crypto_pwhash_str, whose
 * result carries its parameters), random secrets from the OS random source
 * (login tokens, CSRF secrets), readable one-time passwords, the SHA-256 a
 * token is kept as, and a comparison whose time does not depend on where
 * two strings differ. Logins (auth.c), the first admin (serve.c), the
 * admin's pages and `procsim users` all use it; it uses nothing of theirs.
 */
#include "server.h"

#include <sodium.h>
#include <string.h>

/* OWASP's Argon2id parameters: 2 passes over 19 MiB. */
#define PWHASH_OPS 2
#define PWHASH_MEM (19u * 1024 * 1024)

char *
secret_hash_password (const char *password, GError **error)
{
  char out[crypto_pwhash_STRBYTES];
  if (sodium_init () < 0
      || crypto_pwhash_str_alg (out, password, strlen (password), PWHASH_OPS, PWHASH_MEM,
                                crypto_pwhash_ALG_ARGON2ID13)
             != 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           "cannot hash the password (out of memory)");
      return NULL;
    }
  return g_strdup (out);
}

gboolean
secret_verify_password (const char *hash, const char *password)
{
  if (hash == NULL || strlen (hash) >= crypto_pwhash_STRBYTES)
    return FALSE;
  return crypto_pwhash_str_verify (hash, password, strlen (password)) == 0;
}

static char *
base64url (const guint8 *bin, gsize n)
{
  gsize cap = sodium_base64_ENCODED_LEN (n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  char *out = g_malloc (cap);
  sodium_bin2base64 (out, cap, bin, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return out;
}

char *
secret_new (void)
{
  guint8 raw[32];
  randombytes_buf (raw, sizeof raw);
  return base64url (raw, sizeof raw);
}

char *
secret_new_password (void)
{
  /* No 0/O, 1/l/I: read off a screen and typed by hand. */
  static const char alphabet[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  char out[17];
  for (guint i = 0; i < 16; i++)
    out[i] = alphabet[randombytes_uniform (sizeof alphabet - 1)];
  out[16] = '\0';
  return g_strdup (out);
}

char *
secret_token_hash (const char *token)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);
}

gboolean
secret_equal (const char *a, const char *b)
{
  if (a == NULL || b == NULL)
    return FALSE;
  gsize n = strlen (a);
  return n == strlen (b) && sodium_memcmp (a, b, n) == 0;
}
