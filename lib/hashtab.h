/* hashtab — interning byte strings: each distinct key gets a dense index
 * (0, 1, 2... in order of first insertion), so that callers keep their
 * per-key values in plain arrays indexed by it.
 *
 * Open addressing with linear probing on a power-of-two table of 16-byte
 * slots, four to a cache line. A key of up to HASHTAB_INLINE bytes (a
 * customer id, a (customer, order) pair) lives in its slot, so that a
 * lookup reads one cache line: the slot holds the entry index, the length
 * and the bytes, compared at once as 12 bytes. A longer key is copied into
 * one growing arena (its length first) and its slot holds a 32-bit tag of
 * the hash instead, compared before the bytes. Each entry keeps where its
 * key is: its slot, or its place in the arena. */
#ifndef CL_HASHTAB_H
#define CL_HASHTAB_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define HASHTAB_MAX_ENTRIES 0x7fffffffu
#define HASHTAB_INLINE 11           /* longest key kept in its slot */
#define HASHTAB_LONG 0xffu          /* slot length byte of a key in the arena */
#define HASHTAB_IN_ARENA (1ull << 63)   /* entry_ref bit: arena offset, not slot */

struct hashtab_slot {
    uint32_t entry;                 /* entry index + 1, 0 = empty */
    unsigned char len;              /* key length, or HASHTAB_LONG */
    char key[HASHTAB_INLINE];       /* the key, zero-padded; HASHTAB_LONG: the
                                       hash tag in its first 4 bytes, then zeros */
};

struct hashtab {
    struct hashtab_slot *slots;
    size_t mask;            /* slots - 1 */
    size_t count;           /* entries */
    char *arena;            /* long keys, each its uint32_t length then its bytes */
    size_t arena_len, arena_cap;
    uint64_t *entry_ref;    /* per entry: its slot, or HASHTAB_IN_ARENA | arena offset */
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

/* Growing arrays of millions of entries (a table's per-entry arrays): of
 * 1 MiB and more they are mapped on their own and grown by mremap, so that
 * growing copies nothing, never holds the old array beside the new one,
 * and the part not yet written costs no memory; smaller ones use malloc.
 * The contents up to old_bytes are kept; the rest is unspecified.
 * @return the array, or NULL out of memory (p unchanged). */
void *hashtab_array_grow(void *p, size_t old_bytes, size_t new_bytes);
void hashtab_array_free(void *p, size_t bytes);     /* bytes: as last grown */

/* Say that an array (as last grown) is read at random: a mapped one is
 * asked for huge pages, as the slots are, so that a read misses the cache
 * but not the TLB too. Only the 2 MiB pages written to cost memory. For
 * arrays read in order, 4 KiB pages cost less to fault in. */
void hashtab_array_random(void *p, size_t bytes);

/* Give back the memory of the array's first `upto` bytes (the whole pages
 * of a mapped one; nothing for a small one): their contents become zero.
 * For a pass that reads an array once, in order, and drops it after. */
void hashtab_array_release(void *p, size_t bytes, size_t upto);

/* The same for a table read once in entry order (hashtab_key) and then
 * freed: the entry references and long keys of entries before `entry` are
 * given back. Only hashtab_free may follow, or hashtab_key on entries >=
 * entry. */
void hashtab_release_before(struct hashtab *t, size_t entry);

/* The same for a table read once in slot order (hashtab_slot_entry) and
 * then freed: the slots before `slot` are given back (a mapped array's
 * whole pages). Only hashtab_free may follow, or hashtab_slot_entry on
 * slots >= slot. */
void hashtab_release_slots_before(struct hashtab *t, size_t slot);

/* @return 0, or -1 out of memory. */
int hashtab_init(struct hashtab *table, size_t expected);
void hashtab_free(struct hashtab *table);   /* accepts a zeroed table */

/* Find key, inserting it when absent (hash = hashtab_hash(key, len)).
 * @return its index, *is_new says whether it was inserted; -1 out of
 *         memory or past HASHTAB_MAX_ENTRIES. */
long hashtab_intern(struct hashtab *table, const void *key, size_t len,
                    uint64_t hash, int *is_new);

/* Ask for the home slot of `hash` to be brought into the cache, ahead of
 * a lookup of it: a loop over many keys (a merge) prefetches a few keys
 * ahead, so that their cache misses overlap. Only a hint: the table may
 * grow before the lookup. */
static inline void hashtab_prefetch(const struct hashtab *t, uint64_t hash)
{
    __builtin_prefetch(&t->slots[(size_t)hash & t->mask]);
}

/* Find key without inserting it. @return its index, or -1 when absent. */
long hashtab_find(const struct hashtab *table, const void *key, size_t len, uint64_t hash);

/* The key of entry i; valid until the next insertion. */
static inline const char *hashtab_key(const struct hashtab *t, size_t i, size_t *len)
{
    uint64_t ref = t->entry_ref[i];
    if (ref & HASHTAB_IN_ARENA) {
        const char *p = t->arena + (ref & ~HASHTAB_IN_ARENA);
        uint32_t n;
        memcpy(&n, p, sizeof n);
        *len = n;
        return p + sizeof n;
    }
    *len = t->slots[ref].len;
    return t->slots[ref].key;
}

/* The entries in slot order, for a pass that wants every key and no
 * particular order (it reads the slots one after the other instead of
 * each entry's slot at random): slot i's entry index, its key in *key and
 * *len, or -1 for an empty slot; i < hashtab_slots(t). */
static inline size_t hashtab_slots(const struct hashtab *t)
{
    return t->mask + 1;
}

static inline long hashtab_slot_entry(const struct hashtab *t, size_t i, const char **key,
                                      size_t *len)
{
    const struct hashtab_slot *s = &t->slots[i];
    if (!s->entry)
        return -1;
    if (s->len == HASHTAB_LONG) {
        *key = hashtab_key(t, s->entry - 1, len);
    } else {
        *key = s->key;
        *len = s->len;
    }
    return (long)s->entry - 1;
}

#endif
