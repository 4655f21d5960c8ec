#!/usr/bin/env python3
"""chiptherm's transient against HotSpot 7's grid model on the same case and
power trace, measured in one run (issue 20): the 10-block SoC of
bench/cases/soc10 under a 1000-row, 1 ms trace (bench/make_soc10_trace.py),
from HotSpot's -init_temp, both tools reading the same HotSpot inputs.

    python3 bench/hotspot_transient_comparison.py --hotspot /path/to/hotspot
        [--grid 64] [--ranks 1] [--fixed-step 2.5e-4] [--skip-fixed] [--json FIGURES.json]
        [--set KEY=VALUE ...]

Runs, each timed end to end (process start to exit, once: HotSpot's run takes
minutes): HotSpot (grid model, -o TTRACE); chiptherm `transient --hotspot` with
its defaults (error control, 0.1 K per step); the same at a fixed small step,
the reference for the time-step error. Prints the wall times, their ratio, and
each block's peak from all three: chiptherm's error against its fixed-step
reference is what issue 20 bounds (0.05 K); HotSpot's differs by its coarser
model (block-level grid cells, no sink resolution), for information.
HotSpot is not a dependency: build it from its public repository
(../shared/docs/reference-tools.md). Nothing is asserted: timings are noisy.
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


def timed(args, env=None):
    start = time.time()
    p = subprocess.run(args, capture_output=True, text=True, env=env)
    wall = time.time() - start
    if p.returncode not in (0, 1):
        raise SystemExit("%s failed:\n%s" % (" ".join(args), p.stderr[-2000:]))
    return wall


def hotspot_peaks(ttrace):
    with open(ttrace) as f:
        names = f.readline().split()
        peaks = {n: -1e300 for n in names}
        for line in f:
            for n, v in zip(names, line.split()):
                peaks[n] = max(peaks[n], float(v) - 273.15)
    return peaks


def chiptherm_run(inputs, out, overrides, ranks):
    sets = []
    for o in overrides:
        sets += ["--set", o]
    mpi = ["mpirun", "-np", str(ranks), "--oversubscribe"] if ranks > 1 else []
    wall = timed(mpi + [CHIPTHERM, "transient", "--hotspot"] + inputs + sets + ["--out", out], ENV)
    with open(os.path.join(out, "report.json")) as f:
        return wall, json.load(f)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hotspot", required=True, help="the hotspot executable")
    parser.add_argument("--grid", type=int, default=64, help="HotSpot's grid rows and columns")
    parser.add_argument("--ranks", type=int, default=1, help="MPI ranks of chiptherm's runs (HotSpot has one thread)")
    parser.add_argument("--fixed-step", default="2.5e-4", help="s, chiptherm's reference run's step")
    parser.add_argument("--skip-fixed", action="store_true")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="passed to chiptherm's runs, e.g. solver.time_step_preconditioner=boomeramg")
    parser.add_argument("--json", help="write the figures here")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="hotspot-transient-")
    trace = os.path.join(tmp, "soc10_burst.ptrace")
    with open(trace, "w") as f:
        subprocess.run([sys.executable, os.path.join(ROOT, "bench", "make_soc10_trace.py")], stdout=f, check=True)
    inputs = ["-c", os.path.join(CASE, "soc10.config"), "-f", os.path.join(CASE, "soc10.flp"), "-p", trace]

    ttrace = os.path.join(tmp, "hotspot.ttrace")
    hs_wall = timed([args.hotspot] + inputs + ["-model_type", "grid", "-grid_rows", str(args.grid),
                                               "-grid_cols", str(args.grid), "-o", ttrace])
    print("HotSpot: %.1f s" % hs_wall, flush=True)
    hs = hotspot_peaks(ttrace)
    ct_wall, ct = chiptherm_run(inputs, os.path.join(tmp, "chiptherm"), args.set, args.ranks)
    print("chiptherm (%d rank%s): %.1f s" % (args.ranks, "s" if args.ranks > 1 else "", ct_wall), flush=True)
    ref_wall, ref = None, None
    if not args.skip_fixed:
        ref_wall, ref = chiptherm_run(inputs, os.path.join(tmp, "fixed"), args.set + ["transient.fixed_step=" + args.fixed_step],
                                 args.ranks)
        print("chiptherm, fixed step %s s: %.1f s" % (args.fixed_step, ref_wall), flush=True)

    t = ct["transient"]
    print()
    print("chiptherm: %d steps (%d rejected), %d CG iterations, %d AMG builds, %d unknowns; timing %s" % (
        t["steps"], t["rejected_steps"], t["linear_iterations"], t["amg_builds"], ct["mesh"]["dofs"],
        json.dumps({k: round(v, 1) for k, v in ct["timing_s"].items()})))
    print("wall: HotSpot %.1f s, chiptherm %.1f s: chiptherm / HotSpot = %.3f" % (hs_wall, ct_wall, ct_wall / hs_wall))
    print()
    print("| block | HotSpot peak C | chiptherm peak C | fixed-step peak C | chiptherm - fixed K |")
    print("|---|---|---|---|---|")
    rows, worst = [], 0.0
    ref_blocks = {b["name"]: b for b in ref["blocks"]} if ref else {}
    for b in ct["blocks"]:
        r = ref_blocks.get(b["name"])
        err = abs(b["peak_c"] - r["peak_c"]) if r else None
        worst = max(worst, err or 0.0)
        rows.append({"block": b["name"], "hotspot_peak_c": hs.get(b["name"]), "peak_c": b["peak_c"],
                     "fixed_step_peak_c": r["peak_c"] if r else None, "error_k": err})
        print("| %s | %.3f | %.3f | %s | %s |" % (b["name"], hs.get(b["name"], float("nan")), b["peak_c"],
                                                 "%.3f" % r["peak_c"] if r else "", "%.4f" % err if r else ""))
    if ref:
        print("\nlargest peak error against the fixed step: %.4f K" % worst)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"ranks": args.ranks, "hotspot_s": hs_wall, "chiptherm_s": ct_wall, "fixed_step_s": ref_wall, "ratio": ct_wall / hs_wall,
                       "max_peak_error_k": worst if ref else None, "blocks": rows, "transient": t,
                       "dofs": ct["mesh"]["dofs"]}, f, indent=1)


if __name__ == "__main__":
    main()
