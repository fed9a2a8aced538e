/* hashtab — interning byte strings: each distinct key gets a dense index
 * (0, 1, 2... in order of first insertion), so that callers keep their
 * per-key values in plain arrays indexed by it.
 *
 * Open addressing with linear probing on a power-of-two table; keys are
 * copied into one growing arena (no allocation per key). */
#ifndef CL_HASHTAB_H
#define CL_HASHTAB_H

#include <stddef.h>
#include <stdint.h>

#define HASHTAB_MAX_ENTRIES 0x7fffffffu

struct hashtab {
    uint32_t *slots;        /* entry index + 1, 0 = empty */
    uint32_t *slot_hash;    /* low bits of the hash, to skip most compares */
    size_t mask;            /* slots - 1 */
    size_t count;           /* entries */
    char *arena;            /* keys, back to back */
    size_t arena_len, arena_cap;
    uint64_t *key_offset;   /* per entry */
    uint32_t *key_length;   /* per entry */
    size_t entries_cap;
};

/* The hash of every table in the project (hashtab, cl-share's segment map,
 * the duplicate-key check of csvio): SipHash-1-3 under a random key drawn
 * once per process, so that crafted ids cannot be made to collide. Never
 * let an output depend on it (order by insertion or by key). */
uint64_t hashtab_hash(const void *key, size_t len);

/* SipHash-c-d under an explicit key (the unit test checks it against the
 * reference vectors; hashtab_hash is SipHash-1-3 under the process key). */
uint64_t hashtab_siphash(const uint64_t key[2], int c_rounds, int d_rounds,
                         const void *data, size_t len);

/* @return 0, or -1 out of memory. */
int hashtab_init(struct hashtab *table, size_t expected);
void hashtab_free(struct hashtab *table);   /* accepts a zeroed table */

/* Find key, inserting it when absent (hash = hashtab_hash(key, len)).
 * @return its index, *is_new says whether it was inserted; -1 out of
 *         memory or past HASHTAB_MAX_ENTRIES. */
long hashtab_intern(struct hashtab *table, const void *key, size_t len,
                    uint64_t hash, int *is_new);

/* Find key without inserting it. @return its index, or -1 when absent. */
long hashtab_find(const struct hashtab *table, const void *key, size_t len, uint64_t hash);

/* The key of entry i; valid until the next insertion. */
static inline const char *hashtab_key(const struct hashtab *t, size_t i, size_t *len)
{
    *len = t->key_length[i];
    return t->arena + t->key_offset[i];
}

#endif
