/*
 * auth.c - passwords (argon2id) and session tokens (random, stored hashed),
 * with libsodium.
 *
 * Hashing costs 19 MiB and a few tens of milliseconds on purpose; a gate of
 * two slots (a mutex and a condition variable) bounds how many run at once, so
 * a burst of logins waits instead of exhausting memory. Verification takes a
 * slot too: it costs the same as hashing.
 */
#include <pthread.h>
#include <string.h>

#include <sodium.h>

#include "auth/auth.h"

#define HASH_OPSLIMIT   2ULL
#define HASH_MEMLIMIT   (19u * 1024u * 1024u)
#define HASH_CONCURRENT 2

static pthread_mutex_t gate_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cv = PTHREAD_COND_INITIALIZER;
static int gate_busy;
static char dummy_hash[AUTH_HASH_MAX];

static void gate_enter(void)
{
    pthread_mutex_lock(&gate_mu);
    while (gate_busy >= HASH_CONCURRENT)
        pthread_cond_wait(&gate_cv, &gate_mu);
    gate_busy++;
    pthread_mutex_unlock(&gate_mu);
}

static void gate_leave(void)
{
    pthread_mutex_lock(&gate_mu);
    gate_busy--;
    pthread_cond_signal(&gate_cv);
    pthread_mutex_unlock(&gate_mu);
}

int auth_init(void)
{
    char pw[AUTH_TOKEN_HEX];

    if (sodium_init() < 0)
        return -1;
    if (dummy_hash[0])
        return 0;
    /* A hash of a random password nobody knows, at the real cost. */
    auth_random_token(pw);
    if (auth_hash_password(pw, dummy_hash) != 0)
        return -1;
    sodium_memzero(pw, sizeof(pw));
    return 0;
}

int auth_hash_password(const char *password, char out[AUTH_HASH_MAX])
{
    int rc;

    if (!password)
        return -1;
    gate_enter();
    rc = crypto_pwhash_str_alg(out, password, strlen(password), HASH_OPSLIMIT, HASH_MEMLIMIT,
                               crypto_pwhash_ALG_ARGON2ID13);
    gate_leave();
    return rc == 0 ? 0 : -1;
}

int auth_verify_password(const char *hash, const char *password)
{
    static const char prefix[] = "$argon2id$";
    int rc;

    if (!hash || !password || strnlen(hash, AUTH_HASH_MAX) >= AUTH_HASH_MAX ||
        strncmp(hash, prefix, sizeof(prefix) - 1) != 0)
        return 0;
    gate_enter();
    rc = crypto_pwhash_str_verify(hash, password, strlen(password));
    gate_leave();
    return rc == 0;
}

const char *auth_dummy_hash(void)
{
    return dummy_hash;
}

void auth_random_token(char out[AUTH_TOKEN_HEX])
{
    unsigned char raw[32];

    randombytes_buf(raw, sizeof(raw));
    sodium_bin2hex(out, AUTH_TOKEN_HEX, raw, sizeof(raw));
    sodium_memzero(raw, sizeof(raw));
}

void auth_token_hash(const char *token, char out[AUTH_TOKEN_HEX])
{
    unsigned char h[32];

    crypto_generichash(h, sizeof(h), (const unsigned char *)token, token ? strlen(token) : 0, NULL,
                       0);
    sodium_bin2hex(out, AUTH_TOKEN_HEX, h, sizeof(h));
}

int auth_equal(const char *a, const char *b)
{
    size_t n;

    if (!a || !b)
        return 0;
    n = strlen(a);
    if (strlen(b) != n) /* lengths are not secret: every token has 64 characters */
        return 0;
    return sodium_memcmp(a, b, n) == 0;
}

int auth_password_ok(const char *password, const char **why)
{
    static const char msg[] = "must be 8 to 128 characters";
    size_t chars = 0;
    const unsigned char *p;

    if (why)
        *why = NULL;
    if (!password) {
        if (why)
            *why = msg;
        return -1;
    }
    /* Characters, not bytes: UTF-8 continuation bytes (10xxxxxx) do not count. */
    for (p = (const unsigned char *)password; *p; p++)
        if ((*p & 0xc0) != 0x80)
            chars++;
    if (chars < AUTH_PASSWORD_MIN || chars > AUTH_PASSWORD_MAX) {
        if (why)
            *why = msg;
        return -1;
    }
    return 0;
}
