"""Inputs that broke a rule of the corrupted-input sweep (tests/robustness/corrupt_inputs.py)
or of a fuzz harness through the command line, kept as tests (issue 22). The fuzz harnesses'
own findings are replayed by fuzz/run.sh from fuzz/regressions/.

Run by ctest as: python3 test_found_inputs.py CHIPTHERM SOURCE_DIR
"""
import os
import shutil
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "regression"))
from cli import SOURCE, check, finish, run, scratch  # noqa: E402

FOUND = os.path.join(SOURCE, "tests", "robustness", "found")
CASES = os.path.join(SOURCE, "tests", "robustness", "cases")
HOT = os.path.join(SOURCE, "tests", "regression", "cases", "hot_block.yaml")


def expect(args, code, parts, what, cwd=None):
    out = os.path.join(scratch(), "out")
    got, stdout, err = run(args + ["-o", out], cwd=cwd)
    text = stdout + err
    check(got == code and all(p in text for p in parts) and "internal error" not in text,
          "%s: exit %d with %s (got %d: %s)" % (what, code, parts, got, text[-300:]))
    if code in (2, 3):
        check(not os.path.exists(out), what + ": nothing written")


# A strip-shaped 3D-ICE element whose rule cannot refine further: the loop stops.
expect(["solve", os.path.join(FOUND, "stalled_loop.stk")], 0, ["stopped by level cap"], "an adaptive loop that stalls")

# A die 1e14 um thick: was std::bad_alloc (an internal error).
expect(["solve", HOT, "--set", "stack.die.thickness=1e14"], 2,
       ["key 'stack.die.thickness': expected a length within 1e+06 um"], "a die of 1e14 um")

# A power map pixel of 1e9 W: was 60 s and 3.6 GB on a mesh chasing a 1e8 K bound.
folder = scratch()
shutil.copy(os.path.join(CASES, "map_chip.yaml"), folder)
rows = open(os.path.join(CASES, "map.csv")).read().splitlines()
rows[5] = "1e9" + rows[5][rows[5].index(","):]
open(os.path.join(folder, "map.csv"), "w").write("\n".join(rows) + "\n")
expect(["solve", os.path.join(folder, "map_chip.yaml")], 2, ["expected at most 100000 W in the map"],
       "a map pixel of 1e9 W")

# A sweep file with a byte that is not UTF-8 in a value: was an internal error from the JSON
# writer after the cases ran.
folder = scratch()
shutil.copy(HOT, os.path.join(folder, "case.yaml"))
text = open(os.path.join(CASES, "sweep.yaml"), "rb").read().replace(b"objective: t_max_c", b"objective: t_max\xa0c")
open(os.path.join(folder, "sweep.yaml"), "wb").write(text)
expect(["sweep", "sweep.yaml"], 2, ["sweep.yaml:", "not UTF-8 text: byte 0xA0"], "a sweep file that is not UTF-8",
       cwd=folder)

# `import -o` into a folder that does not exist yet: was exit 3 ("cannot write ...: No such
# file or directory"); the folder is made, as -o OUT is for the other commands.
example1 = os.path.join(SOURCE, "tests", "data", "hotspot7", "example1")
target = os.path.join(scratch(), "new", "folder", "ev6.yaml")
code, _, err = run(["import", "hotspot", "--flp", "ev6.flp", "--config", "example.config", "--materials",
                    "example.materials", "--ptrace", "gcc.ptrace", "-o", target], cwd=example1)
check(code == 0 and os.path.exists(target), "import -o into a new folder: %d %s" % (code, err[-300:]))

# Damaged binary .msh files (mesh.file): Gmsh 4.8 crashed (SIGSEGV) on bytes inserted into
# its $Elements section and took over 4 GB on bytes inserted into $ElementData (corrupted-
# input sweep, scenario gmsh-mesh). Now a child process reads the file first, under limits.
folder = scratch()
msh = os.path.join(folder, "hot.msh")
code, _, err = run(["mesh", HOT, "-o", msh])
check(code == 0, "the mesh to damage: " + err[-300:])
if code == 0:
    data = open(msh, "rb").read()
    for section, offset, junk, what in ((b"$Elements", 25848, b"\xc3'\xff", "bytes inserted into $Elements"),
                                        (b"$ElementData", 3762, b"000000.0", "bytes inserted into $ElementData")):
        at = data.index(section) + offset
        open(msh, "wb").write(data[:at] + junk + data[at:])
        expect(["solve", HOT, "--set", "mesh.file=" + msh], 2, ["hot.msh", "Gmsh"], "a .msh with " + what)
    # A node moved out of place (one bit of a coordinate): CG failed (exit 3); now the element is named.
    nodes = data.index(b"$Nodes")
    at = nodes + 27984 - 678
    open(msh, "wb").write(data[:at] + bytes([data[at] ^ 0x08]) + data[at + 1:])
    expect(["solve", HOT, "--set", "mesh.file=" + msh], 2, ["hot.msh", "is inverted, twisted or flat"],
           "a .msh with a node out of place")

finish()
