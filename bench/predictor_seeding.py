#!/usr/bin/env python3
"""Predictor-seeded against unseeded sign-off at equal accuracy (issue 18).

    python3 bench/predictor_seeding.py [CASE.yaml ...] [--fresh N] [--seed 7]
        [--model models/predictor.pt] [--runs 3] [--headroom-only]

Each case is solved twice with chiptherm's defaults (error bounds, stop at the
first mesh whose bounds are all below 0.1 K): from the default first mesh, and
from a first mesh seeded by the learned predictor (mesh.predictor). Both stop on
the same test, so both answers are within 0.1 K by their own bounds; the table
also gives the largest |t_max difference| between the two. Cases default to the
shipped examples plus the small-hotspot tile case; --fresh N adds N chips the
training generator makes with a seed the shipped model never saw (they are solved
once by `chiptherm train --generate` to make them, which is not timed). Wall
times are end to end, the best of --runs. Nothing is asserted.

"perfect seed s" bounds what any seeding can gain: the unseeded run's wall time
less everything before its last cycle began (report.json's
adaptivity.history[].wall_s), i.e. a seed that handed over the final mesh at
once and still paid for one solve pair on it and the output. --headroom-only
runs the unseeded cases alone and prints that bound.
"""
import argparse
import glob
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_run import CHIPTHERM, ENV, ROOT, run_chiptherm  # noqa: E402

SHIPPED = ["examples/soc_demo/soc_demo.yaml", "examples/chiplets/package_2p5d.yaml",
           "examples/chiplets/stack_3d.yaml", "examples/foreign/quad_native.yaml", "bench/cases/tile_hotspot.yaml"]


def fresh_chips(count, seed):
    """Case files of `count` chips of the training family with this seed."""
    folder = tempfile.mkdtemp(prefix="chiptherm-fresh-")
    subprocess.run([CHIPTHERM, "train", "--generate", str(count), "--seed", str(seed), "-o", folder],
                   check=True, env=ENV, capture_output=True)
    cases = []
    for sample in sorted(glob.glob(os.path.join(folder, "*.json"))):
        with open(sample) as f:
            text = json.load(f)["case"]
        path = sample[:-len(".json")] + ".yaml"
        with open(path, "w") as f:
            f.write(text)
        cases.append(path)
    return cases


def best_of(runs, case, overrides):
    best = None
    for _ in range(runs):
        report, wall, mb = run_chiptherm(CHIPTHERM, "solve", case, overrides, 1, ok_codes=(0, 1))
        if best is None or wall < best[1]:
            best = (report, wall, mb)
    return best


def perfect_seed_wall(report, wall):
    """The unseeded run's wall time less the cycles before the last one."""
    history = report["adaptivity"].get("history", [])
    return wall - history[-2]["wall_s"] if len(history) >= 2 else wall


def describe(report, wall):
    a = report["adaptivity"]
    return "%d | %d | %d | %.3f | %.2f" % (report["mesh"]["cells"], report["mesh"]["dofs"], a["cycles"],
                                          a["max_error_k"], wall)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("cases", nargs="*")
    parser.add_argument("--model", default=os.path.join(ROOT, "models", "predictor.pt"))
    parser.add_argument("--fresh", type=int, default=0, help="add this many freshly generated chips")
    parser.add_argument("--seed", type=int, default=7, help="the fresh chips' generator seed")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--headroom-only", action="store_true",
                        help="run unseeded only: the wall time a perfect seed would leave")
    args = parser.parse_args()
    cases = args.cases or [os.path.join(ROOT, c) for c in SHIPPED]
    if args.fresh:
        cases += fresh_chips(args.fresh, args.seed)
    seeded_overrides = ["mesh.predictor={model: %s}" % os.path.abspath(args.model)]

    if args.headroom_only:
        print("| case | cells | unknowns | cycles | largest bound K | wall s | perfect seed s | at most |")
        print("|---|---|---|---|---|---|---|---|")
        for case in cases:
            plain, plain_wall, _ = best_of(args.runs, case, [])
            best = perfect_seed_wall(plain, plain_wall)
            print("| %s | %s | %.2f | %.2fx |" % (os.path.basename(case), describe(plain, plain_wall), best,
                                                 plain_wall / best), flush=True)
        return
    print("| case | unseeded: cells | unknowns | cycles | largest bound K | wall s | perfect seed s "
          "| seeded: cells | unknowns | cycles | largest bound K | wall s | speed-up | largest t_max difference K |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    speedups = []
    for case in cases:
        plain, plain_wall, _ = best_of(args.runs, case, [])
        seeded, seeded_wall, _ = best_of(args.runs, case, seeded_overrides)
        difference = max(abs(a["t_max_c"] - b["t_max_c"]) for a, b in zip(plain["blocks"], seeded["blocks"]))
        speedups.append(plain_wall / seeded_wall)
        print("| %s | %s | %.2f | %s | %.2fx | %.3f |" % (
            os.path.basename(case), describe(plain, plain_wall), perfect_seed_wall(plain, plain_wall),
            describe(seeded, seeded_wall), speedups[-1], difference), flush=True)
    print("\nspeed-up (unseeded wall / seeded wall): min %.2fx, max %.2fx" % (min(speedups), max(speedups)))

if __name__ == "__main__":
    main()
