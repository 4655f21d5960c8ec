#!/usr/bin/env python3
"""Placement sweeps on 2 cores (issue 8): runs a shipped sweep with --jobs N
and reports cases per minute, the time per case, and the share of time spent
outside the solver (process start, reading, meshing, writing; the report's own
phases against each case's wall time, and the sweep's own work around them).

    python3 bench/sweep_benchmark.py [SWEEP.yaml] [--jobs 2] [--screen K | --predict] [--screen-with first-mesh]

Default: examples/chiplets/sweep_npu.yaml. With --screen K only the K candidates
the package model predicts coolest (and a sample) are solved; with --predict all
are, and the screening's miss rates are printed. Nothing is asserted.
"""
import argparse
import json
import os
import shutil
import subprocess
import tempfile
import time

from bench_run import CHIPTHERM, ENV, ROOT


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("sweep", nargs="?", default=os.path.join(ROOT, "examples", "chiplets", "sweep_npu.yaml"))
    parser.add_argument("--chiptherm", default=CHIPTHERM)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--screen", type=int, default=0)
    parser.add_argument("--predict", action="store_true")
    parser.add_argument("--screen-with", default="package", choices=["package", "first-mesh"])
    args = parser.parse_args()
    extra = (["--screen", str(args.screen)] if args.screen else []) + (["--predict"] if args.predict else [])
    if args.screen or args.predict:
        extra += ["--screen-with", args.screen_with]
    out = os.path.join(tempfile.mkdtemp(prefix="chiptherm-sweep-bench-"), "out")
    start = time.time()
    p = subprocess.run([args.chiptherm, "sweep", args.sweep, "-o", out, "--jobs", str(args.jobs)] + extra,
                       capture_output=True, text=True, env=ENV)
    wall = time.time() - start
    if p.returncode != 0:
        raise SystemExit(p.stderr[-2000:])
    table = json.load(open(os.path.join(out, "sweep.json")))
    solved = [r for r in table["rows"] if r["status"] == "solved"]
    case_wall = sum(r["results"]["wall_s"] for r in solved)
    inside = 0.0
    for r in solved:
        timing = json.load(open(os.path.join(out, "cases", r["case"], "report.json")))["timing_s"]
        inside += sum(v for k, v in timing.items() if k not in ("total", "output", "mesh"))
    print("%s: %d candidates, %d rejected before solving, %d screened out, %d solved, %d failed; --jobs %d %s"
          % (os.path.basename(args.sweep), table["cases"], table["rejected"], table.get("screened_out", 0), len(solved),
             table["failed"], args.jobs, " ".join(extra)))
    print("wall %.1f s (%.1f min): %.2f solved cases per minute (%.1f s per case per job); %.1f candidates per minute"
          % (wall, wall / 60, 60 * len(solved) / wall, case_wall / max(len(solved), 1), 60 * table["cases"] / wall))
    for line in p.stdout.splitlines():
        if "predicted every" in line or "ranked every" in line:
            print(line.replace("[sweep] ", ""))
    print("time in the solver's phases (setup, assemble, solve, estimate, refine): %.0f %% of the cases' wall time; "
          "mesh + output %.0f %%; the rest (process start, reading, MPI init) and the sweep's own work (screening, "
          "table) %.0f %% of jobs x wall"
          % (100 * inside / case_wall,
             100 * sum(sum(v for k, v in json.load(open(os.path.join(out, "cases", r["case"], "report.json")))
                                                    ["timing_s"].items() if k in ("output", "mesh"))
                       for r in solved) / case_wall,
             100 * (1 - case_wall / (args.jobs * wall))))
    best = table["best"]
    row = next(r for r in table["rows"] if r["case"] == best)
    print("best: %s at %s, t_max %.3f C" % (best, row["variables"], row["results"]["t_max_c"]))
    screening = table.get("screening")
    if screening:
        print("screening: the best solved case was #%d of %d solved in the prediction's order"
              % (screening["rank_of_best_in_prediction"], screening["solved_with_prediction"]))
        for b in (screening.get("sub_sweeps") or {}).get("by_k", []):
            print("  K = %2d: misses the best of a random half in %.1f %% of %d draws, by at most %.3f"
                  % (b["k"], 100 * b["miss_rate"], screening["sub_sweeps"]["draws"], b["worst_loss"]))
    shutil.rmtree(os.path.dirname(out))


if __name__ == "__main__":
    main()
