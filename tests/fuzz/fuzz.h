/* Shared by the fuzz targets: hand the input to a reader through a file
 * descriptor in memory, as a user's file would come. */
#ifndef CL_FUZZ_H
#define CL_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Write data into an in-memory file; path gets "/proc/self/fd/N".
 * @return the descriptor (close it after), or -1. */
static inline int fuzz_memfile(const uint8_t *data, size_t size, char *path, size_t path_size)
{
    int fd = memfd_create("fuzz", 0);
    if (fd < 0)
        return -1;
    size_t done = 0;
    while (done < size) {
        ssize_t n = write(fd, data + done, size - done);
        if (n <= 0) {
            close(fd);
            return -1;
        }
        done += (size_t)n;
    }
    snprintf(path, path_size, "/proc/self/fd/%d", fd);
    return fd;
}

#endif
