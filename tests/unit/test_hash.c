/* hashtab: the keyed hash (SipHash under a per-process key) against the
 * reference vectors, drawn anew by every process, and the table's dense
 * indexes not depending on it. */
#include <stdint.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hashtab.h"
#include "t.h"

/* The hash of "clientele" in a fresh child process (its own key). */
static uint64_t child_hash(void)
{
    int fds[2];
    uint64_t h = 0;
    if (pipe(fds) != 0)
        abort();
    pid_t pid = fork();
    if (pid == 0) {
        uint64_t v = hashtab_hash("clientele", 9);
        _exit(write(fds[1], &v, sizeof v) == (ssize_t)sizeof v ? 0 : 1);
    }
    close(fds[1]);
    if (read(fds[0], &h, sizeof h) != (ssize_t)sizeof h)
        h = 0;
    close(fds[0]);
    waitpid(pid, NULL, 0);
    return h;
}

int main(void)
{
    /* SipHash-2-4 reference vectors (the paper's test.c): key 00..0f,
     * message 00 01 .. n-1 */
    const uint64_t key[2] = { 0x0706050403020100ull, 0x0f0e0d0c0b0a0908ull };
    unsigned char msg[16];
    for (int i = 0; i < 16; i++)
        msg[i] = (unsigned char)i;
    static const struct { size_t n; uint64_t want; } vectors[] = {
        { 0, 0x726fdb47dd0e0e31ull }, { 1, 0x74f839c593dc67fdull },
        { 7, 0xab0200f58b01d137ull }, { 8, 0x93f5f5799a932462ull },
        { 15, 0xa129ca6149be45e5ull }, { 16, 0x3f2acc7f57c29bdbull },
    };
    for (size_t i = 0; i < sizeof vectors / sizeof *vectors; i++)
        T_CHECK(hashtab_siphash(key, 2, 4, msg, vectors[i].n) == vectors[i].want,
                "hash: SipHash-2-4 reference vector, %zu bytes", vectors[i].n);

    /* the process key: another in every process (the children draw theirs
     * before this one has any), the same within one */
    uint64_t c1 = child_hash(), c2 = child_hash();
    T_CHECK(c1 != c2 && c1 != 0 && c2 != 0, "hash: every process draws its own key");
    uint64_t a = hashtab_hash("clientele", 9);
    T_CHECK(a == hashtab_hash("clientele", 9), "hash: stable within a process");
    T_CHECK(a != hashtab_siphash((const uint64_t[2]){ 0, 0 }, 1, 3, "clientele", 9),
            "hash: keyed (not SipHash-1-3 under a zero key)");
    T_CHECK(hashtab_hash("C001", 4) != hashtab_hash("C002", 4), "hash: two ids, two hashes");

    /* the table: dense indexes in insertion order, whatever the hash */
    struct hashtab t;
    int ok = hashtab_init(&t, 4) == 0, is_new;
    char id[32];
    for (int i = 0; ok && i < 100000; i++) {
        int n = snprintf(id, sizeof id, "C%d", i * 7919 % 100000);
        ok = hashtab_intern(&t, id, (size_t)n, hashtab_hash(id, (size_t)n), &is_new) == i &&
             is_new;
    }
    for (int i = 0; ok && i < 100000; i++) {
        int n = snprintf(id, sizeof id, "C%d", i * 7919 % 100000);
        ok = hashtab_intern(&t, id, (size_t)n, hashtab_hash(id, (size_t)n), &is_new) == i &&
             !is_new;
    }
    T_CHECK(ok && t.count == 100000, "hash: 100,000 ids interned in insertion order, found again");
    hashtab_free(&t);

    /* tables of 2 MiB and more double where they are (mremap, then every
     * entry moved within the array): 700,000 keys, one in five longer than
     * a slot holds, through five such doublings; after each, every key so
     * far is found at its index with its bytes, and none is found twice */
    /* The first 60 keys are chosen to sit in the last 4 of the 131,072
     * slots of the first such table, so that their run wraps past its end
     * and over slot 0 when it doubles. */
    static int wrapping[60];
    for (int found = 0, c = 0; found < 60; c++) {
        int n = snprintf(id, sizeof id, "w%d", c);
        if ((hashtab_hash(id, (size_t)n) & 131071) >= 131068)
            wrapping[found++] = c;
    }
#define KEY_OF(buf, i)                                                              \
    ((i) < 60 ? snprintf(buf, sizeof buf, "w%d", wrapping[i])                      \
              : snprintf(buf, sizeof buf, (i) % 5 ? "%d" : "long-customer-id-%d", (i) * 7 + 3))
    ok = hashtab_init(&t, 40000) == 0;
    int checked_growths = 0;
    size_t slots_before = hashtab_slots(&t);
    for (int i = 0; ok && i < 700000; i++) {
        int n = KEY_OF(id, i);
        ok = hashtab_intern(&t, id, (size_t)n, hashtab_hash(id, (size_t)n), &is_new) == i &&
             is_new;
        if (hashtab_slots(&t) == slots_before)
            continue;
        slots_before = hashtab_slots(&t);
        if (slots_before * sizeof(struct hashtab_slot) > ((size_t)2 << 20))
            checked_growths++;
        size_t seen = 0;
        for (size_t s = 0; ok && s < hashtab_slots(&t); s++) {
            const char *bytes;
            size_t len;
            seen += hashtab_slot_entry(&t, s, &bytes, &len) >= 0;
        }
        ok = ok && seen == t.count;
        for (int j = 0; ok && j <= i; j++) {
            int m = KEY_OF(id, j);
            size_t len;
            const char *back = hashtab_key(&t, (size_t)j, &len);
            ok = hashtab_find(&t, id, (size_t)m, hashtab_hash(id, (size_t)m)) == j &&
                 len == (size_t)m && memcmp(back, id, len) == 0;
        }
    }
    T_CHECK(ok && t.count == 700000 && checked_growths == 4,
            "hash: tables doubled in place keep every key at its index, once");
    hashtab_free(&t);

    /* short keys (in the slot) and long ones (in the arena) around the
     * boundary, with zero bytes, prefixes of one another, and every one
     * under the same hash (forced) so that each lookup probes past all the
     * others: each gets its own index and its own bytes back */
    static char keys[200][40];
    static size_t lens[200];
    for (int i = 0; i < 200; i++) {
        lens[i] = (size_t)(1 + i % 40);
        memset(keys[i], 'a' + i / 40, sizeof keys[i]);
        if (i % 3 == 0 && lens[i] > 1)
            keys[i][lens[i] - 1] = '\0';       /* "aaa\0" against "aaa" */
    }
    ok = hashtab_init(&t, 400) == 0;      /* no growing: it would rehash by the true hash */
    for (int i = 0; ok && i < 200; i++)
        ok = hashtab_intern(&t, keys[i], lens[i], 42, &is_new) == i && is_new;
    T_CHECK(ok, "hash: 200 keys of 1 to 40 bytes under one hash, each new");
    int same = 1, found = 1;
    for (int i = 0; ok && i < 200; i++) {
        size_t len;
        const char *k = hashtab_key(&t, (size_t)i, &len);
        same = same && len == lens[i] && memcmp(k, keys[i], len) == 0;
        found = found && hashtab_find(&t, keys[i], lens[i], 42) == i &&
                hashtab_intern(&t, keys[i], lens[i], 42, &is_new) == i && !is_new;
    }
    T_CHECK(same, "hash: each entry's bytes and length given back, short and long keys");
    T_CHECK(found && t.count == 200, "hash: each found again under the shared hash");
    T_CHECK(hashtab_find(&t, "ffffffffffff", 12, 42) == -1 &&
            hashtab_find(&t, "f", 1, 42) == -1 && hashtab_find(&t, "", 0, 42) == -1 &&
            hashtab_find(&t, keys[1], lens[1], 7) == -1,
            "hash: absent keys (long, short, empty, under another hash) not found");
    hashtab_free(&t);
    T_DONE();
}
