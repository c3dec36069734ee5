/*
 * Native baselines for the sampler benchmark: the three ways real agents decide which packets
 * to sample, in C with the same generator as ours (xoshiro128**, Blackman & Vigna 2021):
 *   coin       one random draw per packet, kept when below 2^32/N (Open vSwitch, Linux tc
 *              act_sample, iptables statistic: Bernoulli per packet)
 *   countdown  a per-packet decrement of a skip counter, reloaded with a skip uniform on
 *              1 … 2N−1 when it reaches zero (the sFlow reference agent, pmacct)
 *   skipahead  the same skips, decided per batch by jumping from one selected packet to the
 *              next (the VPP sFlow plugin's pattern, and ours)
 * and skip-ahead for each of our modes, for like-for-like ratios:
 *   window     one packet at a uniform position per window of N (our `random`)
 *   geometric  geometric skips 1 + floor(ln U / ln(1 − 1/N)) with libm's log (our `bernoulli`)
 *   every      every Nth packet (our `deterministic`)
 * (`skipahead` is our `sflow`.) Each writes the selected indices of a batch of 65536 packets
 * to a buffer, as ours do.
 *
 * Usage: sampler. Reads commands on stdin, one per line, answering each with one line:
 *   <kind> N PACKETS  -> "<nanoseconds> <selected> <packets decided>"
 * (PACKETS is rounded up to whole batches).
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define BATCH 65536

static uint32_t s[4] = {0x9e3779b9u, 0x243f6a88u, 0xb7e15162u, 0x12345678u};

static inline uint32_t rotl(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }

static inline uint32_t next(void) {
  const uint32_t result = rotl(s[1] * 5, 7) * 9;
  const uint32_t t = s[1] << 9;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 11);
  return result;
}

/* Uniform on [0, bound) without modulo bias (Lemire 2019). */
static inline uint32_t below(uint32_t bound) {
  uint64_t m = (uint64_t)next() * bound;
  uint32_t low = (uint32_t)m;
  if (low < bound) {
    uint32_t threshold = (0u - bound) % bound;
    while (low < threshold) {
      m = (uint64_t)next() * bound;
      low = (uint32_t)m;
    }
  }
  return (uint32_t)(m >> 32);
}

static double now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e9 + t.tv_nsec;
}

/* Visible outside this file, so the compiler keeps every store to it. */
uint32_t out[BATCH];

static uint64_t coin(uint32_t n, uint64_t packets) {
  const uint64_t threshold = n <= 1 ? 0x100000000ull : 0x100000000ull / n;
  uint64_t selected = 0;
  for (uint64_t done = 0; done < packets; done += BATCH) {
    uint32_t k = 0;
    for (uint32_t i = 0; i < BATCH; i++) if ((uint64_t)next() < threshold) out[k++] = i;
    selected += k;
  }
  return selected;
}

static uint64_t countdown(uint32_t n, uint64_t packets) {
  uint64_t selected = 0;
  uint32_t skip = below(n) + 1;
  for (uint64_t done = 0; done < packets; done += BATCH) {
    uint32_t k = 0;
    for (uint32_t i = 0; i < BATCH; i++) {
      if (--skip == 0) {
        out[k++] = i;
        skip = below(2 * n - 1) + 1;
      }
    }
    selected += k;
  }
  return selected;
}

static uint64_t skipahead(uint32_t n, uint64_t packets) {
  uint64_t selected = 0;
  uint64_t at = below(n); /* index of the next selected packet in the current batch */
  for (uint64_t done = 0; done < packets; done += BATCH) {
    uint32_t k = 0;
    while (at < BATCH) {
      out[k++] = (uint32_t)at;
      at += below(2 * n - 1) + 1;
    }
    at -= BATCH;
    selected += k;
  }
  return selected;
}

static uint64_t window(uint32_t n, uint64_t packets) {
  uint64_t selected = 0;
  uint32_t target = below(n);
  uint64_t at = target;
  for (uint64_t done = 0; done < packets; done += BATCH) {
    uint32_t k = 0;
    while (at < BATCH) {
      out[k++] = (uint32_t)at;
      const uint32_t next_target = below(n);
      at += n - target + next_target;
      target = next_target;
    }
    at -= BATCH;
    selected += k;
  }
  return selected;
}

static uint64_t geometric(uint32_t n, uint64_t packets) {
  const double inverse_log = n > 1 ? 1.0 / log1p(-1.0 / n) : 0.0;
  uint64_t selected = 0;
  uint64_t at = 0;
  for (uint64_t done = 0; done < packets; done += BATCH) {
    uint32_t k = 0;
    while (at < BATCH) {
      out[k++] = (uint32_t)at;
      at += n == 1 ? 1 : 1 + (uint64_t)floor(log(((double)next() + 1.0) * 0x1p-32) * inverse_log);
    }
    at -= BATCH;
    selected += k;
  }
  return selected;
}

static uint64_t every(uint32_t n, uint64_t packets) {
  uint64_t selected = 0;
  uint64_t at = 0;
  for (uint64_t done = 0; done < packets; done += BATCH) {
    uint32_t k = 0;
    while (at < BATCH) {
      out[k++] = (uint32_t)at;
      at += n;
    }
    at -= BATCH;
    selected += k;
  }
  return selected;
}

int main(void) {
  char line[256], name[32];
  unsigned n;
  unsigned long long packets;
  while (fgets(line, sizeof line, stdin)) {
    if (sscanf(line, "%31s %u %llu", name, &n, &packets) != 3 || n == 0) {
      printf("error\n");
      fflush(stdout);
      continue;
    }
    const double t = now_ns();
    uint64_t k;
    if (strcmp(name, "coin") == 0) k = coin(n, packets);
    else if (strcmp(name, "countdown") == 0) k = countdown(n, packets);
    else if (strcmp(name, "window") == 0) k = window(n, packets);
    else if (strcmp(name, "geometric") == 0) k = geometric(n, packets);
    else if (strcmp(name, "every") == 0) k = every(n, packets);
    else k = skipahead(n, packets);
    const double elapsed = now_ns() - t;
    const unsigned long long decided = (packets + BATCH - 1) / BATCH * BATCH;
    printf("%.0f %llu %llu\n", elapsed, (unsigned long long)k, decided);
    fflush(stdout);
  }
  return 0;
}
