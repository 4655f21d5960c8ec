"""The shipped 3D stack (issue 8): an SRAM die hybrid-bonded onto a logic die
with a TSV field, a BGA and board below. On a quick mesh: the heat balances,
report.json says where it leaves (most through the lid, a little through the
board), and the homogenised layers act where they should: without the bond's
copper pads the logic under the tier runs hotter, without the board path
everything does."""
import os

from cli import SOURCE, check, finish, read_report, run, scratch

CASE = os.path.join(SOURCE, "examples", "chiplets", "stack_3d.yaml")
QUICK = ["--set", "adaptivity.enabled=false"]


def solve(name, *overrides):
    out = os.path.join(scratch(), name)
    args = ["solve", CASE, "-o", out] + QUICK
    for o in overrides:
        args += ["--set", o]
    code, _, err = run(args)
    check(code == 0, "%s solves: %s" % (name, err[-400:]))
    if code != 0:
        return None, {}
    report = read_report(out)
    return report, {b["name"]: b for b in report["blocks"]}


base, blocks = solve("base")
if base:
    energy = base["energy"]
    faces = energy["heat_out_by_face_w"]
    check(energy["rel_error"] < 1e-8 and abs(sum(faces.values()) - energy["power_in_w"]) < 1e-6 * energy["power_in_w"],
          "heat in = heat out through the faces: %s of %.3f W" % (faces, energy["power_in_w"]))
    share = faces.get("bottom", 0) / energy["power_in_w"]
    # The board loses heat by natural convection (10 W/(m^2 K) over 60 x 60 mm): of order
    # h A dT = 10 x 3.6e-3 x ~15 K = 0.5 W of 81 W; the lid takes the rest.
    # docs/benchmarks.md: 0.63 %; asserted within about 2x (issue 22).
    check(0.004 < share < 0.009, "the board path carries 0.4-0.9 %% (docs: 0.63 %%): %.4f" % share)
    check(blocks["npu"]["t_max_c"] > blocks["bank0"]["t_max_c"] > base["ambient_c"],
          "the NPU under the tier is the hottest, the SRAM above it warm: %.2f > %.2f C"
          % (blocks["npu"]["t_max_c"], blocks["bank0"]["t_max_c"]))

    _, no_pads = solve("no_pads", "stack.bond.regions.tier.material=sio2")
    if no_pads:
        rise = no_pads["npu"]["t_max_c"] - blocks["npu"]["t_max_c"]
        # 2 um of oxide instead of the pad array under ~1.25 W/mm^2: about 1.4e-6 m^2K/W x 1.25e6 W/m^2.
        # docs/benchmarks.md and examples/chiplets/README.md: 1.55 K (1D estimate 1.75 K).
        check(1.25 < rise < 1.85, "without the bond's copper pads the NPU runs 1.25-1.85 K hotter (docs: 1.55 K): %.2f K"
              % rise)

    _, no_board = solve("no_board", "boundaries.bottom=adiabatic")
    if no_board:
        hotter = [no_board[n]["t_max_c"] - blocks[n]["t_max_c"] for n in blocks]
        check(0.1 < min(hotter) and max(hotter) < 0.3,
              "without the board path every block is 0.1-0.3 K hotter (docs: 0.15-0.2 K): %.3f-%.3f K"
              % (min(hotter), max(hotter)))
# As shipped (adaptivity.until: verdicts): signed off on the first mesh, every block passes
# with its bound (README.md: seconds, where 0.1 K on every block takes many minutes).
out = os.path.join(scratch(), "shipped")
code, stdout, err = run(["signoff", CASE, "-o", out])
shipped = read_report(out) if code == 0 else {}
adaptivity = shipped.get("adaptivity", {})
check(code == 0 and adaptivity.get("stop_reason") == "verdicts" and len(adaptivity.get("history", [])) == 1
      and all(b["verdict"] == "pass" and b["t_max_c"] + b["t_max_error_k"] < b["limit_c"] for b in shipped["blocks"]),
      "the shipped 3D stack signs off on its first mesh, every block passing with its bound: %d %s"
      % (code, err[-300:]))

finish()
