/* Run argv[1..]; append "PEAK_RSS_KIB WALL_NS" to the file named by $SPAWNRSS_OUT.
 * A tiny C parent, because a child's ru_maxrss includes the memory of whoever forked it
 * (the Python harness would add ~14 MB to every figure). The wall time runs from fork to
 * reap, so neither the harness's spawn of this program nor its start-up (about 1.2 ms here)
 * is counted in any figure. Exit status is passed through. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    long long t0 = now_ns();
    pid_t pid = fork();
    if (pid == 0) {
        execvp(argv[1], argv + 1);
        _exit(127);
    }
    int status = 0;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) < 0) return 2;
    long long wall = now_ns() - t0;
    const char *out = getenv("SPAWNRSS_OUT");
    if (out) {
        FILE *f = fopen(out, "a");
        if (f) { fprintf(f, "%ld %lld\n", ru.ru_maxrss, wall); fclose(f); }
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
