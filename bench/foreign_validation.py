#!/usr/bin/python3
"""chiptherm against the HotSpot-style and 3D-ICE-style compact models of
bench/compact_models.py, on the shipped foreign examples (examples/foreign):
block temperatures, their order, the temperature differences across the die,
and the offset between the two. Prints the tables of docs/validation.md.

  /usr/bin/python3 bench/foreign_validation.py [--check] [--fine]

--fine resolves the full 3D finite-volume reference at 125 um and 4 cells per
layer (about a minute) instead of 250 um and 2.

With --check, exits non-zero unless the agreement claimed in
docs/validation.md holds (ctest label `long`). Needs a built chiptherm
(build/app/chiptherm) and NumPy/SciPy."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

import yaml

from bench_run import CHIPTHERM as BUILT, ENV, ROOT
from compact_models import (hotspot_grid_model, hotspot_resolved, read_hotspot_config, read_hotspot_flp,  # noqa: E402
                            read_ptrace_mean, threedice_cell_um, threedice_model)

CHIPTHERM = os.environ.get("CHIPTHERM", BUILT)  # ctest passes its own build's binary
FOREIGN = os.path.join(ROOT, "examples", "foreign")
failures = []


def chiptherm(args):
    out = tempfile.mkdtemp(prefix="chiptherm-validation-")
    try:
        p = subprocess.run([CHIPTHERM] + args + ["--out", out], capture_output=True, text=True, env=ENV)
        if p.returncode != 0:
            raise SystemExit(p.stderr)
        with open(os.path.join(out, "report.json")) as f:
            return json.load(f)
    finally:
        shutil.rmtree(out, ignore_errors=True)


def claim(ok, what):
    print(("  ok: " if ok else "  NOT MET: ") + what)
    if not ok:
        failures.append(what)


def hotspot_comparison(fine):
    flp, ptrace, config = (os.path.join(FOREIGN, "quad." + e) for e in ("flp", "ptrace", "config"))
    report = chiptherm(["solve", "--hotspot", "-c", config, "-f", flp, "-p", ptrace])
    units = read_hotspot_flp(flp)
    names = [u[0] for u in units]
    powers, cfg = read_ptrace_mean(ptrace), read_hotspot_config(config)
    models = [("chiptherm", {b["name"]: b["t_avg_c"] + 273.15 for b in report["blocks"]}),
              ("HotSpot-style grid model (64 x 64, one node per layer)",
               {n: v[0] for n, v in hotspot_grid_model(units, powers, cfg).items()}),
              ("the same, each layer split in 4 (rims still lumped)",
               {n: v[0] for n, v in hotspot_grid_model(units, powers, cfg, sublayers=4).items()})]
    cell, sub = (125e-6, 4) if fine else (250e-6, 2)
    models.append(("full 3D finite volumes, nothing lumped (%g um, %d cells per layer)" % (cell * 1e6, sub),
                   {n: v[0] for n, v in hotspot_resolved(units, powers, cfg, cell, sub).items()}))
    ours = models[0][1]
    print("\nHotSpot example (quad.flp, quad.ptrace's mean power, quad.config): block mean temperatures, K; "
          "chiptherm %d cells, %d unknowns" % (report["mesh"]["cells"], report["mesh"]["dofs"]))
    print("| model | " + " | ".join(names) + " | offset | spread | across-die range |")
    print("|---|" + "---|" * (len(names) + 3))
    figures = []
    for label, t in models:
        diffs = [t[n] - ours[n] for n in names]
        offset, spread = sum(diffs) / len(diffs), max(diffs) - min(diffs)
        span = max(t.values()) - min(t.values())
        figures.append((offset, spread, span))
        print("| %s | %s | %+.2f | %.2f | %.2f |" % (label, " | ".join("%.2f" % t[n] for n in names), offset, spread,
                                                     span))
    order = lambda t: sorted(names, key=lambda n: -t[n])[:3]
    span_ours = figures[0][2]
    claim(all(order(t) == order(ours) for _, t in models), "the three hottest blocks in the same order in every model")
    # docs/validation.md quotes 0.39 K at 250 um (the --check run), 0.13 K at 125 um (--fine),
    # a +1.46 K offset and 9.94 vs 8.10 K across the die: asserted within about 2x.
    worst_fv = max(abs(models[3][1][n] - ours[n]) for n in names)
    claim(worst_fv < (0.26 if fine else 0.8),
          "full 3D finite volumes agree with chiptherm within %.2f K on every block: worst %.2f K"
          % (0.26 if fine else 0.8, worst_fv))
    claim(0.7 < figures[1][0] < 2.9, "the HotSpot-style model reads hotter by 0.7-2.9 K on average (docs: +1.46): "
          "%+.2f K" % figures[1][0])
    for i in (1, 2):
        claim(abs(figures[i][2] - span_ours) < 0.25 * span_ours,
              "%s: across-die range within 25%% of chiptherm's (%.2f vs %.2f K)" % (models[i][0], figures[i][2],
                                                                                   span_ours))


def threedice_comparison():
    stk = os.path.join(FOREIGN, "twodie.stk")
    with tempfile.TemporaryDirectory(prefix="chiptherm-validation-") as folder:
        case_file = os.path.join(folder, "twodie.yaml")
        subprocess.run([CHIPTHERM, "import", "3dice", stk, "-o", case_file], check=True, capture_output=True, env=ENV)
        with open(case_file) as f:
            case = yaml.safe_load(f)
    report = chiptherm(["solve", stk])
    ours = {(b["die"], b["name"]): b for b in report["blocks"]}
    ref = threedice_model(case, threedice_cell_um(stk))
    print("\n3D-ICE example (twodie.stk, first time slot, steady), chiptherm %d cells, %d unknowns; 3D-ICE-style "
          "grid 40 x 40 x %d layers" % (report["mesh"]["cells"], report["mesh"]["dofs"],
                                         len(case["stack"])))
    print("| die | element | chiptherm max / avg (K) | 3D-ICE-style max / avg (K) | avg difference (K) |")
    print("|---|---|---|---|---|")
    worst = 0
    for key, (mx, mn, avg) in ref.items():
        b = ours[key]
        d = b["t_avg_c"] + 273.15 - avg
        worst = max(worst, abs(d))
        print("| %s | %s | %.2f / %.2f | %.2f / %.2f | %+.2f |" % (key[0], key[1], b["t_max_c"] + 273.15,
                                                                  b["t_avg_c"] + 273.15, mx, avg, d))
    rise = max(b["t_max_c"] + 273.15 for b in ours.values()) - 300
    order_ours = sorted(ref, key=lambda k: -ours[k]["t_avg_c"])
    order_ref = sorted(ref, key=lambda k: -ref[k][2])
    claim(order_ours[:3] == order_ref[:3], "the three hottest elements in the same order")
    claim(worst < 0.06, "element averages within 0.06 K (docs/validation.md: 0.03 K): worst %.3f K" % worst)


hotspot_comparison("--fine" in sys.argv)
threedice_comparison()
if "--check" in sys.argv and failures:
    sys.exit("validation claims not met: " + "; ".join(failures))
