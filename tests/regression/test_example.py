"""The shipped SoC example: sign-off passes, every figure lies within its error
bound of an independent much finer reference, the energy balance closes,
outputs follow contract.md, limits fail when they should."""
import json
import os

from cli import EXAMPLE, SOURCE, check, finish, read_blocks_csv, read_report, run, scratch

reference = json.load(open(os.path.join(SOURCE, "tests", "regression", "soc_demo.reference.json")))

out = os.path.join(scratch(), "out")
code, stdout, stderr = run(["signoff", EXAMPLE, "-o", out])
check(code == 0, "signoff of the example passes (exit 0), got %d: %s" % (code, stderr))
report = read_report(out)

# contract.md keys
for key in ["chiptherm_version", "case", "status", "ambient_c", "mesh", "adaptivity", "energy", "solver", "blocks",
            "timing_s"]:
    check(key in report, "report.json has " + key)
for key in ["cells", "dofs", "min_cell_um", "max_level"]:
    check(key in report["mesh"], "report.json mesh has " + key)
for key in ["total", "mesh", "assemble", "solve", "output"]:
    check(key in report["timing_s"], "report.json timing_s has " + key)
check(report["status"] == "pass", "status pass")
check(report["case"] == "soc-demo", "case name")
check(abs(report["ambient_c"] - 45) < 1e-12, "ambient in C")
check(report["solver"]["converged"] and report["solver"]["linear_iterations"] > 0, "solver converged")
for key in ["element_degree", "reported_degree", "reported_dofs"]:
    check(key in report["mesh"], "report.json mesh has " + key)
check(report["mesh"]["element_degree"] == 2 and report["mesh"]["reported_degree"] == 3,
      "steady default: Q2, figures from the Q3 estimate solve (%s)" % report["mesh"])

# The default run stops at the first mesh whose bounds all meet the tolerance
# (0.1 K); the history has one row per solve.
# Where the heat is (issue 21): the powered layer's maximum, at least every block's t_max
# (blocks are sampled like the layer), and inside the hottest block when that block holds it.
hotspots = report["hotspots"]
check(len(hotspots) == 1 and hotspots[0]["layer"] == "die", "one hotspot, the die's: %s" % hotspots)
if hotspots:
    h = hotspots[0]
    hottest = max(report["blocks"], key=lambda b: b["t_max_c"])
    check(h["t_max_c"] >= hottest["t_max_c"] - 1e-9, "hotspot %.4f C >= hottest block's t_max %.4f C"
          % (h["t_max_c"], hottest["t_max_c"]))
    x, y, w, hh = hottest["rect_um"]
    if h["t_max_c"] - hottest["t_max_c"] < 1e-6:
        check(x <= h["x_um"] <= x + w and y <= h["y_um"] <= y + hh,
              "hotspot (%.0f, %.0f) um inside %s %s" % (h["x_um"], h["y_um"], hottest["name"], hottest["rect_um"]))
    check(hottest["z_um"][0] <= h["z_um"] <= hottest["z_um"][1], "hotspot z inside the die layer")

adaptivity = report["adaptivity"]
check(adaptivity["enabled"] and adaptivity["converged"] and adaptivity["tolerance_k"] == 0.1,
      "adaptivity enabled and converged to 0.1 K: %s" % adaptivity)
check(0 <= adaptivity["max_error_k"] <= 0.1, "adaptivity.max_error_k %.4g K within 0.1 K" % adaptivity["max_error_k"])
check(len(adaptivity["history"]) == adaptivity["cycles"] + 1, "one history row per solve")
history = adaptivity["history"]
check(history[-1]["max_error_k"] == adaptivity["max_error_k"] and history[-1]["open_blocks"] == 0
      and history[-1]["dofs"] == report["mesh"]["dofs"], "last cycle: every bound within, unknowns as reported")

# Energy: everything generated leaves through the top (the Q3 solve stops at
# a 1e-5 share of its first guess's error: the balance closes to ~1e-10).
energy = report["energy"]
check(abs(energy["power_in_w"] - reference["power_w"]) < 1e-9 * reference["power_w"],
      "power in %.12g W equals the floorplan's %g W" % (energy["power_in_w"], reference["power_w"]))
check(energy["rel_error"] < 1e-8, "energy balance %.3g < 1e-8" % energy["rel_error"])

# Block figures against an independent, much finer reference (tests/regression/
# soc_demo.reference.json says how it was made): every figure within its bound.
blocks = {b["name"]: b for b in report["blocks"]}
check(len(blocks) == len(reference["blocks"]), "all blocks reported")
for name, ref in reference["blocks"].items():
    b = blocks[name]
    for figure in ("t_max", "t_avg", "t_min"):
        error = abs(b[figure + "_c"] - ref[figure + "_c"])
        check(error <= b[figure + "_error_k"] + ref[figure + "_error_k"],
              "%s %s %.4f C vs reference %.4f C: error %.2g K within the bound %.2g K"
              % (name, figure, b[figure + "_c"], ref[figure + "_c"], error, b[figure + "_error_k"]))
    check(b["t_max_error_k"] <= 0.1 and b["t_avg_error_k"] <= 0.1, name + ": bounds within the tolerance")
    check(b["verdict"] == "pass" and b["pass"], name + ": verdict pass")
    check(report["ambient_c"] < b["t_min_c"] <= b["t_avg_c"] <= b["t_max_c"], name + ": ambient < min <= avg <= max")
    check(b["grad_max_k_per_mm"] > 0, name + ": gradient reported")
    check(0 < b["cell_um_min"] <= b["cell_um_max"] <= 1000 + 1e-9, name + ": cell sizes within the die's 1 mm default")
    # The sensitive types' rule (Q2: 150 um) is applied where the first
    # estimate asked for it (a level per cycle while the block stays open),
    # else waived, and report.json says which.
    if b["type"] in ("analog", "clock", "pmic", "photonic"):
        check(b["mesh_policy"] in ("applied", "waived"), "%s (%s): policy %s" % (name, b["type"], b["mesh_policy"]))
        if b["mesh_policy"] == "applied":
            check(b["cell_um_max"] < 1000 - 1e-9, "%s (%s): cells finer than the die's 1 mm (policy applied), got %.1f"
                  % (name, b["type"], b["cell_um_max"]))
