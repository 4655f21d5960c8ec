"""Runs chiptherm for the benchmark scripts: one command under /usr/bin/time -v
(and mpirun for several ranks), returning report.json, wall seconds and the
ranks' summed peak memory."""
import json
import os
import re
import shutil
import subprocess
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# CHIPTHERM_BIN: another build to measure (two builds compared in one run, say).
CHIPTHERM = os.environ.get("CHIPTHERM_BIN", os.path.join(ROOT, "build", "app", "chiptherm"))
ENV = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
           OMPI_MCA_rmaps_base_oversubscribe="1")


def wall(args, cwd=None, env=None, ok_codes=(0, 1)):
    """The wall time of one run of args (seconds); exits on another exit code."""
    start = time.time()
    p = subprocess.run(args, capture_output=True, text=True, cwd=cwd, env=env)
    if p.returncode not in ok_codes:
        raise SystemExit("%s failed:\n%s%s" % (" ".join(args), p.stdout[-1500:], p.stderr[-1500:]))
    return time.time() - start


def best_wall(args, runs, cwd=None, env=None, ok_codes=(0, 1)):
    """The best wall time of runs runs of args (seconds); exits on another exit code."""
    return min(wall(args, cwd, env, ok_codes) for _ in range(runs))


def paired_walls(commands, runs):
    """Runs each of commands (a list of (args, cwd, env)) in turn, runs rounds,
    so that a slow spell of a shared machine hits all of them alike. Returns
    each command's wall times, in round order."""
    walls = [[] for _ in commands]
    for _ in range(runs):
        for k, (args, cwd, env) in enumerate(commands):
            walls[k].append(wall(args, cwd, env))
    return walls


def run_chiptherm(chiptherm, command, case, overrides, ranks, ok_codes=(0,)):
    """Returns (report, wall s, peak RSS MB); exits with the stderr tail on failure.
    The outputs are deleted after (a 1000-block run writes 550 MB of VTU)."""
    out = tempfile.mkdtemp(prefix="chiptherm-bench-")
    try:
        args = [chiptherm, command, case, "-o", out]
        for s in overrides:
            args += ["--set", s]
        # Each rank's /usr/bin/time writes a file of its own: on a shared stderr
        # two ranks' reports could interleave and one be lost to the pattern (a
        # 1000-block row once read 5.21 GB for two ranks of 4.9 GB each). Each
        # rank's wrapper exits 0 and leaves its exit code in a file: mpirun stops
        # the other ranks when one exits non-zero, and a /usr/bin/time stopped
        # so writes nothing (an empty rank-0 file, exit code 1 on both ranks).
        timing = os.path.join(out, "time")
        timed = ["bash", "-c", 'f="$0.${OMPI_COMM_WORLD_RANK:-0}"; /usr/bin/time -v -o "$f" "$@"; echo $? > "$f.rc"',
                 timing] + args
        args = (["mpirun", "-np", str(ranks)] if ranks > 1 else []) + timed
        start = time.time()
        p = subprocess.run(args, capture_output=True, text=True, env=ENV)
        wall = time.time() - start
        codes = set()
        for rank in range(ranks):
            rc = "%s.%d.rc" % (timing, rank)
            codes.add(int(open(rc).read()) if os.path.exists(rc) else p.returncode or -1)
        if p.returncode != 0 or not codes <= set(ok_codes):
            raise SystemExit("%s failed (exit codes %s):\n%s" % (" ".join(args), sorted(codes), p.stderr[-3000:]))
        rss_kb = 0
        for rank in range(ranks):
            with open("%s.%d" % (timing, rank)) as f:
                rss_kb += int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", f.read()).group(1))
        with open(os.path.join(out, "report.json")) as f:
            return json.load(f), wall, rss_kb / 1024
    finally:
        shutil.rmtree(out, ignore_errors=True)


# The cases the issue-18 benchmarks share, with their die's edge (um): references
# and first meshes are sized from it.
CASES = {
    "hot_block": ("bench/cases/hot_block.yaml", 3000),
    # the same chip on chiptherm's default mesh sizes (the verdict test's case)
    "hot_block_defaults": ("tests/regression/cases/hot_block.yaml", 3000),
    "soc10": ("bench/cases/soc10/soc10.yaml", 12000),
    "tile_hotspot": ("bench/cases/tile_hotspot.yaml", 10000),
    "small_hotspot": ("bench/cases/small_hotspot.yaml", 10000),
    "tiny_hotspot": ("bench/cases/tiny_hotspot.yaml", 10000),
    "soc_demo": ("examples/soc_demo/soc_demo.yaml", 12000),
}


def reference_settings(die):
    """The reference solve's overrides for a die of edge die um."""
    return ["solver.degree=3", "adaptivity.tolerance=0.001", "adaptivity.max_cycles=12",
            "mesh.die_cell_size=%g" % (die / 24), "mesh.vertical_cell_size=%g" % (die / 24)]


def reference_command(name):
    """The command line reference_report runs for CASES[name]."""
    case, die = CASES[name]
    return "chiptherm solve %s -o OUT %s" % (case, " ".join("--set " + s for s in reference_settings(die)))


def reference_report(name, cache_dir=None, stored_ok=True):
    """A much finer solve of CASES[name]: degree 3 (figures from degree 4) adapted
    until every block's bound is below 0.001 K, from die/24 cells. Returns
    (report, wall s; 0 when read from cache_dir/reference-NAME.json, or without
    cache_dir from the tests' stored copy tests/data/references/NAME.json)."""
    case, die = CASES[name]
    cache = os.path.join(cache_dir, "reference-%s.json" % name) if cache_dir else None
    if cache and os.path.exists(cache):
        with open(cache) as f:
            return json.load(f), 0.0
    stored = os.path.join(ROOT, "tests", "data", "references", name + ".json")
    if stored_ok and not cache and os.path.exists(stored):
        # The tests' copy (bench/effectivity.py compact_reference: mesh, blocks, bound),
        # made by the same settings; --cache DIR (a fresh one) computes it again.
        with open(stored) as f:
            report = json.load(f)
        report.setdefault("adaptivity", {"max_error_k": report["max_error_k"]})
        print("reference: %s (%s)" % (os.path.relpath(stored, ROOT), report.get("command", "")))
        return report, 0.0
    report, wall, _ = run_chiptherm(CHIPTHERM, "solve", os.path.join(ROOT, case), reference_settings(die), 1)
    if cache:
        os.makedirs(cache_dir, exist_ok=True)
        with open(cache, "w") as f:
            json.dump(report, f)
    return report, wall


def largest_error(report, reference, figure="t_max_c"):
    """The largest |figure - reference| over the blocks, K, and that block's name."""
    ref = {(b["die"], b["name"]): b[figure] for b in reference["blocks"]}
    return max((abs(b[figure] - ref[(b["die"], b["name"])]), b["name"]) for b in report["blocks"])
