"""The shipped SoC example: sign-off passes, the figures match the reference,
the energy balance closes, outputs follow contract.md, limits fail when they
should."""
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
check(report["mesh"]["dofs"] == reference["dofs"], "same mesh as the reference: %d dofs" % report["mesh"]["dofs"])

check(report["mesh"]["policy_passes"] == 2 and not report["mesh"]["policy_budget_hit"],
      "policy refinement: 2 passes within the cell budget (%s)" % report["mesh"])

# The default run is adaptive and reaches its tolerance; the history has one row per solve.
adaptivity = report["adaptivity"]
check(adaptivity["enabled"] and adaptivity["converged"] and adaptivity["tolerance_k"] == 0.05,
      "adaptivity enabled and converged to 0.05 K: %s" % adaptivity)
check(adaptivity["cycles"] >= 1 and len(adaptivity["history"]) == adaptivity["cycles"] + 1, "one history row per solve")
history = adaptivity["history"]
check(history[-1]["max_block_change_k"] < 0.05 and history[-1]["dofs"] == report["mesh"]["dofs"],
      "last cycle: change below the tolerance, unknowns as reported")
check(all(history[i]["cells"] < history[i + 1]["cells"] for i in range(len(history) - 1)), "cells grow every cycle")
check(all(history[i]["estimated_error"] > history[i + 1]["estimated_error"] for i in range(len(history) - 1)),
      "estimated error falls every cycle")

# Energy: everything generated leaves through the top, to 1e-8.
energy = report["energy"]
check(abs(energy["power_in_w"] - reference["power_w"]) < 1e-9 * reference["power_w"],
      "power in %.12g W equals the floorplan's %g W" % (energy["power_in_w"], reference["power_w"]))
check(energy["rel_error"] < 1e-8, "energy balance %.3g < 1e-8" % energy["rel_error"])

# Block figures against the reference, and internal consistency.
blocks = {b["name"]: b for b in report["blocks"]}
check(len(blocks) == len(reference["t_max_c"]), "all blocks reported")
for name, t_ref in reference["t_max_c"].items():
    b = blocks[name]
    check(abs(b["t_max_c"] - t_ref) < reference["tolerance_k"],
          "%s t_max %.4f C vs reference %.4f C" % (name, b["t_max_c"], t_ref))
    check(report["ambient_c"] < b["t_min_c"] <= b["t_avg_c"] <= b["t_max_c"], name + ": ambient < min <= avg <= max")
    check(b["grad_max_k_per_mm"] > 0, name + ": gradient reported")
    check(0 < b["cell_um_min"] <= b["cell_um_max"] <= 400 + 1e-9, name + ": cell sizes within mesh.die_cell_size")
    if b["type"] in ("analog", "clock", "pmic", "photonic"):
        check(b["cell_um_max"] <= 100 + 1e-9, "%s (%s): cells at most 100 um (policy), got %.1f"
              % (name, b["type"], b["cell_um_max"]))
check(max(blocks.values(), key=lambda b: b["t_max_c"])["name"] == "npu", "the accelerator is the hottest block")

# blocks.csv agrees with report.json.
rows = read_blocks_csv(out)
header = open(os.path.join(out, "blocks.csv")).readline().strip()
check(header == "die,block,type,power_w,t_max_c,t_avg_c,t_min_c,grad_max_k_per_mm,limit_c,pass",
      "blocks.csv header: " + header)
for name, b in blocks.items():
    r = rows[("die", name)]
    check(abs(float(r["t_max_c"]) - b["t_max_c"]) < 1e-6 and r["pass"] == "true", "blocks.csv row of " + name)

# ParaView files: pvd -> pvtu -> vtu.
pvd = open(os.path.join(out, "solution.pvd")).read()
check("solution_0000.pvtu" in pvd, "solution.pvd references the pvtu")
pvtu = open(os.path.join(out, "solution_0000.pvtu")).read()
for field in ["temperature_c", "power_density_w_m3", "conductivity", "material_id", "block_id", "refinement_level",
              "error_indicator"]:
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