check(max(blocks.values(), key=lambda b: b["t_max_c"])["name"] == "npu", "the accelerator is the hottest block")

# blocks.csv agrees with report.json.
rows = read_blocks_csv(out)
header = open(os.path.join(out, "blocks.csv")).readline().strip()
check(header == "die,block,type,power_w,t_max_c,t_avg_c,t_min_c,grad_max_k_per_mm,limit_c,pass,"
      "t_max_error_k,t_avg_error_k,verdict", "blocks.csv header: " + header)
for name, b in blocks.items():
    r = rows[("die", name)]
    check(abs(float(r["t_max_c"]) - b["t_max_c"]) < 1e-6 and r["pass"] == "true"
          and r["verdict"] == b["verdict"]
          and abs(float(r["t_max_error_k"]) - b["t_max_error_k"]) < 1e-5 * b["t_max_error_k"] + 1e-12,
          "blocks.csv row of " + name)

# ParaView files: pvd -> pvtu -> vtu.
pvd = open(os.path.join(out, "solution.pvd")).read()
check("solution_0000.pvtu" in pvd, "solution.pvd references the pvtu")
pvtu = open(os.path.join(out, "solution_0000.pvtu")).read()
for field in ["temperature_c", "power_density_w_m3", "conductivity", "material_id", "block_id", "refinement_level",
              "error_indicator", "error_bound_k"]:
    check('Name="%s"' % field in pvtu, "field " + field + " in the pvtu")
check(os.path.exists(os.path.join(out, "solution_0000.0.vtu")), "vtu piece written")

# A limit that the accelerator exceeds: exit 1, status fail, the block says why.
out2 = os.path.join(scratch(), "out")
# The runs below test other behaviour: the a priori mesh (no adaptive cycles) is enough.
FAST = ["--set", "adaptivity.enabled=false"]
code, stdout, _ = run(["signoff", EXAMPLE, "-o", out2, "--set", "signoff.limits.accelerator=75"] + FAST)
check(code == 1, "accelerator limit 75 C: exit code 1, got %d" % code)
r2 = read_report(out2)
check(r2["status"] == "fail", "status fail")
b2 = {b["name"]: b for b in r2["blocks"]}
check(not b2["npu"]["pass"] and "exceeds the limit 75.00 C" in b2["npu"]["reason"], "npu fails with a reason")
check(all(b["pass"] for n, b in b2.items() if n != "npu"), "only npu fails")
check("FAIL" in stdout and "npu" in stdout, "the failure is printed")

# A per-block limit on the temperature difference across a block.
out3 = os.path.join(scratch(), "out")
code, _, _ = run(["signoff", EXAMPLE, "-o", out3, "--set", "stack.die.blocks.laser.delta_limit=0.5"] + FAST)
r3 = {b["name"]: b for b in read_report(out3)["blocks"]}
check(code == 1 and not r3["laser"]["pass"] and "t_max - t_min" in r3["laser"]["reason"],
      "laser delta limit 0.5 K fails (its t_max - t_min is %.3f K)" % (r3["laser"]["t_max_c"] - r3["laser"]["t_min_c"]))

# solve never fails on limits, but reports them.
out4 = os.path.join(scratch(), "out")
code, _, _ = run(["solve", EXAMPLE, "-o", out4, "--set", "signoff.limits.accelerator=75"] + FAST)
check(code == 0 and read_report(out4)["status"] == "solved", "solve: exit 0 and status solved")

# A better heat sink cools everything; the override reaches the physics.
out5 = os.path.join(scratch(), "out")
code, _, _ = run(["solve", EXAMPLE, "-o", out5, "--set", "boundaries.top={h: 5000}"] + FAST)
t5 = {b["name"]: b["t_max_c"] for b in read_report(out5)["blocks"]}
check(code == 0 and all(t5[n] < blocks[n]["t_max_c"] - 5 for n in t5), "h = 5000 W/m2K cools every block by > 5 K")

# Default OUT is ./chiptherm-out/<case name>/.
cwd = scratch()
code, _, _ = run(["solve", EXAMPLE, "--set", "mesh.die_cell_size=1500", "--set", "mesh.policy=none"] + FAST, cwd=cwd)
check(code == 0 and os.path.exists(os.path.join(cwd, "chiptherm-out", "soc-demo", "report.json")),
      "default output folder chiptherm-out/soc-demo")

# --help and --version
code, stdout, _ = run(["--version"])
check(code == 0 and stdout.startswith("chiptherm "), "--version")
code, stdout, _ = run(["signoff", "--help"])
check(code == 0 and "--set" in stdout, "signoff --help lists --set")

finish()
