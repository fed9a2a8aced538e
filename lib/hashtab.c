/* hashtab — see hashtab.h. The one hash function of the project lives
 * here: SipHash-1-3 under a key drawn once per process, so that ids chosen
 * to collide (the old multiply-and-fold hash was unkeyed and invertible:
 * 400,000 crafted ids took cl-rollup from 1 s to 82 s) cannot be prepared
 * in advance. Nothing printed depends on the key: tables give dense
 * indexes in insertion order, and outputs are sorted. */
#include "hashtab.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

static uint64_t process_key[2];
static pthread_once_t process_key_once = PTHREAD_ONCE_INIT;

/* getrandom, else /dev/urandom, else (a locked-down system with neither)
 * the clock, the pid and an address: still unknown to a file prepared
 * beforehand. */
static void draw_process_key(void)
{
    unsigned char bytes[16];
    size_t got = 0;
    while (got < sizeof bytes) {
        ssize_t n = getrandom(bytes + got, sizeof bytes - got, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    if (got < sizeof bytes) {
        int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
            ssize_t n = read(fd, bytes, sizeof bytes);
            got = n == (ssize_t)sizeof bytes ? sizeof bytes : 0;
            close(fd);
        }
    }
    if (got < sizeof bytes) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        uint64_t a = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 30) ^ (uint64_t)getpid();
        uint64_t b = (uint64_t)(uintptr_t)&got * 0x9E3779B97F4A7C15ull ^ a;
        memcpy(bytes, &a, 8);
        memcpy(bytes + 8, &b, 8);
    }
    memcpy(&process_key[0], bytes, 8);
    memcpy(&process_key[1], bytes + 8, 8);
}

static inline uint64_t rotl(uint64_t x, int b)
{
    return (x << b) | (x >> (64 - b));
}

#define SIPROUND                                                        \
    do {                                                                \
        v0 += v1; v1 = rotl(v1, 13); v1 ^= v0; v0 = rotl(v0, 32);       \
        v2 += v3; v3 = rotl(v3, 16); v3 ^= v2;                          \
        v0 += v3; v3 = rotl(v3, 21); v3 ^= v0;                          \
        v2 += v1; v1 = rotl(v1, 17); v1 ^= v2; v2 = rotl(v2, 32);       \
    } while (0)

static inline uint64_t read_le64(const unsigned char *p)
{
    return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 |
           (uint64_t)p[3] << 24 | (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 |
           (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
}

/* SipHash-c-d (Aumasson and Bernstein, 2012), written from the paper. */
static inline uint64_t siphash(const uint64_t k[2], int c_rounds, int d_rounds,
                               const void *data, size_t len)
{
    const unsigned char *p = data;
    uint64_t v0 = 0x736f6d6570736575ull ^ k[0], v1 = 0x646f72616e646f6dull ^ k[1];
    uint64_t v2 = 0x6c7967656e657261ull ^ k[0], v3 = 0x7465646279746573ull ^ k[1];
    uint64_t b = (uint64_t)len << 56;
    size_t left = len;
    for (; left >= 8; p += 8, left -= 8) {
        uint64_t m = read_le64(p);
        v3 ^= m;
        for (int i = 0; i < c_rounds; i++)
            SIPROUND;
        v0 ^= m;
    }
    for (size_t i = 0; i < left; i++)
        b |= (uint64_t)p[i] << (8 * i);
    v3 ^= b;
    for (int i = 0; i < c_rounds; i++)
        SIPROUND;
    v0 ^= b;
    v2 ^= 0xff;
    for (int i = 0; i < d_rounds; i++)
        SIPROUND;
    return v0 ^ v1 ^ v2 ^ v3;
}

uint64_t hashtab_siphash(const uint64_t key[2], int c_rounds, int d_rounds,
                         const void *data, size_t len)
{
    return siphash(key, c_rounds, d_rounds, data, len);
}

uint64_t hashtab_hash(const void *key, size_t len)
{
    pthread_once(&process_key_once, draw_process_key);
    return siphash(process_key, 1, 3, key, len);
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
