#!/usr/bin/env python3
"""How dear is memory touched for the first time on this machine?

Each run maps SIZE MiB of fresh anonymous memory and writes one byte per 4 KiB
page, which makes the kernel (and, on a VM, the hypervisor) provide and zero
every page; with --processes N, N processes do so at once (as N ranks of a
run do). Prints the seconds per run and per GiB (the slowest process's). On a bare-metal machine
expect a few tenths of a second per GiB; on the 2-core CI VMs the cost grows
with the size (docs/benchmarks.md, "Memory of a steady solve"), which is why
chiptherm's peak memory is also its time there.

    python3 bench/first_touch.py 1000 2000 3000 [--runs 2] [--processes 2] [--huge]
"""
import argparse
import mmap
import multiprocessing
import time

PAGE = 4096


def touch(mib, huge=False):
    n = mib << 20
    area = mmap.mmap(-1, n, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    if huge:
        area.madvise(mmap.MADV_HUGEPAGE)  # as glibc.malloc.hugetlb=1 does for the heap
    start = time.perf_counter()
    view = memoryview(area)
    view[::PAGE] = b"\x01" * (n // PAGE)
    seconds = time.perf_counter() - start
    view.release()
    area.close()
    return seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="+", type=int, help="MiB per run")
    parser.add_argument("--runs", type=int, default=1, help="runs per size (default 1)")
    parser.add_argument("--processes", type=int, default=1, help="processes touching SIZE each at once (default 1)")
    parser.add_argument("--huge", action="store_true",
                        help="transparent huge pages (madvise), as chiptherm's small runs use; "
                             "the first run gets fresh ones, later runs mostly those the previous run freed")
    args = parser.parse_args()
    print("MiB,processes,huge,run,seconds,seconds_per_gib")
    with multiprocessing.Pool(args.processes) as pool:
        for mib in args.sizes:
            for run in range(args.runs):
                s = max(pool.starmap(touch, [(mib, args.huge)] * args.processes))
                print("%d,%d,%d,%d,%.3f,%.3f" % (mib, args.processes, int(args.huge), run + 1, s, s / (mib / 1024)),
                      flush=True)


if __name__ == "__main__":
    main()
