#!/usr/bin/env python3
"""Time commands alternately (A, B, A, B, ...) so drift hits all alike; report the median
wall time and the peak RSS of each, and the ratio to the last one (the reference).

usage: harness.py RUNS LABEL_A CMD_A LABEL_B CMD_B ...   (each CMD is split like a shell
       line, but run without a shell). With $SPAWNRSS set to bench/spawnrss.c built, both are
       measured through it: peak RSS free of the harness's own memory, wall time from fork to
       reap, free of the harness's spawn of that parent (about 1.2 ms a run on the project's
       machine, which would be added to every figure alike).
"""
import os
import shlex
import statistics
import sys
import time


SPAWNRSS = os.environ.get("SPAWNRSS")
RSS_FILE = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"spawnrss.{os.getpid()}")


def run(argv):
    env = dict(os.environ, SPAWNRSS_OUT=RSS_FILE)
    if SPAWNRSS:
        argv = [SPAWNRSS] + argv
    if os.path.exists(RSS_FILE):
        os.unlink(RSS_FILE)
    t0 = time.perf_counter()
    pid = os.posix_spawnp(argv[0], argv, env,
                          file_actions=[(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
                                        (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0)])
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"harness: {argv[0]} failed with {os.waitstatus_to_exitcode(status)}: {' '.join(argv)}")
    if SPAWNRSS:
        with open(RSS_FILE) as f:
            rss_kib, wall_ns = f.read().split()
            return int(wall_ns) / 1e9, int(rss_kib)
    return wall, usage.ru_maxrss


def main():
    runs = int(sys.argv[1])
    pairs = [(sys.argv[i], shlex.split(sys.argv[i + 1])) for i in range(2, len(sys.argv), 2)]
    for _, argv in pairs:  # warm-up: page cache, TLS session caches on the server
        for _ in range(5):
            run(argv)
    walls = {label: [] for label, _ in pairs}
    rss = {label: 0 for label, _ in pairs}
    for _ in range(runs):
        for label, argv in pairs:
            w, r = run(argv)
            walls[label].append(w)
            rss[label] = max(rss[label], r)
    base = statistics.median(walls[pairs[-1][0]])
    for label, _ in pairs:
        med = statistics.median(walls[label])
        print(f"  {label:<34} median {med * 1000:8.2f} ms   peak RSS {rss[label] / 1024:6.1f} MB"
              f"   ratio {med / base:5.2f}x")


if __name__ == "__main__":
    main()
