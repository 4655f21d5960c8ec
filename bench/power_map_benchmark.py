#!/usr/bin/env python3
"""A power map as power-analysis flows hand it over (issue 21): a random N x N
raster of powers (default 1024 x 1024, seeded) over a 10 mm die on HotSpot's
default package, plus one hot 500 um square, solved with chiptherm's defaults.

    python3 bench/power_map_benchmark.py [--pixels 1024] [--ranks 2] [--watts 60] [--set KEY=VALUE ...]

Writes the map (.npy, float64, written without numpy) and the case to a scratch
folder, runs `chiptherm solve` under /usr/bin/time, and prints the wall time,
peak memory, unknowns, cycles, the heat in against the map's sum (relative
difference), the largest bound and where the die's hotspot is. Nothing asserted.
"""
import argparse
import os
import random
import struct
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_run import CHIPTHERM, run_chiptherm  # noqa: E402

DIE_UM = 10000.0


def write_npy(path, rows):
    ny, nx = len(rows), len(rows[0])
    header = "{'descr': '<f8', 'fortran_order': False, 'shape': (%d, %d), }" % (ny, nx)
    header += " " * (64 - (10 + len(header) + 1) % 64) + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode())
        for row in rows:
            f.write(struct.pack("<%dd" % nx, *row))


CASE = """version: 1
name: power-map
units: {length: um, temperature: C}
ambient: 45
materials:
  - {name: chip, conductivity: 130, heat_capacity: 1630300}
  - {name: interface, conductivity: 4, heat_capacity: 4.0e6}
  - {name: cu400, conductivity: 400, heat_capacity: 3.55e6}
stack:
  - name: die
    material: chip
    thickness: 150
    footprint: [0, 0, 10000, 10000]
    power_map: {file: power.npy}
  - {name: tim, material: interface, thickness: 20}
  - {name: spreader, material: cu400, thickness: 1000, footprint: {width: 30000, height: 30000, centered: true}}
  - {name: sink, material: cu400, thickness: 6900, footprint: {width: 60000, height: 60000, centered: true}}
boundaries:
  top: {r_convec: 0.1}
"""


def write_case(folder, pixels, watts=60.0, hot_watts=3.0):
    """Writes power.npy (a seeded random n x n map of watts plus hot_watts on the
    500 um square at (7.0, 3.5) mm) and power_map.yaml into folder; returns (case
    path, the map's total W, pixels in the hot square)."""
    rng = random.Random(1)
    n = pixels
    mean = watts / (n * n)
    rows = [[2 * mean * rng.random() for _ in range(n)] for _ in range(n)]
    pitch = DIE_UM / n
    hot = [(i, j) for j in range(n) for i in range(n)
           if 7000 <= (i + 0.5) * pitch < 7500 and 3500 <= (j + 0.5) * pitch < 4000]
    for i, j in hot:
        rows[j][i] += hot_watts / len(hot)
    write_npy(os.path.join(folder, "power.npy"), rows)
    case = os.path.join(folder, "power_map.yaml")
    with open(case, "w") as f:
        f.write(CASE)
    return case, sum(sum(r) for r in rows), len(hot)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pixels", type=int, default=1024)
    parser.add_argument("--ranks", type=int, default=2)
    parser.add_argument("--watts", type=float, default=60.0, help="the background's total power")
    parser.add_argument("--hot", type=float, default=3.0, help="extra power of the hot 500 um square, W")
    parser.add_argument("--set", action="append", default=[], help="an override (the reference: solver.degree=3, "
                        "mesh.die_cell_size=200, adaptivity.enabled=false)")
    args = parser.parse_args()
    n = args.pixels
    case, total, hot = write_case(tempfile.mkdtemp(prefix="chiptherm-power-map-"), n, args.watts, args.hot)
    report, wall, rss = run_chiptherm(CHIPTHERM, "solve", case, args.set, args.ranks)
    e = report["energy"]
    h = report["hotspots"][0]
    print("%d x %d map, %.3f W (hot square %d pixels), %d rank(s): wall %.1f s, peak %.0f MiB" % (
        n, n, total, hot, args.ranks, wall, rss))
    print("unknowns %d (Q%d), cycles %d, largest bound %s K; timing %s" % (
        report["mesh"]["dofs"], report["mesh"]["element_degree"], report["adaptivity"].get("cycles", 0),
        report["adaptivity"].get("max_error_k"), {k: round(v, 2) for k, v in report["timing_s"].items()}))
    print("heat in %.12g W, map sum %.12g W: relative difference %.2e; energy balance %.2e" % (
        e["power_in_w"], total, abs(e["power_in_w"] - total) / total, e["rel_error"]))
    print("die hotspot %.3f C at (%.0f, %.0f) um (hot square: x 7000-7500, y 3500-4000)" % (
        h["t_max_c"], h["x_um"], h["y_um"]))


if __name__ == "__main__":
    main()
