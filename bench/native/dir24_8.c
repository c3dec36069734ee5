/*
 * Native baseline for the FIB benchmark: DIR-24-8-BASIC (Gupta, Lin & McKeown, "Routing lookups
 * in hardware at memory access speeds", INFOCOM 1998) with 32-bit entries as in DPDK's rte_lpm
 * (a tbl24 of 2^24 entries, 256-entry tbl8 groups for prefixes longer than /24), built by
 * painting prefixes in ascending length order. Also a 16-bit-entry variant.
 *
 * Usage: dir24_8 ROUTES ADDRESSES...
 *   ROUTES    binary: u32 count, then count u32 addresses, count u8 lengths, count u32 next hops
 *   ADDRESSES binary: u32 addresses to look up (one file per stream)
 * Then reads commands on stdin, one per line, and answers each with one line:
 *   run32 K   look up stream K with 32-bit entries  -> "<nanoseconds> <checksum>"
 *   run16 K   the same with 16-bit entries
 *   info      -> "<build ns> <tbl8 groups> <bytes32> <bytes16>"
 * The checksum folds every result, so the caller can check the answers match its own.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TBL8_FLAG32 0x80000000u
#define TBL8_FLAG16 0x8000u
#define MAX_STREAMS 8

static double now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e9 + t.tv_nsec;
}

static void *read_file(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  if (!f) { perror(path); exit(1); }
  fseek(f, 0, SEEK_END);
  *size = (size_t)ftell(f);
  fseek(f, 0, SEEK_SET);
  void *buffer = malloc(*size ? *size : 1);
  if (fread(buffer, 1, *size, f) != *size) { perror(path); exit(1); }
  fclose(f);
  return buffer;
}

static uint32_t *tbl24, *tbl8;
static uint16_t *tbl24s, *tbl8s;
static uint32_t groups, max_groups;

static void paint(uint32_t address, unsigned length, uint32_t hop) {
  if (length <= 24) {
    uint32_t start = address >> 8, end = start + (1u << (24 - length));
    for (uint32_t i = start; i < end; i++) {
      uint32_t e = tbl24[i];
      if (e & TBL8_FLAG32) {
        uint32_t *g = tbl8 + ((size_t)(e & ~TBL8_FLAG32) << 8);
        for (int k = 0; k < 256; k++) g[k] = hop;
      } else tbl24[i] = hop;
    }
    return;
  }
  uint32_t i = address >> 8, e = tbl24[i];
  if (!(e & TBL8_FLAG32)) {
    if (groups == max_groups) {
      max_groups = max_groups ? max_groups * 2 : 1024;
      tbl8 = realloc(tbl8, (size_t)max_groups * 256 * 4);
    }
    uint32_t *g = tbl8 + ((size_t)groups << 8);
    for (int k = 0; k < 256; k++) g[k] = e;
    e = TBL8_FLAG32 | groups++;
    tbl24[i] = e;
  }
  uint32_t *g = tbl8 + ((size_t)(e & ~TBL8_FLAG32) << 8);
  uint32_t from = address & 255, count = 1u << (32 - length);
  for (uint32_t k = from; k < from + count; k++) g[k] = hop;
}

int main(int argc, char **argv) {
  if (argc < 3) { fprintf(stderr, "usage: dir24_8 ROUTES ADDRESSES...\n"); return 2; }
  size_t size;
  uint32_t *routes = read_file(argv[1], &size);
  uint32_t n = routes[0];
  uint32_t *addresses = routes + 1;
  uint8_t *lengths = (uint8_t *)(addresses + n);
  uint32_t hops[1];
  const uint8_t *hop_bytes = lengths + n;

  uint32_t *streams[MAX_STREAMS];
  size_t stream_size[MAX_STREAMS];
  int nstreams = argc - 2 > MAX_STREAMS ? MAX_STREAMS : argc - 2;
  for (int s = 0; s < nstreams; s++) {
    streams[s] = read_file(argv[2 + s], &stream_size[s]);
    stream_size[s] /= 4;
  }

  double t0 = now_ns();
  /* Counting sort by length, then paint shortest first. */
  uint32_t start_of[34] = {0};
  for (uint32_t i = 0; i < n; i++) start_of[lengths[i] + 1]++;
  for (int l = 1; l < 34; l++) start_of[l] += start_of[l - 1];
  uint32_t *order = malloc((size_t)n * 4);
  for (uint32_t i = 0; i < n; i++) order[start_of[lengths[i]]++] = i;
  tbl24 = calloc((size_t)1 << 24, 4);
  for (uint32_t k = 0; k < n; k++) {
    uint32_t i = order[k];
    memcpy(hops, hop_bytes + (size_t)i * 4, 4);
    paint(addresses[i], lengths[i], hops[0]);
  }
  double build = now_ns() - t0;
  /* The 16-bit variant: same table, narrower entries (next hops must fit in 15 bits). */
  tbl24s = malloc(((size_t)1 << 24) * 2);
  tbl8s = malloc((size_t)(groups ? groups : 1) * 256 * 2);
  for (size_t i = 0; i < ((size_t)1 << 24); i++) {
    uint32_t e = tbl24[i];
    tbl24s[i] = (uint16_t)(e & TBL8_FLAG32 ? TBL8_FLAG16 | (e & 0x7fff) : e & 0x7fff);
  }
  for (size_t i = 0; i < (size_t)groups * 256; i++) tbl8s[i] = (uint16_t)(tbl8[i] & 0x7fff);

  uint32_t *out = malloc(sizeof(uint32_t) * (1u << 24));
  char line[64];
  while (fgets(line, sizeof line, stdin)) {
    int k = 0;
    if (strncmp(line, "info", 4) == 0) {
      printf("%.0f %u %zu %zu\n", build, groups, ((size_t)1 << 24) * 4 + (size_t)groups * 1024, ((size_t)1 << 24) * 2 + (size_t)groups * 512);
    } else if (sscanf(line, "run32 %d", &k) == 1 && k >= 0 && k < nstreams) {
      const uint32_t *a = streams[k];
      size_t count = stream_size[k];
      double t = now_ns();
      for (size_t i = 0; i < count; i++) {
        uint32_t x = a[i], e = tbl24[x >> 8];
        if (e & TBL8_FLAG32) e = tbl8[((size_t)(e & ~TBL8_FLAG32) << 8) | (x & 255)];
        out[i] = e;
      }
      double elapsed = now_ns() - t;
      uint32_t sum = 0;
      for (size_t i = 0; i < count; i++) sum = sum * 31u + out[i];
      printf("%.0f %u\n", elapsed, sum);
    } else if (sscanf(line, "run16 %d", &k) == 1 && k >= 0 && k < nstreams) {
      const uint32_t *a = streams[k];
      size_t count = stream_size[k];
      double t = now_ns();
      for (size_t i = 0; i < count; i++) {
        uint32_t x = a[i], e = tbl24s[x >> 8];
        if (e & TBL8_FLAG16) e = tbl8s[((size_t)(e & 0x7fff) << 8) | (x & 255)];
        out[i] = e;
      }
      double elapsed = now_ns() - t;
      uint32_t sum = 0;
      for (size_t i = 0; i < count; i++) sum = sum * 31u + out[i];
      printf("%.0f %u\n", elapsed, sum);
    } else {
      printf("error\n");
    }
    fflush(stdout);
  }
  return 0;
}
