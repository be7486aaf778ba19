/*
 * test_auth.c - passwords and session tokens (src/auth).
 *
 * Hashing is real argon2id at the production cost, so the suite hashes only a
 * few times. Concurrency is checked by hashing from more threads than the gate
 * admits: every hash must still verify.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "testutil.h"

#include "auth/auth.h"

static int init(void **state)
{
    (void)state;
    return auth_init();
}

static void a_password_verifies_and_a_wrong_one_does_not(void **state)
{
    char h[AUTH_HASH_MAX], h2[AUTH_HASH_MAX];

    (void)state;
    assert_int_equal(auth_hash_password("correct horse battery", h), 0);
    assert_true(auth_verify_password(h, "correct horse battery"));
    assert_false(auth_verify_password(h, "correct horse battery "));
    assert_false(auth_verify_password(h, "Correct horse battery"));
    assert_false(auth_verify_password(h, ""));
    /* Salted: the same password hashes differently, and both verify. */
    assert_int_equal(auth_hash_password("correct horse battery", h2), 0);
    assert_string_not_equal(h, h2);
    assert_true(auth_verify_password(h2, "correct horse battery"));
}

static void the_hash_is_argon2id_at_the_chosen_cost(void **state)
{
    char h[AUTH_HASH_MAX];

    (void)state;
    assert_int_equal(auth_hash_password("another password", h), 0);
    assert_non_null(strstr(h, "$argon2id$v=19$m=19456,t=2,p=1$"));
    assert_ptr_equal(strstr(h, "$argon2id$"), h);
    assert_true(strlen(h) < AUTH_HASH_MAX);
}

static void a_malformed_hash_never_verifies(void **state)
{
    char h[AUTH_HASH_MAX], cut[AUTH_HASH_MAX], long_hash[AUTH_HASH_MAX + 20];

    (void)state;
    assert_int_equal(auth_hash_password("password123", h), 0);
    snprintf(cut, sizeof(cut), "%.*s", (int)strlen(h) - 5, h);
    assert_false(auth_verify_password(cut, "password123"));
    assert_false(auth_verify_password("", "password123"));
    assert_false(auth_verify_password("password123", "password123"));
    assert_false(auth_verify_password("$argon2id$garbage", "password123"));
    assert_false(auth_verify_password(NULL, "password123"));
    assert_false(auth_verify_password(h, NULL));
    memset(long_hash, 'a', sizeof(long_hash) - 1);
    long_hash[sizeof(long_hash) - 1] = '\0';
    memcpy(long_hash, "$argon2id$", 10);
    assert_false(auth_verify_password(long_hash, "password123"));
}

static void the_dummy_hash_is_real_and_matches_nothing_guessable(void **state)
{
    const char *d = auth_dummy_hash();

    (void)state;
    assert_ptr_equal(strstr(d, "$argon2id$"), d);
    assert_false(auth_verify_password(d, ""));
    assert_false(auth_verify_password(d, "password"));
}

static int is_lower_hex(const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (!isxdigit((unsigned char)s[i]) || isupper((unsigned char)s[i]))
            return 0;
    return s[n] == '\0';
}

static void tokens_are_64_lowercase_hex_and_differ(void **state)
{
    char seen[64][AUTH_TOKEN_HEX];
    int i, j;

    (void)state;
    for (i = 0; i < 64; i++) {
        auth_random_token(seen[i]);
        assert_int_equal(strlen(seen[i]), 64);
        assert_true(is_lower_hex(seen[i], 64));
        for (j = 0; j < i; j++)
            assert_string_not_equal(seen[i], seen[j]);
    }
}

static void a_token_hash_is_deterministic_and_not_the_token(void **state)
{
    char t[AUTH_TOKEN_HEX], t2[AUTH_TOKEN_HEX], h1[AUTH_TOKEN_HEX], h2[AUTH_TOKEN_HEX];
    char h3[AUTH_TOKEN_HEX], known[AUTH_TOKEN_HEX];

    (void)state;
    auth_random_token(t);
    auth_random_token(t2);
    auth_token_hash(t, h1);
    auth_token_hash(t, h2);
    auth_token_hash(t2, h3);
    assert_string_equal(h1, h2);
    assert_string_not_equal(h1, t);
    assert_string_not_equal(h1, h3);
    assert_true(is_lower_hex(h1, 64));
    /* BLAKE2b-256 of "abc" (RFC 7693's test input, 32-byte digest). */
    auth_token_hash("abc", known);
    assert_string_equal(known, "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
}

static void equal_compares_whole_strings(void **state)
{
    (void)state;
    assert_true(auth_equal("abcdef", "abcdef"));
    assert_false(auth_equal("abcdef", "abcdeg"));
    assert_false(auth_equal("abcdef", "abcde"));
    assert_false(auth_equal("", "a"));
    assert_true(auth_equal("", ""));
    assert_false(auth_equal(NULL, "a"));
}

static void password_policy_is_8_to_128_characters(void **state)
{
    char pw[200];
    const char *why = NULL;

    (void)state;
    memset(pw, 'x', sizeof(pw));
    pw[7] = '\0';
    assert_int_equal(auth_password_ok(pw, &why), -1);
    assert_string_equal(why, "must be 8 to 128 characters");
    pw[7] = 'x';
    pw[8] = '\0';
    assert_int_equal(auth_password_ok(pw, &why), 0);
    assert_null(why);
    pw[8] = 'x';
    pw[128] = '\0';
    assert_int_equal(auth_password_ok(pw, &why), 0);
    pw[128] = 'x';
    pw[129] = '\0';
    assert_int_equal(auth_password_ok(pw, &why), -1);
    assert_non_null(why);
    assert_int_equal(auth_password_ok(NULL, &why), -1);
    /* Characters, not bytes: eight two-byte letters are eight characters. */
    assert_int_equal(auth_password_ok("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", &why), -1);
    assert_int_equal(
        auth_password_ok("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", &why),
        0);
}

static void *hash_and_verify(void *arg)
{
    char h[AUTH_HASH_MAX];
    int *ok = arg;

    *ok = auth_hash_password("concurrent pw", h) == 0 && auth_verify_password(h, "concurrent pw");
    return NULL;
}

static void more_threads_than_slots_all_hash_correctly(void **state)
{
    pthread_t t[5];
    int ok[5] = {0}, i;

    (void)state;
    for (i = 0; i < 5; i++)
        assert_int_equal(pthread_create(&t[i], NULL, hash_and_verify, &ok[i]), 0);
    for (i = 0; i < 5; i++) {
        pthread_join(t[i], NULL);
        assert_true(ok[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_password_verifies_and_a_wrong_one_does_not),
        cmocka_unit_test(the_hash_is_argon2id_at_the_chosen_cost),
        cmocka_unit_test(a_malformed_hash_never_verifies),
        cmocka_unit_test(the_dummy_hash_is_real_and_matches_nothing_guessable),
        cmocka_unit_test(tokens_are_64_lowercase_hex_and_differ),
        cmocka_unit_test(a_token_hash_is_deterministic_and_not_the_token),
        cmocka_unit_test(equal_compares_whole_strings),
        cmocka_unit_test(password_policy_is_8_to_128_characters),
        cmocka_unit_test(more_threads_than_slots_all_hash_correctly),
    };
    return cmocka_run_group_tests(tests, init, NULL);
}
