#!/usr/bin/env python3
"""The co-design loop in time on the shipped SoC (issue 7): its burst trace as
shipped, then with silicon's k(T) and leakage on the digital blocks (updated
every step), then also with the NPU on DVFS points under a throttling
controller (its column dropped from the trace: the controller sets its power).

    python3 bench/codesign_transient_benchmark.py [--end 0.2] [--npu-limit 85] [--control 0.001]

Prints steps, solver work, wall time per run and per step, the NPU's peak, its
throttling events and sustained throughput. Nothing is asserted.
"""
import argparse
import csv
import os
import tempfile

from bench_run import CHIPTHERM, ROOT, run_chiptherm
from codesign_benchmark import coupling_overrides

SOC = os.path.join(ROOT, "examples", "soc_demo", "soc_demo.yaml")
TRACE = os.path.join(ROOT, "examples", "soc_demo", "burst_trace.csv")


def trace_without(column):
    """The burst trace without one column, in a temporary file; returns its path."""
    with open(TRACE) as f:
        rows = [r for r in csv.reader(line for line in f if not line.startswith("#"))]
    keep = [i for i, name in enumerate(rows[0]) if name != column]
    out = tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False)
    with out:
        csv.writer(out).writerows([[r[i] for i in keep] for r in rows])
    return out.name


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--chiptherm", default=CHIPTHERM)
    parser.add_argument("--end", default="0.2", help="simulated s of the trace")
    parser.add_argument("--npu-limit", type=float, default=85.0, help="the NPU's throttling limit, C")
    parser.add_argument("--control", default="0.001", help="DVFS control interval, s")
    args = parser.parse_args()
    base = ["mesh.policy=none", "transient.end_time=" + args.end, "transient.control_interval=" + args.control]
    runs = [("as shipped", []),
            ("+ k(T) and leakage every step", coupling_overrides(args.npu_limit, npu_dvfs=False)),
            ("+ NPU on DVFS (limit %g C)" % args.npu_limit,
             coupling_overrides(args.npu_limit) + ["transient.traces=" + trace_without("npu")])]
    print("| run | steps | rejected | CG iterations | AMG builds | wall s | ms per step | npu peak C | events | "
          "NPU throughput | energy balance |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for label, sets in runs:
        report, wall, _ = run_chiptherm(args.chiptherm, "transient", SOC, base + sets, 1)
        t = report["transient"]
        npu = next(b for b in report["blocks"] if b["name"] == "npu")
        cd = report.get("codesign", {})
        dvfs = cd.get("dvfs_blocks", [])
        print("| %s | %d | %d | %d | %d | %.1f | %.1f | %.2f | %s | %s | %.1e |"
              % (label, t["steps"], t["rejected_steps"], t["linear_iterations"], t["amg_builds"], wall,
                 1000 * wall / max(t["steps"], 1), npu["peak_c"], len(cd.get("events", [])) if cd else "-",
                 "%.3f" % dvfs[0]["throughput"] if dvfs else "-", t["energy"]["rel_error"]), flush=True)
        for e in cd.get("events", [])[:6]:
            print("    t = %.4f s: %.2g -> %.2g GHz at %.2f C" % (e["t_s"], e["from_hz"] / 1e9, e["to_hz"] / 1e9,
                                                                e["t_max_c"]))


if __name__ == "__main__":
    main()
