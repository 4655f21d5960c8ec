"""Temperature-dependent power and conductivity from the command line (issue 7):
a chip with leaking blocks and k(T) silicon solves to a state where the power
and the temperature agree (energy in = out, leakage reported per block and as
a ParaView field); more leakage runs away with exit code 3 naming the block and
leaving no output; transient runs refuse leakage for now (exit 2). The exact
solutions are checked in tests/verification/test_nonlinear_exact.cc."""
import math
import os

from cli import SOURCE, check, finish, read_report, run, scratch

CASE = os.path.join(SOURCE, "tests", "regression", "cases", "leaky_chip.yaml")
quick = ["--set", "adaptivity.tolerance=0.2"]

out = os.path.join(scratch(), "leaky")
code, stdout, err = run(["solve", CASE, "-o", out] + quick)
check(code == 0, "the leaky chip solves: " + err[-800:])
check("nonlinear iterations" in stdout, "the log counts the nonlinear iterations")
report = read_report(out)
check(report["solver"]["nonlinear_iterations"] >= 3, "report.json: solver.nonlinear_iterations = %s"
      % report["solver"]["nonlinear_iterations"])
check(report["energy"]["rel_error"] < 1e-8, "energy balance with leakage: %g" % report["energy"]["rel_error"])
blocks = {b["name"]: b for b in report["blocks"]}
core, io = blocks["core"], blocks["io"]
check(abs(core["power_w"] - core["dynamic_w"] - core["leakage_w"]) < 1e-9, "power_w = dynamic_w + leakage_w")
check(io["leakage_w"] == 0 and io["power_w"] == io["dynamic_w"], "a block without leakage leaks nothing")
# The core's leakage lies between p0 exp(beta (T - t0)) at its coolest and hottest point.
lo, hi = (1.0 * math.exp(0.03 * (core[k] - 25)) for k in ("t_min_c", "t_max_c"))
check(lo <= core["leakage_w"] <= hi, "core leakage %.3f W within [%.3f, %.3f] W from its temperatures"
      % (core["leakage_w"], lo, hi))
check(abs(report["energy"]["power_in_w"] - sum(b["power_w"] for b in report["blocks"])) < 1e-6 * report["energy"]["power_in_w"],
      "power in = sum of the blocks' total power")
with open(os.path.join(out, "solution_0000.0.vtu"), "rb") as f:
    check(b'Name="leakage_share"' in f.read(), "ParaView gets the leakage share as a field")

# Without leakage and k(T) the same chip is cooler: the coupling matters.
linear = os.path.join(scratch(), "linear")
code, _, err = run(["solve", CASE, "-o", linear, "--set", "stack.die.blocks.core.leakage.p0=0",
                    "--set", "stack.die.blocks.cache.leakage.p0=0",
                    "--set", "materials.silicon_kt.conductivity=148"] + quick)
check(code == 0, "the uncoupled chip solves: " + err[-500:])
cold = {b["name"]: b for b in read_report(linear)["blocks"]}
check(core["t_max_c"] > cold["core"]["t_max_c"] + 5, "coupled core %.2f C vs uncoupled %.2f C"
      % (core["t_max_c"], cold["core"]["t_max_c"]))

runaway = os.path.join(scratch(), "runaway")
code, stdout, err = run(["solve", CASE, "-o", runaway, "--set", "stack.die.blocks.core.leakage.p0=3"] + quick)
check(code == 3, "thermal runaway is a numerical failure: exit %d" % code)
check("thermal runaway" in err and "die/core" in err, "the message says runaway and names the block: " + err[-600:])
check(not os.path.exists(runaway), "no half-written output")

