// What a 1 MB document costs to write with O_DIRECT, in pieces of CHUNK KiB (DurableFile's
// buffer size), as DurableFile writes it: an unnamed file, the pieces one after the other, one
// fdatasync. Prints wall and CPU time (user + system) per file. Writes into FOLDER (same file
// system as the blob store), leaves nothing behind.
//
//   cc -O2 -o /tmp/direct_write_chunks bench/direct_write_chunks.c
//   for r in 1 2 3; do for k in 256 1024; do /tmp/direct_write_chunks $k 200 /tmp; done; done
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static double Now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static double Cpu(void) {
  struct rusage r;
  getrusage(RUSAGE_SELF, &r);
  return (double)(r.ru_utime.tv_sec + r.ru_stime.tv_sec) +
         (double)(r.ru_utime.tv_usec + r.ru_stime.tv_usec) / 1e6;
}

int main(int argc, char** argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s CHUNK_KIB FILES FOLDER\n", argv[0]);
    return 2;
  }
  const size_t chunk = (size_t)atoi(argv[1]) * 1024;
  const int files = atoi(argv[2]);
  const size_t size = 1 << 20;
  if (chunk == 0 || size % chunk != 0 || files <= 0) {
    fprintf(stderr, "CHUNK_KIB must divide 1024, FILES be positive\n");
    return 2;
  }
  char* buffer = aligned_alloc(4096, size);
  memset(buffer, 'x', size);
  const double wall = Now(), cpu = Cpu();
  for (int i = 0; i < files; ++i) {
    int fd = open(argv[3], O_TMPFILE | O_WRONLY | O_DIRECT | O_CLOEXEC, 0600);
    if (fd < 0) {
      perror("open");
      return 1;
    }
    for (size_t at = 0; at < size; at += chunk) {
      if (pwrite(fd, buffer, chunk, (off_t)at) != (ssize_t)chunk) {
        perror("pwrite");
        return 1;
      }
    }
    if (fdatasync(fd) != 0) {
      perror("fdatasync");
      return 1;
    }
    close(fd);
  }
  printf("%zu KiB pieces: %.3f ms wall, %.3f ms CPU per 1 MiB file\n", chunk / 1024,
         (Now() - wall) * 1000 / files, (Cpu() - cpu) * 1000 / files);
  free(buffer);
  return 0;
}
