/* hashtab — see hashtab.h. The one hash function of the project lives
 * here: SipHash-1-3 under a key drawn once per process, so that ids chosen
 * to collide (the old multiply-and-fold hash was unkeyed and invertible:
 * 400,000 crafted ids took cl-rollup from 1 s to 82 s) cannot be prepared
 * in advance. Nothing printed depends on the key: tables give dense
 * indexes in insertion order, and outputs are sorted. */
#define _GNU_SOURCE     /* mremap */

#include "hashtab.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
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

_Static_assert(sizeof(struct hashtab_slot) == 16, "four slots to a cache line");

/* Slot arrays of 2 MiB and more are mapped on their own and asked for huge
 * pages: a table of millions of keys is read at random, and with 4 KiB pages
 * nearly every lookup would also miss the TLB. Zeroed either way. */
#define HUGE_FROM ((size_t)2 << 20)

static struct hashtab_slot *slots_alloc(size_t n)
{
    size_t bytes = n * sizeof(struct hashtab_slot);
    if (bytes < HUGE_FROM)
        return calloc(n, sizeof(struct hashtab_slot));
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
#ifdef MADV_HUGEPAGE
    madvise(p, bytes, MADV_HUGEPAGE);   /* advice only: no error if refused */
#endif
    return p;
}

static void slots_free(struct hashtab_slot *slots, size_t n)
{
    size_t bytes = n * sizeof(struct hashtab_slot);
    if (bytes < HUGE_FROM)
        free(slots);
    else if (slots)
        munmap(slots, bytes);
}

#define ARRAY_MAPPED ((size_t)1 << 20)

void hashtab_array_random(void *p, size_t bytes)
{
#ifdef MADV_HUGEPAGE
    if (p && bytes >= ARRAY_MAPPED)
        madvise(p, bytes, MADV_HUGEPAGE);   /* advice only: no error if refused */
#else
    (void)p;
    (void)bytes;
#endif
}

