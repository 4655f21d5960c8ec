"""Sign-off verdicts with error bounds (issue 18) on a case built to straddle a
limit: the hot analog block's limit is put inside its first solve's bound.
The loop then refines until the verdict is decided (bounds shrink below the
distance to the limit); with no cycles left it reports `undecided` (exit 1);
a limit clear of the bound passes (exit 0) or fails (exit 1) on the first mesh."""
import os

from cli import EXAMPLE, SOURCE, check, finish, read_blocks_csv, read_report, run, scratch

CASE = os.path.join(SOURCE, "tests", "regression", "cases", "hot_block.yaml")


def signoff(name, *sets):
    out = os.path.join(scratch(), name)
    args = ["signoff", CASE, "-o", out]
    for s in sets:
        args += ["--set", s]
    code, stdout, stderr = run(args)
    report = read_report(out) if os.path.exists(os.path.join(out, "report.json")) else {}
    hot = next((b for b in report.get("blocks", []) if b["name"] == "hot"), {})
    return code, stdout, stderr, out, report, hot


# The first mesh's figures (one solve, bounds well within 0.1 K).
code, stdout, stderr, _, report, hot = signoff("first", "adaptivity.max_cycles=0")
check(code == 0 and report["adaptivity"]["cycles"] == 0 and hot["verdict"] == "pass",
      "the hot block passes its default 90 C limit on the first mesh: %d %s" % (code, stderr[-300:]))
t_max, bound = hot.get("t_max_c", 0.0), hot.get("t_max_error_k", 0.0)
check(0 < bound < 0.1, "the first mesh's bound on the hot block's t_max is positive and within 0.1 K: %g K" % bound)

# A limit inside [t_max - bound, t_max + bound], no cycles left: undecided, exit 1.
straddling = "stack.die.blocks.hot.limit=%.6f" % (t_max + 0.5 * bound)
code, stdout, stderr, out, report, hot = signoff("undecided", straddling, "adaptivity.max_cycles=0")
check(code == 1 and report.get("status") == "undecided" and hot.get("verdict") == "undecided"
      and "straddles the limit" in hot.get("reason", ""),
      "a straddling limit with no cycles left is undecided, exit 1: %d %s %s" % (code, report.get("status"), hot))
check("UNDECIDED: die/hot" in stdout, "the log names the undecided block: " + stdout[-400:])
row = read_blocks_csv(out).get(("die", "hot"), {})
check(row.get("verdict") == "undecided" and row.get("pass") == "false" and float(row.get("t_max_error_k", 0)) > 0,
      "blocks.csv: pass false, verdict undecided, the bound: %s" % row)
core = next(b for b in report["blocks"] if b["name"] == "core")
check(core["verdict"] == "pass", "the other block's verdict stays pass")

# The same limit with the default budget: the loop refines until the verdict is decided.
code, stdout, stderr, _, report, hot = signoff("decided", straddling)
history = report.get("adaptivity", {}).get("history", [])
check(code in (0, 1) and len(history) >= 2 and hot.get("verdict") in ("pass", "fail"),
      "the loop refines past a mesh whose bounds already meet 0.1 K until the verdict is decided: %d %d rows %s"
      % (code, len(history), hot.get("verdict")))
cycle0 = next((l for l in stdout.splitlines() if "cycle 0:" in l), "")
check("1 block(s) open: die/hot (bound " in cycle0 and ", needs " in cycle0,
      "the first cycle's progress line names the open block, its bound and the bound it needs: " + cycle0)
if hot:
    limit = t_max + 0.5 * bound
    check(hot["t_max_error_k"] < abs(hot["t_max_c"] - limit),
          "decided: the final bound %.4g K is below the distance %.4g K to the limit"
          % (hot["t_max_error_k"], abs(hot["t_max_c"] - limit)))
    # Both figures carry valid bounds, so they differ by at most the sum of the two (the refined
    # mesh stops once the verdict is decided, so its own error need not be negligible: 0.0076 K
    # against a degree-3 reference here, bound 0.016 K, since rules wait while marking refines).
    check(abs(hot["t_max_c"] - t_max) <= bound + hot["t_max_error_k"],
          "the refined t_max %.5f C lies within the first mesh's bound %.4g K plus its own %.4g K of %.5f C"
          % (hot["t_max_c"], bound, hot["t_max_error_k"], t_max))
    check((code == 0) == (hot["verdict"] == "pass") and report["status"] == hot["verdict"],
          "exit code and status follow the verdict: %d %s" % (code, report["status"]))

# One open verdict marks few cells (its goal-weighted Doerfler share: 15 % more cells here);
# adaptivity.min_growth (0.2) tops a cycle up to a fifth more cells, since the next solve
# costs the whole mesh anyway (a refined cell adds 7: whole cells, so a little under 20 %).
cells = [h["cells"] for h in history]
check(len(cells) >= 2 and all(b >= 1.19 * a for a, b in zip(cells, cells[1:])),
      "every cycle adds at least min_growth = 0.2 of the cells: %s" % cells)
code, _, _, _, report, hot = signoff("decided_no_floor", straddling, "adaptivity.min_growth=0")
plain = [h["cells"] for h in report.get("adaptivity", {}).get("history", [])]
check(len(plain) >= 2 and plain[1] < cells[1] and hot.get("verdict") in ("pass", "fail"),
      "without the floor the first cycle adds fewer cells (%s against %s), and decides too" % (plain, cells))

