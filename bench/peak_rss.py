#!/usr/bin/env python3
"""Run a command and report its cost on stderr.

    peak_rss.py CMD [ARG...]

stdout/stderr of the command pass straight through (inherited descriptors),
and the command's exit status is returned (128+N if killed by signal N).  When
it ends, one line goes to stderr:

    wall_s=12.345 user_s=11.900 sys_s=0.400 peak_rss_mb=123.4

The figures come from os.wait4() on that one child, so they cover only the
command (and any descendants it waited for), not this wrapper.  ru_maxrss is
in KiB on Linux; peak_rss_mb is MiB.

Floor: Linux folds the high-water RSS of the address space a process had
before execve() into its ru_maxrss, and a child spawned from Python starts in
(a copy of) this interpreter's, so no figure reads below this wrapper's own
RSS at spawn time, about 13 MB.  Compare small programs with that in mind.
"""
import os
import sys
import time


def main():
    if len(sys.argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    start = time.monotonic()
    try:
        pid = os.posix_spawnp(sys.argv[1], sys.argv[1:], os.environ)
    except OSError as e:
        print("peak_rss.py: %s: %s" % (sys.argv[1], e.strerror), file=sys.stderr)
        return 127
    while True:
        try:
            _, status, ru = os.wait4(pid, 0)
            break
        except InterruptedError:
            continue
    wall = time.monotonic() - start
    print("wall_s=%.3f user_s=%.3f sys_s=%.3f peak_rss_mb=%.1f" % (
        wall, ru.ru_utime, ru.ru_stime, ru.ru_maxrss / 1024), file=sys.stderr)
    if os.WIFSIGNALED(status):
        return 128 + os.WTERMSIG(status)
    return os.WEXITSTATUS(status)


if __name__ == "__main__":
    sys.exit(main())
