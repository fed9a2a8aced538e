/* crafted-ids — sales lines whose customer ids all collide under the hash
 * clientele used before its keyed hash (an unkeyed multiply-and-fold, the
 * formula kept below), or, for comparison, random ids of the same shape.
 * Deterministic: the same file on every machine.
 *
 *   crafted-ids crafted|random N > sales.csv
 *
 * Each id is 16 printable bytes (no space, comma or quote): the first
 * eight count up, the second eight are solved so that the state after
 * them is one constant: every id then has the same 64-bit hash, and an
 * unkeyed table compares each new id with all the earlier ones. The
 * program checks that with the old formula before writing. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the old hash, for 16-byte keys and in general */
static uint64_t old_hash(const unsigned char *p, size_t len)
{
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

static const char alphabet[] =
    "!#$%&'()*+-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~";

static int usable(unsigned char c)
{
    return c > 0x20 && c < 0x7f && c != ',' && c != '"';
}

static void write_line(const unsigned char *id, unsigned long i)
{
    /* one line per id: a distinct customer each, spread over a year */
    printf("%.16s,%lu,2024-%02lu-%02lu,%lu.%02lu\n", (const char *)id, i,
           1 + i % 12, 1 + i % 28, 1 + i % 500, i % 100);
}

int main(int argc, char **argv)
{
    if (argc != 3 || (strcmp(argv[1], "crafted") != 0 && strcmp(argv[1], "random") != 0)) {
        fprintf(stderr, "usage: crafted-ids crafted|random N\n");
        return 2;
    }
    unsigned long n = strtoul(argv[2], NULL, 10);
    size_t base = sizeof alphabet - 1;
    printf("customer,invoice,date,amount\n");
    if (strcmp(argv[1], "random") == 0) {
        uint64_t s = 0x243F6A8885A308D3ull;     /* xorshift64*, fixed seed */
        for (unsigned long i = 0; i < n; i++) {
            unsigned char id[16];
            for (int b = 0; b < 16; b++) {
                s ^= s >> 12; s ^= s << 25; s ^= s >> 27;
                id[b] = (unsigned char)alphabet[((s * 0x2545F4914F6CDD1Dull) >> 33) % base];
            }
            write_line(id, i);
        }
        return 0;
    }
    const uint64_t target = 0x4d4d4d4d4d4d4d4dull;     /* the state after both words */
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    uint64_t h0 = 0x9E3779B97F4A7C15ull ^ (16 * 0xff51afd7ed558ccdull);
    uint64_t shared = 0;
    unsigned long made = 0;
    unsigned digit[8] = { 0 };
    unsigned char id[16];
    for (int b = 0; b < 8; b++)
        id[b] = (unsigned char)alphabet[0];
    while (made < n) {
        /* the first word counts up in the alphabet, an odometer */
        for (int b = 0; b < 8; b++) {
            if (++digit[b] < base) {
                id[b] = (unsigned char)alphabet[digit[b]];
                break;
            }
            digit[b] = 0;
            id[b] = (unsigned char)alphabet[0];
        }
        uint64_t w1, w2;
        memcpy(&w1, id, 8);
        uint64_t h = (h0 ^ w1) * 0xbf58476d1ce4e5b9ull;
        h ^= h >> 31;
        w2 = h ^ target;            /* then (h ^ w2) = target, before the last mix */
        /* every byte in 0x21..0x7e (no byte below, none above), then exactly */
        if (((w2 - 0x21 * ones) & ~w2 & highs) || (((w2 + 1 * ones) | w2) & highs))
            continue;
        memcpy(id + 8, &w2, 8);
        int ok = 1;
        for (int b = 8; b < 16 && ok; b++)
            ok = usable(id[b]);
        if (!ok)
            continue;
        uint64_t full = old_hash(id, 16);
        if (made == 0)
            shared = full;
        else if (full != shared) {
            fprintf(stderr, "crafted-ids: id %lu does not collide: the solver is wrong\n", made);
            return 1;
        }
        write_line(id, made++);
    }
    fprintf(stderr, "crafted-ids: %lu ids, all of old hash %016llx\n", n,
            (unsigned long long)shared);
    return 0;
}
