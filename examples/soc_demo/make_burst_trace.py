#!/usr/bin/env python3
"""Writes burst_trace.csv: 1000 intervals of 1 ms for the SoC demo.

The NPU idles at 8 W and runs bursts of 45 W lasting 10-40 ms; each CPU core
changes between 1 and 5 W every 20-50 ms. Seeded: the file in the repository
is exactly what `python3 make_burst_trace.py > burst_trace.csv` prints.
Blocks that the trace does not name keep their `power` from the case file.
"""
import random

INTERVALS, DT = 1000, 1e-3


def main():
    rng = random.Random(2026)
    npu = [8.0] * INTERVALS
    k = 30
    while k < INTERVALS:
        width = rng.randint(10, 40)
        for i in range(k, min(INTERVALS, k + width)):
            npu[i] = 45.0
        k += width + rng.randint(40, 120)
    cpus = []
    for _ in range(4):
        column, k = [], 0
        while len(column) < INTERVALS:
            level = rng.choice([1.0, 2.0, 3.5, 5.0])
            column += [level] * rng.randint(20, 50)
        cpus.append(column[:INTERVALS])
    print("# SoC demo power trace (W), 1 ms per row: make_burst_trace.py, seed 2026")
    print("time_s,npu,cpu0,cpu1,cpu2,cpu3")
    for i in range(INTERVALS):
        print(f"{i * DT:.3f},{npu[i]:g}," + ",".join(f"{c[i]:g}" for c in cpus))


if __name__ == "__main__":
    main()
