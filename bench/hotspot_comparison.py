#!/usr/bin/env python3
"""chiptherm against HotSpot 7's grid model on the same case, measured in one run:
the 10-block SoC on HotSpot's default package (bench/cases/soc10: HotSpot's own
.flp, .config and .ptrace; chiptherm reads them through `solve --hotspot`).

    python3 bench/hotspot_comparison.py --hotspot /path/to/hotspot [--runs 5] [--grid 64]

HotSpot is not a dependency: build it from its public repository for this
benchmark (../shared/docs/reference-tools.md). Both tools are timed end to end
as a user runs them (process start to exit, the best of --runs); chiptherm with
its defaults (`signoff`, error bounds, 0.1 K). Prints each block's average
temperature from both (HotSpot's grid model reports block averages), chiptherm's
t_max and bounds, the wall times and their ratio. With --reference REPORT.json
(a much finer chiptherm solve) it also prints both tools' errors against it.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_run import CHIPTHERM, ENV, ROOT  # noqa: E402

CASE = os.path.join(ROOT, "bench", "cases", "soc10")


def best_wall(args, runs, env=None):
    best, out = 1e9, None
    for _ in range(runs):
        start = time.time()
        p = subprocess.run(args, capture_output=True, text=True, env=env)
        wall = time.time() - start
        if p.returncode not in (0, 1):
            raise SystemExit("%s failed:\n%s" % (" ".join(args), p.stderr[-2000:]))
        best, out = min(best, wall), p
    return best, out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hotspot", required=True, help="the hotspot executable")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--grid", type=int, default=64, help="HotSpot's grid rows and columns")
    parser.add_argument("--reference", help="report.json of a much finer chiptherm solve of the same case")
    parser.add_argument("--json", help="write the figures here")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="hotspot-comparison-")
    inputs = ["-c", os.path.join(CASE, "soc10.config"), "-f", os.path.join(CASE, "soc10.flp"),
              "-p", os.path.join(CASE, "soc10.ptrace")]
    steady = os.path.join(tmp, "hotspot.steady")
    hs_wall, _ = best_wall([args.hotspot] + inputs + ["-model_type", "grid", "-grid_rows", str(args.grid),
                                                      "-grid_cols", str(args.grid), "-steady_file", steady], args.runs)
    hotspot = {}
    with open(steady) as f:
        for line in f:
            name, value = line.split()
            if not name.startswith(("iface_", "hsp_", "hsink_", "inode_")):
                hotspot[name] = float(value) - 273.15
    out = os.path.join(tmp, "chiptherm")
    ct_wall, p = best_wall([CHIPTHERM, "signoff", "--hotspot"] + inputs + ["--out", out], args.runs, ENV)
    with open(os.path.join(out, "report.json")) as f:
        report = json.load(f)
    reference = None
    if args.reference:
        with open(args.reference) as f:
            reference = {b["name"]: b for b in json.load(f)["blocks"]}
    print("%-8s %10s %10s %10s %10s %10s" % ("block", "HotSpot", "chiptherm", "+/-", "t_max", "+/-")
          + ("  %10s %10s" % ("HS error", "CT error") if reference else ""))
    rows = []
    for b in report["blocks"]:
        row = {"block": b["name"], "hotspot_avg_c": hotspot.get(b["name"]), "t_avg_c": b["t_avg_c"],
               "t_avg_error_k": b["t_avg_error_k"], "t_max_c": b["t_max_c"], "t_max_error_k": b["t_max_error_k"]}
        line = "%-8s %10.3f %10.3f %10.4f %10.3f %10.4f" % (b["name"], row["hotspot_avg_c"], b["t_avg_c"],
                                                            b["t_avg_error_k"], b["t_max_c"], b["t_max_error_k"])
        if reference:
            r = reference[b["name"]]
            row["hotspot_avg_error_k"] = row["hotspot_avg_c"] - r["t_avg_c"]
            row["t_avg_true_error_k"] = b["t_avg_c"] - r["t_avg_c"]
            row["t_max_true_error_k"] = b["t_max_c"] - r["t_max_c"]
            line += "  %10.3f %10.4f" % (row["hotspot_avg_error_k"], row["t_avg_true_error_k"])
        rows.append(row)
        print(line)
    print("chiptherm: %d cells, %d + %d unknowns (Q%d and Q%d), %d adaptive cycles, largest bound %.3g K" % (
        report["mesh"]["cells"], report["mesh"]["dofs"], report["mesh"]["reported_dofs"],
        report["mesh"]["element_degree"], report["mesh"]["reported_degree"], report["adaptivity"]["cycles"],
        report["adaptivity"]["max_error_k"]))
    print("wall time (best of %d): HotSpot %dx%d grid %.3f s, chiptherm %.3f s: ratio %.2f" % (
        args.runs, args.grid, args.grid, hs_wall, ct_wall, ct_wall / hs_wall))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"hotspot_s": hs_wall, "chiptherm_s": ct_wall, "ratio": ct_wall / hs_wall, "grid": args.grid,
                       "blocks": rows, "timing_s": report["timing_s"]}, f, indent=1)


if __name__ == "__main__":
    main()