void *hashtab_array_grow(void *p, size_t old_bytes, size_t new_bytes)
{
    if (new_bytes < ARRAY_MAPPED)
        return realloc(p, new_bytes ? new_bytes : 1);
    void *q;
    if (p && old_bytes >= ARRAY_MAPPED) {
        q = mremap(p, old_bytes, new_bytes, MREMAP_MAYMOVE);
        return q == MAP_FAILED ? NULL : q;
    }
    q = mmap(NULL, new_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (q == MAP_FAILED)
        return NULL;
    if (p) {
        memcpy(q, p, old_bytes);
        free(p);
    }
    return q;
}

void hashtab_array_free(void *p, size_t bytes)
{
    if (bytes >= ARRAY_MAPPED)
        munmap(p, bytes);
    else
        free(p);
}

void hashtab_array_release(void *p, size_t bytes, size_t upto)
{
    size_t page = 4096;
    if (bytes < ARRAY_MAPPED || !p)
        return;
    upto = upto < bytes ? upto : bytes;
    upto -= upto % page;
    if (upto)
        madvise(p, upto, MADV_DONTNEED);
}

void hashtab_release_before(struct hashtab *t, size_t entry)
{
    if (entry > t->count)
        entry = t->count;
    size_t arena_upto = 0;
    /* long keys are appended in entry order: the bytes before the last one
     * of an entry < `entry` (looked for among the 4096 before it) are
     * those of earlier entries only */
    for (size_t e = entry; e > 0 && entry - e < 4096; e--)
        if (t->entry_ref[e - 1] & HASHTAB_IN_ARENA) {
            arena_upto = (size_t)(t->entry_ref[e - 1] & ~HASHTAB_IN_ARENA);
            break;
        }
    hashtab_array_release(t->arena, t->arena_cap, arena_upto);
    hashtab_array_release(t->entry_ref, t->entries_cap * sizeof *t->entry_ref,
                          entry * sizeof *t->entry_ref);
}

void hashtab_release_slots_before(struct hashtab *t, size_t slot)
{
    size_t bytes = (t->mask + 1) * sizeof(struct hashtab_slot);
    size_t upto = (slot < t->mask + 1 ? slot : t->mask + 1) * sizeof(struct hashtab_slot);
    upto -= upto % 4096;
    if (bytes >= HUGE_FROM && upto)     /* mapped (slots_alloc) */
        madvise(t->slots, upto, MADV_DONTNEED);
}

int hashtab_init(struct hashtab *t, size_t expected)
{
    memset(t, 0, sizeof *t);
    size_t slots = 64;
    while (slots < expected * 2)
        slots *= 2;
    t->slots = slots_alloc(slots);
    if (!t->slots)
        return -1;
    t->mask = slots - 1;
    return 0;
}

void hashtab_free(struct hashtab *t)
{
    if (t->slots)
        slots_free(t->slots, t->mask + 1);
    hashtab_array_free(t->arena, t->arena_cap);
    hashtab_array_free(t->entry_ref, t->entries_cap * sizeof *t->entry_ref);
    memset(t, 0, sizeof *t);
}

/* The 12 bytes a short key's slot holds after its entry index: the length,
 * then the key zero-padded; compared as one 8-byte and one 4-byte word. */
struct image {
    uint64_t a;
    uint32_t b;
};

static inline struct image image_of(const void *key, size_t len)
{
    unsigned char bytes[12] = { 0 };
    bytes[0] = (unsigned char)len;
    memcpy(bytes + 1, key, len);
    struct image im;
    memcpy(&im.a, bytes, 8);
    memcpy(&im.b, bytes + 8, 4);
    return im;
}

static inline int slot_is(const struct hashtab_slot *s, struct image im)
{
    uint64_t a;
    uint32_t b;
    memcpy(&a, (const unsigned char *)s + 4, 8);
    memcpy(&b, (const unsigned char *)s + 12, 4);
    return a == im.a && b == im.b;
}

static inline uint32_t slot_tag(const struct hashtab_slot *s)
{
    uint32_t tag;
    memcpy(&tag, s->key, sizeof tag);
    return tag;
}

/* The slot of a key that is there, or the empty slot that ends its probe. */
static inline size_t probe(const struct hashtab *t, const void *key, size_t len, uint64_t hash)
{
    size_t i = (size_t)hash & t->mask;
    if (len <= HASHTAB_INLINE) {
        struct image im = image_of(key, len);
        while (t->slots[i].entry && !slot_is(&t->slots[i], im))
            i = (i + 1) & t->mask;
        return i;
    }
    uint32_t tag = (uint32_t)(hash >> 32);
    for (; t->slots[i].entry; i = (i + 1) & t->mask) {
        const struct hashtab_slot *s = &t->slots[i];
        if (s->len != HASHTAB_LONG || slot_tag(s) != tag)
            continue;
        size_t have;
        const char *bytes = hashtab_key(t, s->entry - 1, &have);
        if (have == len && memcmp(bytes, key, len) == 0)
            break;
    }
    return i;
}

/* Put the entry of slot s (already cleared from the array) in the first
 * empty slot from its home. */
static void place(struct hashtab *t, const struct hashtab_slot *s)
{
    size_t len;
    const char *k = s->len == HASHTAB_LONG ? hashtab_key(t, s->entry - 1, &len) : s->key;
    if (s->len != HASHTAB_LONG)
        len = s->len;
    size_t j = (size_t)hashtab_hash(k, len) & t->mask;
    while (t->slots[j].entry)
        j = (j + 1) & t->mask;
    t->slots[j] = *s;
    if (s->len != HASHTAB_LONG)
        t->entry_ref[s->entry - 1] = j;
}

/* Double a mapped slot array where it is (mremap: the new half comes
 * zeroed, and the old array is never held beside the new one), then move
 * each entry to its place under the new mask. The entries of the run that
 * wraps past the old end (slots 0 up to the first empty one) are taken out
 * first and put back last; the others are visited in slot order. An entry
 * is visited after every slot between its old home and its old slot (no
 * run wraps now), so it lands either where it was or in a slot already
 * visited, or in the new half: a slot that a later visit empties was
 * never on the probe path of an entry already placed.
 * @return 0, or -1 (nothing changed) when the mapping cannot grow. */
static int grow_in_place(struct hashtab *t)
{
    size_t old = t->mask + 1, bytes = old * sizeof(struct hashtab_slot);
    void *p = mremap(t->slots, bytes, 2 * bytes, MREMAP_MAYMOVE);
    if (p == MAP_FAILED)
        return -1;
#ifdef MADV_HUGEPAGE
    madvise(p, 2 * bytes, MADV_HUGEPAGE);
#endif
    t->slots = p;
    size_t first_empty = 0;
    while (t->slots[first_empty].entry)     /* there is one: count < mask */
        first_empty++;
    struct hashtab_slot spare[64], *wrapped = spare;
    if (first_empty > sizeof spare / sizeof *spare &&
        !(wrapped = malloc(first_empty * sizeof *wrapped))) {
        /* no memory for the wrapped run: undo (the new half is untouched) */
        void *q = mremap(t->slots, 2 * bytes, bytes, 0);
        (void)q;
        return -1;
    }
    memcpy(wrapped, t->slots, first_empty * sizeof *wrapped);
    memset(t->slots, 0, first_empty * sizeof *wrapped);
    t->mask = 2 * old - 1;
    for (size_t i = first_empty + 1; i < old; i++) {
        if (!t->slots[i].entry)
            continue;
        struct hashtab_slot s = t->slots[i];
        memset(&t->slots[i], 0, sizeof s);
        place(t, &s);
    }
    for (size_t i = 0; i < first_empty; i++)
        place(t, &wrapped[i]);
    if (wrapped != spare)
        free(wrapped);
    return 0;
}

static int grow_slots(struct hashtab *t)
{
    if ((t->mask + 1) * sizeof(struct hashtab_slot) >= HUGE_FROM && grow_in_place(t) == 0)
        return 0;
    size_t slots = (t->mask + 1) * 2, mask = slots - 1;
    struct hashtab_slot *ns = slots_alloc(slots);
    if (!ns)
        return -1;
    for (size_t i = 0; i <= t->mask; i++) {
        const struct hashtab_slot *s = &t->slots[i];
        if (!s->entry)
            continue;
        size_t len;
        const char *k = hashtab_key(t, s->entry - 1, &len);
        size_t j = (size_t)hashtab_hash(k, len) & mask;
        while (ns[j].entry)
            j = (j + 1) & mask;
        ns[j] = *s;
        if (s->len != HASHTAB_LONG)
            t->entry_ref[s->entry - 1] = j;
    }
    slots_free(t->slots, t->mask + 1);
    t->slots = ns;
    t->mask = mask;
    return 0;
}

/* Tables grow past a load of 1/2, and those of LARGE_SLOTS slots and more
 * (64 MiB) past 3/4: a table of millions of keys costs its memory at every
 * doubling, and 3/4 keeps the probes short (four slots to a cache line). */
#define LARGE_SLOTS ((size_t)1 << 22)

static inline int over_load(const struct hashtab *t)
{
    size_t slots = t->mask + 1;
    return slots < LARGE_SLOTS ? t->count * 2 > slots : t->count * 4 > slots * 3;
}

long hashtab_intern(struct hashtab *t, const void *key, size_t len, uint64_t hash, int *is_new)
{
    size_t i = probe(t, key, len, hash);
    if (t->slots[i].entry) {
        *is_new = 0;
        return (long)t->slots[i].entry - 1;
    }
    /* (t->count < t->mask keeps an empty slot to end every probe, even
     * when growing failed for want of memory) */
    if (t->count >= HASHTAB_MAX_ENTRIES || t->count >= t->mask ||
        len > UINT32_MAX - sizeof(uint32_t))
        return -1;
    if (t->count == t->entries_cap) {
        size_t cap = t->entries_cap ? t->entries_cap * 2 : 256;
        uint64_t *ref = hashtab_array_grow(t->entry_ref, t->entries_cap * sizeof *ref,
                                           cap * sizeof *ref);
        if (!ref)
            return -1;
        t->entry_ref = ref;
        t->entries_cap = cap;
    }
    uint32_t e = (uint32_t)t->count;
    struct hashtab_slot *s = &t->slots[i];
    if (len <= HASHTAB_INLINE) {
        s->len = (unsigned char)len;
        memcpy(s->key, key, len);       /* the rest is zero since calloc */
        t->entry_ref[e] = i;
    } else {
        size_t need = sizeof(uint32_t) + len;
        if (t->arena_len + need > t->arena_cap) {
            size_t cap = t->arena_cap ? t->arena_cap : 4096;
            while (cap < t->arena_len + need)
                cap *= 2;
            char *a = hashtab_array_grow(t->arena, t->arena_cap, cap);
            if (!a)
                return -1;
            t->arena = a;
            t->arena_cap = cap;
        }
        uint32_t n = (uint32_t)len, tag = (uint32_t)(hash >> 32);
        memcpy(t->arena + t->arena_len, &n, sizeof n);
        memcpy(t->arena + t->arena_len + sizeof n, key, len);
        t->entry_ref[e] = HASHTAB_IN_ARENA | t->arena_len;
        t->arena_len += need;
        s->len = HASHTAB_LONG;
        memcpy(s->key, &tag, sizeof tag);
    }
    s->entry = e + 1;
    t->count++;
    *is_new = 1;
    if (over_load(t) && grow_slots(t) != 0) {
        /* the entry is in; the table just stays fuller than planned */
    }
    return (long)e;
}

long hashtab_find(const struct hashtab *t, const void *key, size_t len, uint64_t hash)
{
    size_t i = probe(t, key, len, hash);
    return t->slots[i].entry ? (long)t->slots[i].entry - 1 : -1;
}
