#!/usr/bin/env python3
"""Writes a HotSpot power trace (.ptrace) of 1000 intervals of 1 ms for
bench/cases/soc10, for bench/hotspot_transient_comparison.py.

The same kind of load as the shipped example's burst_trace.csv: the NPU idles
at 8 W and runs bursts of 45 W lasting 10-40 ms; each CPU core changes between
1 and 5 W every 20-50 ms; the other blocks keep soc10.ptrace's power. Seeded:
the output is the same on every run.

    python3 bench/make_soc10_trace.py > soc10_burst.ptrace
"""
import os
import random

INTERVALS = 1000
CASE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cases", "soc10", "soc10.ptrace")


def main():
    with open(CASE) as f:
        names, values = f.readline().split(), [float(v) for v in f.readline().split()]
    rng = random.Random(2026)
    columns = {n: [v] * INTERVALS for n, v in zip(names, values)}
    columns["npu"] = [8.0] * INTERVALS
    k = 30
    while k < INTERVALS:
        width = rng.randint(10, 40)
        for i in range(k, min(INTERVALS, k + width)):
            columns["npu"][i] = 45.0
        k += width + rng.randint(40, 120)
    for cpu in ("cpu0", "cpu1", "cpu2", "cpu3"):
        column = []
        while len(column) < INTERVALS:
            column += [rng.choice([1.0, 2.0, 3.5, 5.0])] * rng.randint(20, 50)
        columns[cpu] = column[:INTERVALS]
    print("\t".join(names))
    for i in range(INTERVALS):
        print("\t".join("%g" % columns[n][i] for n in names))


if __name__ == "__main__":
    main()
