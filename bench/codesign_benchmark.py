#!/usr/bin/env python3
"""The co-design loop on the shipped SoC (issue 7): leakage on the digital
blocks, silicon's k(T), and a throttling NPU, against the same SoC uncoupled.

    python3 bench/codesign_benchmark.py [--ranks 2] [--npu-limit 80]

Prints the solves and wall time of the coupled run relative to one uncoupled
solve (issue 7's aim: under 3x), and how far the coupled answer moves the block
temperatures and powers. Nothing is asserted (timings are noisy).

Leakage at 25 C is about 10 % of each block's dynamic power, growing 2.5 % per K
(doubling every ~28 K, typical of 7-16 nm logic); the NPU's operating points
scale its 32 W at 1.2 GHz, 0.90 V as V^2 f.
"""
import argparse
import os

from bench_run import CHIPTHERM, ROOT, run_chiptherm

SOC = os.path.join(ROOT, "examples", "soc_demo", "soc_demo.yaml")
LEAKY = {"cpu0": 0.35, "cpu1": 0.35, "cpu2": 0.35, "cpu3": 0.35, "npu_sram": 0.4, "l3": 0.25, "serdes": 0.09}


def npu_points():
    points = []
    for f_ghz, v in ((1.2, 0.90), (1.0, 0.85), (0.8, 0.80), (0.6, 0.75)):
        power = 32.0 * (v / 0.90) ** 2 * (f_ghz / 1.2)
        points.append("{frequency: %.3g, voltage: %.3g, power: %.4g}" % (f_ghz * 1e9, v, power))
    return "[" + ", ".join(points) + "]"


def coupling_overrides(npu_limit_c, npu_dvfs=True):
    """--set options that turn the shipped SoC into the coupled one: k(T) silicon,
    leakage on the digital blocks, and (npu_dvfs) the NPU on its DVFS points."""
    sets = ["materials=[standard, {name: silicon, conductivity: {k0: 148, t0_k: 300, exponent: -1.3}, "
            "heat_capacity: 1.66e6}]",
            "stack.die.blocks.npu.leakage={p0: 3.2, t0: 25, beta: 0.025}"]
    if npu_dvfs:
        sets += ["stack.die.blocks.npu.power=null",
                 "stack.die.blocks.npu.dvfs={limit: %g, points: %s}" % (npu_limit_c, npu_points())]
    sets += ["stack.die.blocks.%s.leakage={p0: %g, t0: 25, beta: 0.025}" % (name, p0) for name, p0 in LEAKY.items()]
    return sets


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--chiptherm", default=CHIPTHERM)
    parser.add_argument("--ranks", type=int, default=1)
    parser.add_argument("--npu-limit", type=float, default=80.0, help="the NPU's throttling limit, C")
    args = parser.parse_args()

    plain, plain_wall, plain_mb = run_chiptherm(args.chiptherm, "solve", SOC, [], args.ranks)
    coupled_sets = coupling_overrides(args.npu_limit)
    coupled, coupled_wall, coupled_mb = run_chiptherm(args.chiptherm, "solve", SOC, coupled_sets, args.ranks,
                                                      ok_codes=(0, 1))

    cd = coupled["codesign"]
    npu = cd["dvfs_blocks"][0]
    history = coupled["adaptivity"]["history"]
    print("uncoupled: %d cells, %d adaptive cycles, %.1f s, peak RSS %.0f MB (all ranks)"
          % (plain["mesh"]["cells"], plain["adaptivity"]["cycles"], plain_wall, plain_mb))
    print("coupled:   %d cells, %d adaptive cycles (nonlinear iterations per cycle: %s), %d throttling solves "
          "in all, %.1f s = %.2fx the uncoupled run, peak RSS %.0f MB"
          % (coupled["mesh"]["cells"], coupled["adaptivity"]["cycles"],
             "/".join(str(c.get("nonlinear_iterations", 0)) for c in history), cd["solves"], coupled_wall,
             coupled_wall / plain_wall, coupled_mb))
    for name, r in (("uncoupled", plain), ("coupled", coupled)):
        phases = ", ".join("%s %.1f" % (k, v) for k, v in sorted(r["timing_s"].items()) if v >= 0.1 and k != "total")
        cycles = "; ".join("%d cells done at %.1f s%s" % (c["cells"], c["wall_s"], "" if c["max_block_change_k"] is None
                                                           else " (block change %.3g K)" % c["max_block_change_k"])
                           for c in r["adaptivity"]["history"])
        print("  %s phases (s, rank 0): %s\n  %s cycles: %s" % (name, phases, name, cycles))
    print("NPU: point %d, %.2f GHz, throughput %.2f of nominal, %.2f C (limit %.1f C), dynamic %.2f W + leakage %.2f W"
          % (npu["point"], npu["frequency_hz"] / 1e9, npu["throughput"], npu["t_max_c"], npu["limit_c"],
             npu["dynamic_w"], npu["leakage_w"]))
    for event in cd["events"]:
        print("  " + event)
    print("\n| block | uncoupled t_max C | coupled t_max C | difference K | uncoupled W | coupled W (leakage) |")
    print("|---|---|---|---|---|---|")
    before = {b["name"]: b for b in plain["blocks"]}
    for b in coupled["blocks"]:
        p = before[b["name"]]
        print("| %s | %.2f | %.2f | %+.2f | %.2f | %.2f (%.2f) |" % (b["name"], p["t_max_c"], b["t_max_c"],
                                                                  b["t_max_c"] - p["t_max_c"], p["power_w"],
                                                                  b["power_w"], b["leakage_w"]))
    print("\ntotal power: uncoupled %.2f W, coupled %.2f W; energy balance %.1e"
          % (plain["energy"]["power_in_w"], coupled["energy"]["power_in_w"], coupled["energy"]["rel_error"]))


if __name__ == "__main__":
    main()
