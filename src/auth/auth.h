/*
 * auth.h - passwords and session tokens (libsodium).
 *
 * Passwords are hashed with argon2id at OWASP's recommended minimum cost
 * (19 MiB of memory, 2 passes): strong enough for a login form, small enough
 * that the server stays well under its memory budget. At most two hashes run
 * at once (a semaphore), so a burst of logins cannot exhaust memory.
 * Session tokens are 256 random bits as 64 hex characters; the store keeps
 * only their BLAKE2b-256 hash, so a stolen database opens no session.
 */
#ifndef MT_AUTH_H
#define MT_AUTH_H

#include <stddef.h>

#define AUTH_HASH_MAX 128   /* an argon2id string fits (crypto_pwhash_STRBYTES) */
#define AUTH_TOKEN_HEX 65   /* 64 hex characters and a NUL */
#define AUTH_PASSWORD_MIN 8
#define AUTH_PASSWORD_MAX 128

/* Initialise libsodium; call once before anything else. 0 ok, -1 failure. */
int auth_init(void);

/* Hash `password` into `out` (AUTH_HASH_MAX bytes). 0 ok, -1 out of memory. */
int auth_hash_password(const char *password, char out[AUTH_HASH_MAX]);

/* 1 if `password` matches `hash`, else 0 (also for a malformed hash). */
int auth_verify_password(const char *hash, const char *password);

/* A hash to compare against when the user does not exist, so that an unknown
 * name takes as long as a wrong password. */
const char *auth_dummy_hash(void);

/* 256 random bits as 64 lowercase hex characters. */
void auth_random_token(char out[AUTH_TOKEN_HEX]);

/* BLAKE2b-256 of `token`, hex: what the store keeps. */
void auth_token_hash(const char *token, char out[AUTH_TOKEN_HEX]);

/* Constant-time comparison of two NUL-terminated strings of equal length;
 * 1 when equal. */
int auth_equal(const char *a, const char *b);

/* A password policy check: 0 ok, else -1 with *why set to a static message
 * ("must be 8 to 128 characters"). */
int auth_password_ok(const char *password, const char **why);

#endif /* MT_AUTH_H */
