#include "hashtab.h"

#include <stdlib.h>
#include <string.h>

/* A simple fast 64-bit hash: 8 bytes at a time, multiply and fold. Not
 * cryptographic; customer ids are not chosen to collide. */
uint64_t hashtab_hash(const void *key, size_t len)
{
    const unsigned char *p = key;
    uint64_t h = 0x9E3779B97F4A7C15ull ^ (len * 0xff51afd7ed558ccdull);
    while (len >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h = (h ^ w) * 0xbf58476d1ce4e5b9ull;
        h ^= h >> 31;
        p += 8;
        len -= 8;
    }
    uint64_t w = 0;
    memcpy(&w, p, len);
    h = (h ^ w) * 0x94d049bb133111ebull;
    h ^= h >> 29;
    h *= 0xbf58476d1ce4e5b9ull;
    h ^= h >> 32;
    return h;
}

int hashtab_init(struct hashtab *t, size_t expected)
{
    memset(t, 0, sizeof *t);
    size_t slots = 64;
    while (slots < expected * 2)
        slots *= 2;
    t->slots = calloc(slots, sizeof *t->slots);
    t->slot_hash = malloc(slots * sizeof *t->slot_hash);
    if (!t->slots || !t->slot_hash) {
        hashtab_free(t);
        return -1;
    }
    t->mask = slots - 1;
    return 0;
}

void hashtab_free(struct hashtab *t)
{
    free(t->slots);
    free(t->slot_hash);
    free(t->arena);
    free(t->key_offset);
    free(t->key_length);
    memset(t, 0, sizeof *t);
}

static int grow_slots(struct hashtab *t)
{
    size_t slots = (t->mask + 1) * 2;
    uint32_t *ns = calloc(slots, sizeof *ns);
    uint32_t *nh = malloc(slots * sizeof *nh);
    if (!ns || !nh) {
        free(ns);
        free(nh);
        return -1;
    }
    for (size_t i = 0; i <= t->mask; i++) {
        if (!t->slots[i])
            continue;
        uint32_t e = t->slots[i] - 1;
        size_t len;
        const char *k = hashtab_key(t, e, &len);
        uint64_t h = hashtab_hash(k, len);
        size_t j = (size_t)h & (slots - 1);
        while (ns[j])
            j = (j + 1) & (slots - 1);
        ns[j] = t->slots[i];
        nh[j] = (uint32_t)(h >> 32);
    }
    free(t->slots);
    free(t->slot_hash);
    t->slots = ns;
    t->slot_hash = nh;
    t->mask = slots - 1;
    return 0;
}

long hashtab_intern(struct hashtab *t, const void *key, size_t len, uint64_t hash, int *is_new)
{
    uint32_t tag = (uint32_t)(hash >> 32);
    size_t i = (size_t)hash & t->mask;
    while (t->slots[i]) {
        if (t->slot_hash[i] == tag) {
            uint32_t e = t->slots[i] - 1;
            if (t->key_length[e] == len && memcmp(t->arena + t->key_offset[e], key, len) == 0) {
                *is_new = 0;
                return (long)e;
            }
        }
        i = (i + 1) & t->mask;
    }
    if (t->count >= HASHTAB_MAX_ENTRIES || len > UINT32_MAX)
        return -1;
    if (t->count == t->entries_cap) {
        size_t cap = t->entries_cap ? t->entries_cap * 2 : 256;
        uint64_t *off = realloc(t->key_offset, cap * sizeof *off);
        if (off) t->key_offset = off;
        uint32_t *kl = off ? realloc(t->key_length, cap * sizeof *kl) : NULL;
        if (!kl)
            return -1;
        t->key_length = kl;
        t->entries_cap = cap;
    }
    if (t->arena_len + len > t->arena_cap) {
        size_t cap = t->arena_cap ? t->arena_cap : 4096;
        while (cap < t->arena_len + len)
            cap *= 2;
        char *a = realloc(t->arena, cap);
        if (!a)
            return -1;
        t->arena = a;
        t->arena_cap = cap;
    }
    uint32_t e = (uint32_t)t->count++;
    memcpy(t->arena + t->arena_len, key, len);
    t->key_offset[e] = t->arena_len;
    t->key_length[e] = (uint32_t)len;
    t->arena_len += len;
    t->slots[i] = e + 1;
    t->slot_hash[i] = tag;
    *is_new = 1;
    if (t->count * 2 > t->mask + 1 && grow_slots(t) != 0) {
        /* the entry is in; the table just stays fuller than planned */
    }
    return (long)e;
}

long hashtab_find(const struct hashtab *t, const void *key, size_t len, uint64_t hash)
{
    uint32_t tag = (uint32_t)(hash >> 32);
    size_t i = (size_t)hash & t->mask;
    while (t->slots[i]) {
        uint32_t e = t->slots[i] - 1;
        if (t->slot_hash[i] == tag && t->key_length[e] == len &&
            memcmp(t->arena + t->key_offset[e], key, len) == 0)
            return (long)e;
        i = (i + 1) & t->mask;
    }
    return -1;
}
