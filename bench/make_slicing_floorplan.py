#!/usr/bin/env python3
"""Writes a case with an N-block slicing floorplan on a 20 mm die (about 206 W, types mixed as
on real SoCs, a few hot blocks), on the example's package (paste, copper spreader, fan-cooled
aluminium sink), for large floorplans (issue 19):

    python3 bench/make_slicing_floorplan.py 1000 > /tmp/slicing1000.yaml
    build/app/chiptherm signoff /tmp/slicing1000.yaml -o /tmp/slicing1000

Block edges fall anywhere (random cut ratios, rounded to 0.1 um): no two blocks need share a
grid line. Seeded: the same N gives the same case.
"""
import random
import sys

n_blocks = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
die_um = 20000.0
total_w = 206.0
rng = random.Random(seed)

# Type mix: mostly logic and memory, some accelerators, few sensitive blocks.
TYPES = [("logic", 0.40), ("memory", 0.30), ("accelerator", 0.10), ("io", 0.06), ("analog", 0.05),
         ("clock", 0.03), ("pmic", 0.03), ("photonic", 0.03)]
# Relative power density per type (W/mm2 scale): accelerators hot, memory cool.
DENSITY = {"logic": 1.0, "memory": 0.35, "accelerator": 2.2, "io": 0.5, "analog": 0.4, "clock": 1.2,
           "pmic": 0.8, "photonic": 0.3}


def pick_type():
    r = rng.random()
    for t, share in TYPES:
        if r < share:
            return t
        r -= share
    return "logic"


def slice_rect(x, y, w, h, n, out):
    """Cuts [x, y, w, h] into n rectangles by a slicing tree (longer side first)."""
    if n == 1:
        out.append((x, y, w, h))
        return
    left = max(1, min(n - 1, int(round(n * rng.uniform(0.3, 0.7)))))
    share = left / n * rng.uniform(0.85, 1.15)
    share = min(max(share, 0.05), 0.95)
    if w >= h:
        cut = round(w * share, 1)
        slice_rect(x, y, cut, h, left, out)
        slice_rect(x + cut, y, round(w - cut, 1), h, n - left, out)
    else:
        cut = round(h * share, 1)
        slice_rect(x, y, w, cut, left, out)
        slice_rect(x, y + cut, w, round(h - cut, 1), n - left, out)


rects = []
slice_rect(0.0, 0.0, die_um, die_um, n_blocks, rects)
types = [pick_type() for _ in rects]
weights = [r[2] * r[3] * DENSITY[t] * rng.uniform(0.6, 1.4) for r, t in zip(rects, types)]
# A few hotspots: 1 % of the blocks at 4x their density.
for i in rng.sample(range(len(rects)), max(1, len(rects) // 100)):
    weights[i] *= 4.0
scale = total_w / sum(weights)

print("version: 1\nname: slicing-%d\nunits: {length: um, temperature: C}\nambient: 45\nmaterials: [standard]" % n_blocks)
print("stack:\n  - name: die\n    material: silicon\n    thickness: 150\n    footprint: [0, 0, %d, %d]\n    blocks:"
      % (die_um, die_um))
for i, ((x, y, w, h), t, p) in enumerate(zip(rects, types, weights)):
    print("      - {name: b%d, type: %s, rect: [%.1f, %.1f, %.1f, %.1f], power: %.6g}" % (i, t, x, y, w, h, p * scale))
print("""  - {name: tim, material: tim_paste, thickness: 25}
  - {name: spreader, material: copper, thickness: 1000, footprint: {width: 40000, height: 40000, centered: true}}
  - {name: sink, material: aluminium_6063, thickness: 6900, footprint: {width: 80000, height: 80000, centered: true}}
boundaries:
  top: {r_convec: 0.12}
  bottom: adiabatic
  sides: adiabatic""")
