/* Run argv[1..] and append its peak RSS in KiB to the file named by $SPAWNRSS_OUT.
 * A tiny C parent, because a child's ru_maxrss includes the memory of whoever forked it
 * (the Python harness would add ~14 MB to every figure). Exit status is passed through. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    pid_t pid = fork();
    if (pid == 0) {
        execvp(argv[1], argv + 1);
        _exit(127);
    }
    int status = 0;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) < 0) return 2;
    const char *out = getenv("SPAWNRSS_OUT");
    if (out) {
        FILE *f = fopen(out, "a");
        if (f) { fprintf(f, "%ld\n", ru.ru_maxrss); fclose(f); }
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
