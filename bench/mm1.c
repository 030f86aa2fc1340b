/*
 * M/M/1 baseline in plain C: binary-heap event loop, same model and same RNG as
 * core/sim/mm1.ts (xoshiro128** seeded exactly like core/sim/engine/rng.ts, arrivals on
 * fork(1), services on fork(2)), so mean_wait matches rxlab for the same seed: to the bit for the
 * benchmark's seed 1, in the last digits only for some other seeds (glibc's log and rxlab's, which
 * is fdlibm's like V8's Math.log, differ by an ulp on a few inputs; 7 of 10 seeds checked agree).
 * It exists to bound how fast the TypeScript engine could possibly be on this machine.
 *
 * Build: gcc -O2 -o mm1 mm1.c -lm
 * Usage: ./mm1 CUSTOMERS [SEED]  -> one JSON line {"customers","wall_s","mean_wait","events","cpu_s"}
 * wall_s and cpu_s (process CPU time) cover setup + event loop only (like rxlab's wall_s), not
 * process start; cpu_s is the fairer figure on a machine shared with other work.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define GOLDEN 0x9e3779b9u

static uint32_t fmix32(uint32_t h) {
  h ^= h >> 16; h *= 0x85ebca6bu; h ^= h >> 13; h *= 0xc2b2ae35u; h ^= h >> 16; return h;
}

typedef struct { uint32_t s[4]; uint32_t k0, k1; } rng_t;

static void rng_set_key(rng_t *r, uint32_t k0, uint32_t k1) {
  r->k0 = k0; r->k1 = k1;
  uint32_t x = k0 ^ (k1 * 0x27d4eb2du);
  x += GOLDEN; r->s[0] = fmix32(x);
  x += GOLDEN; r->s[1] = fmix32(x ^ k1);
  x += GOLDEN; r->s[2] = fmix32(x);
  x += GOLDEN; r->s[3] = fmix32(x ^ k1);
  if ((r->s[0] | r->s[1] | r->s[2] | r->s[3]) == 0) r->s[0] = 1;
}

/* Non-negative seeds below 2^53 only (that is all the benchmark uses). */
static void rng_seed(rng_t *r, uint64_t seed) {
  uint32_t lo = (uint32_t)seed, hi = (uint32_t)(seed >> 32);
  rng_set_key(r, fmix32(lo ^ fmix32(hi + GOLDEN)), fmix32(hi ^ fmix32(lo + 0x6a09e667u)));
}

static void rng_fork(const rng_t *p, rng_t *c, uint64_t stream) {
  uint32_t lo = (uint32_t)stream, hi = (uint32_t)(stream >> 32);
  uint32_t a = fmix32(p->k0 ^ fmix32(lo + 0x3c6ef372u));
  uint32_t b = fmix32(p->k1 ^ fmix32(hi + 0xa54ff53au) ^ a);
  rng_set_key(c, a, b);
}

static inline uint32_t rotl(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }

static inline uint32_t rng_u32(rng_t *r) {
  uint32_t *s = r->s;
  uint32_t res = rotl(s[1] * 5, 7) * 9;
  uint32_t t = s[1] << 9;
  s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t; s[3] = rotl(s[3], 11);
  return res;
}

static inline double rng_exp(rng_t *r, double mean) {
  return -mean * log(1.0 - (double)rng_u32(r) * (1.0 / 4294967296.0));
}

/* Event heap ordered by (time, seq), payload = kind. */
typedef struct { double t; uint64_t seq; int kind; } ev_t;
static ev_t *heap; static size_t hsize, hcap; static uint64_t next_seq;

static inline int ev_less(const ev_t *a, const ev_t *b) {
  return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

static void push(double t, int kind) {
  if (hsize == hcap) { hcap *= 2; heap = realloc(heap, hcap * sizeof(ev_t)); if (!heap) abort(); }
  ev_t e = { t, next_seq++, kind };
  size_t i = hsize++;
  while (i > 0) {
    size_t p = (i - 1) / 2;
    if (ev_less(&heap[p], &e)) break;
    heap[i] = heap[p]; i = p;
  }
  heap[i] = e;
}

static ev_t pop(void) {
  ev_t top = heap[0];
  ev_t last = heap[--hsize];
  size_t i = 0, n = hsize;
  while (2 * i + 1 < n) {
    size_t c = 2 * i + 1;
    if (c + 1 < n && ev_less(&heap[c + 1], &heap[c])) c++;
    if (ev_less(&last, &heap[c])) break;
    heap[i] = heap[c]; i = c;
  }
  if (n > 0) heap[i] = last;
  return top;
}

int main(int argc, char **argv) {
  if (argc < 2) { fprintf(stderr, "usage: %s CUSTOMERS [SEED]\n", argv[0]); return 2; }
  long customers = strtol(argv[1], NULL, 10);
  unsigned long long seed = argc > 2 ? strtoull(argv[2], NULL, 10) : 1;
  if (customers < 1) { fprintf(stderr, "customers must be >= 1\n"); return 2; }
  const double lambda = 0.9, mu = 1.0;

  struct timespec t0, t1, c0, c1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
  rng_t root, arr, svc;
  rng_seed(&root, seed);
  rng_fork(&root, &arr, 1);
  rng_fork(&root, &svc, 2);
  hcap = 16; heap = malloc(hcap * sizeof(ev_t));
  size_t rcap = 1024, head = 0, count = 0;
  double *ring = malloc(rcap * sizeof(double));
  int busy = 0; long arrived = 0, departed = 0; double wait_sum = 0, now = 0; long events = 0;

  push(rng_exp(&arr, 1 / lambda), 0);
  while (hsize > 0) {
    ev_t e = pop();
    now = e.t; events++;
    if (e.kind == 0) {
      arrived++;
      if (arrived < customers) push(now + rng_exp(&arr, 1 / lambda), 0);
      if (!busy) { busy = 1; push(now + rng_exp(&svc, 1 / mu), 1); }
      else {
        if (count == rcap) {
          double *b = malloc(2 * rcap * sizeof(double));
          for (size_t i = 0; i < count; i++) b[i] = ring[(head + i) % rcap];
          free(ring); ring = b; rcap *= 2; head = 0;
        }
        ring[(head + count) & (rcap - 1)] = now; count++;
      }
    } else {
      departed++;
      if (departed == customers) break;
      if (count > 0) {
        double at = ring[head]; head = (head + 1) & (rcap - 1); count--;
        wait_sum += now - at;
        push(now + rng_exp(&svc, 1 / mu), 1);
      } else busy = 0;
    }
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
  double wall = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
  double cpu = (double)(c1.tv_sec - c0.tv_sec) + (double)(c1.tv_nsec - c0.tv_nsec) * 1e-9;
  printf("{\"customers\":%ld,\"wall_s\":%.6f,\"mean_wait\":%.17g,\"events\":%ld,\"cpu_s\":%.6f}\n",
         customers, wall, wait_sum / (double)customers, events, cpu);
  free(ring); free(heap);
  return 0;
}
