#!/usr/bin/env python3
"""Writes a case with an N x N grid of blocks on a 16 mm die (types cycling through all
eight), on the example's package, for timing large floorplans:

    python3 bench/make_grid_floorplan.py 32 > /tmp/grid1024.yaml
    /usr/bin/time -v build/app/chiptherm solve /tmp/grid1024.yaml -o /tmp/grid1024
"""
import random
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 32
die_um = 16000
pitch = die_um / n
gap = min(20.0, 0.05 * pitch)  # blocks do not touch: 2N + 2 edges per axis
types = ["logic", "memory", "accelerator", "analog", "clock", "pmic", "photonic", "io"]
rng = random.Random(1)
print("version: 1\nname: grid-%d\nunits: {length: um, temperature: C}\nambient: 45\nstack:" % (n * n))
print("  - name: die\n    material: silicon\n    thickness: 150\n    footprint: [0, 0, %d, %d]\n    blocks:" % (die_um, die_um))
for i in range(n):
    for j in range(n):
        t = types[(i * n + j) % len(types)]
        p = rng.uniform(0.02, 0.12) * (3 if t == "accelerator" else 1)
        print("      - {name: b%d_%d, type: %s, rect: [%.1f, %.1f, %.1f, %.1f], power: %.4f}" % (
            i, j, t, i * pitch + gap, j * pitch + gap, pitch - 2 * gap, pitch - 2 * gap, p))
print("""  - {name: tim, material: tim_paste, thickness: 25}
  - {name: spreader, material: copper, thickness: 1000, footprint: {width: 30000, height: 30000, centered: true}}
  - {name: sink, material: aluminium_6063, thickness: 6900, footprint: {width: 60000, height: 60000, centered: true}}
boundaries:
  top: {r_convec: 0.3}
mesh: {die_cell_size: %d, package_cell_size: 4000, vertical_cell_size: 1000}""" % int(pitch))