# Limits clear of the bound are decided on the first mesh, one solve.
code, _, stderr, _, report, hot = signoff("clear_pass", "stack.die.blocks.hot.limit=%.6f" % (t_max + 3 * bound))
check(code == 0 and hot.get("verdict") == "pass" and len(report["adaptivity"]["history"]) == 1,
      "a limit 3 bounds above t_max passes after one solve: %d %s" % (code, stderr[-200:]))
code, stdout, stderr, _, report, hot = signoff("clear_fail", "stack.die.blocks.hot.limit=%.6f" % (t_max - 3 * bound))
check(code == 1 and hot.get("verdict") == "fail" and report.get("status") == "fail"
      and len(report["adaptivity"]["history"]) == 1 and "FAIL: die/hot" in stdout,
      "a limit 3 bounds below t_max fails after one solve, exit 1: %d %s" % (code, stderr[-200:]))

# adaptivity.until: verdicts stops at the first mesh whose verdicts are decided, whatever
# the bounds: a tolerance far below the first bound refines by default, not with it.
tight = "adaptivity.tolerance=%.6g" % (0.2 * bound)
code, stdout, _, _, report, hot = signoff("tight", tight, "adaptivity.max_cycles=1")
check(len(report["adaptivity"]["history"]) == 2, "a tolerance of a fifth of the bound refines by default")
code, stdout, stderr, _, report, hot = signoff("until_verdicts", tight, "adaptivity.until=verdicts")
a = report.get("adaptivity", {})
check(code == 0 and len(a.get("history", [])) == 1 and a.get("until") == "verdicts" and a.get("converged")
      and a.get("stop_reason") == "verdicts" and hot.get("verdict") == "pass" and hot.get("t_max_error_k", 0) > 0.2 * bound
      and "every block's verdict decided" in stdout,
      "until: verdicts stops after one solve with every verdict decided, bounds reported: %d %s %s"
      % (code, a.get("stop_reason"), stderr[-200:]))
code, _, _, _, report, hot = signoff("until_verdicts_straddling", tight, "adaptivity.until=verdicts", straddling)
check(len(report["adaptivity"]["history"]) >= 2 and hot.get("verdict") in ("pass", "fail"),
      "until: verdicts still refines while a verdict is open: %d rows, %s"
      % (len(report["adaptivity"]["history"]), hot.get("verdict")))

# A block much smaller than the cells it lies in (no block edge on a grid line, no adaptive
# cycles; the 600 um PLLs in 2 mm cells, where their bounds missed: docs/benchmarks.md): its
# bound is not guaranteed, so it gets no verdict; resolved blocks keep theirs.
out = os.path.join(scratch(), "out")
code, stdout, stderr = run(["signoff", EXAMPLE, "-o", out, "--set", "mesh.block_edges=none",
                            "--set", "adaptivity.enabled=false", "--set", "mesh.die_cell_size=2000"])
blocks = {b["name"]: b for b in read_report(out)["blocks"]} if code in (0, 1) else {}
unresolved = [n for n, b in blocks.items() if b.get("resolved") is False]
check(code == 1 and "pll0" in unresolved and all(blocks[n]["verdict"] == "undecided" for n in unresolved)
      and "its error bound is not guaranteed" in blocks["pll0"]["reason"],
      "unresolved blocks are undecided: exit %d, unresolved %s, pll0 %s" % (code, unresolved, blocks.get("pll0")))
# A resolved block within the reach of an unresolved one's cells can have its peak at that
# block's edge, missed alike by both degrees (the 100 um hotspot's neighbours in 1.6 mm cells:
# bounds 1.03 and 1.14 K against true errors of 1.27 and 1.28 K, docs/benchmarks.md): its
# extremes' bounds are not guaranteed either, so no verdict; blocks farther away keep theirs.
near = [n for n, b in blocks.items() if b.get("resolved") is True and b.get("bounds_guaranteed") is False]
check(near and all(blocks[n]["verdict"] == "undecided" and blocks[n]["reason"].startswith("next to die/")
                   for n in near),
      "resolved blocks next to an unresolved one are undecided: %s"
      % [(n, blocks[n]["verdict"], blocks[n]["reason"]) for n in near])
check(all(b.get("bounds_guaranteed") is False for b in blocks.values() if b.get("resolved") is False),
      "an unresolved block's bounds are not guaranteed")
check(any(b.get("bounds_guaranteed") is True and b["verdict"] != "undecided" for b in blocks.values()),
      "resolved blocks away from unresolved ones keep their verdicts: %s"
      % [(n, b.get("bounds_guaranteed"), b["verdict"]) for n, b in blocks.items()])
# Every bound within a (loose) tolerance with the PLLs still unresolved when the loop stops:
# the log says which of the two is not met.
code, stdout, stderr = run(["signoff", EXAMPLE, "-o", os.path.join(scratch(), "out"), "--set",
                            "mesh.block_edges=none", "--set", "mesh.die_cell_size=2000", "--set",
                            "adaptivity.max_cycles=0", "--set", "adaptivity.tolerance=2"])
check(code == 1 and "every block's t_max and t_avg within 2 K" in stdout and "NOT every block decided" in stdout,
      "bounds met, blocks open: the adapt line says both: exit %d %s" % (code, stdout[-400:]))

finish()