# --- DVFS: a throttled operating point worked out by hand -----------------------------------
# An ideal conductor plate (1 cm^2, h = 2000 on top: R = 5 K/W) holding one
# accelerator: T = 45 C + 5 K/W x P. Its points 20 / 15 / 10 / 5 W give 145 / 120 /
# 95 / 70 C; under a 100 C limit it must settle at 10 W (1.2 of 2.0 GHz: 0.6).
plate = os.path.join(scratch(), "plate.yaml")
with open(plate, "w") as f:
    f.write("""version: 1
name: dvfs_plate
units: {length: um, temperature: C}
ambient: 45
materials:
  - {name: ideal, conductivity: 1e6, heat_capacity: 1e6}
stack:
  - name: die
    material: ideal
    thickness: 100
    footprint: [0, 0, 10000, 10000]
    blocks:
      - name: npu
        type: accelerator
        rect: [0, 0, 10000, 10000]
        dvfs:
          limit: 100
          points:
            - {frequency: 2.0e9, voltage: 0.90, power: 20}
            - {frequency: 1.6e9, voltage: 0.80, power: 15}
            - {frequency: 1.2e9, voltage: 0.70, power: 10}
            - {frequency: 0.8e9, voltage: 0.60, power: 5}
boundaries:
  top: {h: 2000}
mesh: {die_cell_size: 2500, vertical_cell_size: 100}
adaptivity: {enabled: false}
""")
out = os.path.join(scratch(), "plate")
code, stdout, err = run(["solve", plate, "-o", out])
check(code == 0 and "throttle" in stdout, "the DVFS plate solves and logs its throttling: " + err[-500:])
report = read_report(out)
npu = report["codesign"]["dvfs_blocks"][0]
check(npu["point"] == 2 and abs(npu["throughput"] - 0.6) < 1e-12 and npu["throttled"] and npu["within_limit"],
      "settles at the 1.2 GHz point, throughput 0.6: %s" % npu)
check(abs(npu["t_max_c"] - 95.0) < 1e-3, "at 45 + 5 x 10 = 95 C: %.6f C" % npu["t_max_c"])
check(report["codesign"]["solves"] == 3 and len(report["codesign"]["events"]) == 2, "two steps down, three solves")
check(abs(report["blocks"][0]["power_w"] - 10) < 1e-12, "the block reports the power it settled at")
code, _, err = run(["solve", plate, "-o", out + "_cold", "--set", "stack.die.blocks.npu.dvfs.limit=60"])
npu = read_report(out + "_cold")["codesign"]["dvfs_blocks"][0]
check(code == 0 and npu["point"] == 3 and not npu["within_limit"] and abs(npu["t_max_c"] - 70) < 1e-3,
      "a limit below the slowest point: it stays there and says it is over (%s)" % npu)

# Points without power scale from the first as C V^2 f: 20 W x (0.8/0.9)^2 x 0.8 = 12.64 W
# (108.2 C, too hot), 20 W x (0.7/0.9)^2 x 0.6 = 7.259 W (81.30 C): it settles at the third.
code, _, err = run(["solve", plate, "-o", out + "_cv2f", "--set",
                    "stack.die.blocks.npu.dvfs.points=[{frequency: 2.0e9, voltage: 0.9, power: 20}, "
                    "{frequency: 1.6e9, voltage: 0.8}, {frequency: 1.2e9, voltage: 0.7}]"])
npu = read_report(out + "_cv2f")["codesign"]["dvfs_blocks"][0] if code == 0 else {}
expected = 45 + 5 * 20 * (0.7 / 0.9) ** 2 * 0.6
check(code == 0 and npu["point"] == 2 and abs(npu["dynamic_w"] - 20 * (0.7 / 0.9) ** 2 * 0.6) < 1e-9
      and abs(npu["t_max_c"] - expected) < 1e-3, "V^2 f scaling of the points: %s (expected %.4f C)" % (npu, expected))
# Activity 0.5 halves every point: 10 W at full speed is 95 C, within the limit: no throttling.
code, _, err = run(["solve", plate, "-o", out + "_half", "--set", "stack.die.blocks.npu.activity=0.5"])
npu = read_report(out + "_half")["codesign"]["dvfs_blocks"][0] if code == 0 else {}
check(code == 0 and npu["point"] == 0 and not npu["throttled"] and abs(npu["t_max_c"] - 95) < 1e-3,
      "activity 0.5: full speed at 95 C: %s %s" % (npu, err[-300:]))

code, _, err = run(["transient", CASE, "-o", os.path.join(scratch(), "tr"), "--set", "transient={end_time: 0.01}"])
check(code == 2 and "leakage is not supported by transient runs yet" in err, "transient refuses leakage: " + err[-300:])
finish()
