"""chiptherm mesh: the mesh as a Gmsh file with physical groups per layer, region and
block, written on 2 ranks, read back by a case (mesh.file) with the same answer."""
import os
import re

from cli import EXAMPLE, check, finish, read_blocks_csv, read_report, run, scratch, solver_noise_k

FIXED = ["--set", "adaptivity.enabled=false"]
folder = scratch()
msh = os.path.join(folder, "sub", "soc.msh")
code, stdout, stderr = run(["mesh", EXAMPLE, "-o", msh] + FIXED, ranks=2)
check(code == 0, "mesh on 2 ranks: exit 0, got %d (%s)" % (code, stderr.strip()[-300:]))
check(os.path.exists(msh) and not os.path.exists(os.path.join(folder, "sub", "soc.partial.msh")),
      "the .msh is written and no staging file is left")

# Binary MSH 4.1 keeps its section headers and physical names as text.
head = open(msh, "rb").read()
names = set(re.findall(rb'3 \d+ "([^"]+)"', head))
for group in [b"layer:die", b"layer:tim", b"layer:spreader", b"layer:sink", b"block:die/npu", b"block:die/pll0",
              b"material:copper"]:
    check(group in names, "physical group %s in the file" % group.decode())
check(b"$MeshFormat\n4.1 1 8" in head, "MSH 4.1 binary")
check(b'"chiptherm_coarse_cell"' in head and b'"chiptherm_refinement_level"' in head, "refinement-tree views")

# The case reads it back: same unknowns, same block temperatures.
out_built, out_read = os.path.join(scratch(), "out"), os.path.join(scratch(), "out")
code1, _, _ = run(["solve", EXAMPLE, "-o", out_built] + FIXED)
code2, _, stderr = run(["solve", EXAMPLE, "-o", out_read, "--set", "mesh.file=" + msh] + FIXED)
check(code1 == 0 and code2 == 0, "solve with mesh.file: exit 0, got %d (%s)" % (code2, stderr.strip()[-300:]))
r1, r2 = read_report(out_built), read_report(out_read)
check(r1["mesh"]["cells"] == r2["mesh"]["cells"] and r1["mesh"]["dofs"] == r2["mesh"]["dofs"],
      "same cells and unknowns: %d/%d vs %d/%d" % (r1["mesh"]["cells"], r1["mesh"]["dofs"], r2["mesh"]["cells"],
                                                  r2["mesh"]["dofs"]))
b1, b2 = read_blocks_csv(out_built), read_blocks_csv(out_read)
# Two numberings of the same cells: the same figures to the solver's noise.
beyond = [(k, abs(float(b1[k]["t_max_c"]) - float(b2[k]["t_max_c"]))) for k in b1
          if abs(float(b1[k]["t_max_c"]) - float(b2[k]["t_max_c"])) >= solver_noise_k(float(b1[k]["t_max_error_k"]))]
worst = max(abs(float(b1[k]["t_max_c"]) - float(b2[k]["t_max_c"])) for k in b1)
check(not beyond, "block t_max from the read-back mesh within max(1e-6 K, 2 %% of the bound): %s" % beyond[:3])
print("round trip: %d cells, largest block t_max difference %.2g K" % (r2["mesh"]["cells"], worst))

# A mesh whose physical groups do not name the case's layers is bad input.
other = os.path.join(scratch(), "out")
code, _, stderr = run(["solve", EXAMPLE, "-o", other, "--set", "mesh.file=" + msh, "--set", "stack.tim.name=glue"]
                      + FIXED)
check(code == 2 and "soc.msh" in stderr and "layer:NAME" in stderr,
      "mesh groups that miss the case's layers: exit 2 naming the file, got %d: %s" % (code, stderr.strip()))
finish()
