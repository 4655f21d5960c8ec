#!/usr/bin/env python3
"""Corrupted-input sweep: generated variants of shipped inputs through the command line.

Each variant copies one scenario's files (a native case, a case with a trace or a power map,
HotSpot and 3D-ICE inputs, a sweep file, a Gmsh mesh and a saved transient state that
chiptherm wrote itself) into a fresh folder, corrupts one of them with 1-3
random edits (a number scaled by up to 1e12 or made nan/inf/negative, a line deleted,
duplicated or swapped, the file truncated, bytes flipped or inserted), and runs chiptherm as a
user would. What must hold for every variant (issue 22):
  - the exit code is 0, 1, 2 or 3 (no signal, no abort);
  - no "internal error" (every failure is an input or a numerical one, named);
  - on exit 2 or 3 nothing is left in OUT;
  - under --timeout seconds (default 60) and --max-rss GB (default 4) each.
chiptherm sizes its mesh budget and its memory ceiling from the memory the machine has; the
sweep runs it as on a machine with --max-rss less 0.5 GB free (CHIPTHERM_MEMORY_RESERVE_MB
keeps the rest for "other work"), so that chiptherm's own limits, not the sweep's watchdog,
must stop a variant that wants more.
A variant that breaks a rule is saved (files + command + what broke) under --keep for replay.

    python3 tests/robustness/corrupt_inputs.py build/app/chiptherm . --count 1000 --jobs 2
Exits 1 when any variant broke a rule; prints a summary (exit codes, slowest, largest).
"""
import argparse
import concurrent.futures
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

ENV = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")

# name -> (files: {name in the run folder: path in the source tree}, the command after the
# executable ({out} is the output folder), files that may be corrupted)
H7 = "tests/data/hotspot7/example1/"
D3 = "tests/data/3d-ice4/test/"
SCENARIOS = {
    "native-solve": ({"case.yaml": "tests/regression/cases/hot_block.yaml"},
                     ["solve", "case.yaml", "-o", "{out}"], ["case.yaml"]),
    # max_cycles 3: a truncation that drops the case's last line (adaptivity: {enabled: false})
    # leaves a valid case signed off adaptively to 0.1 K, 5 cycles and 60 s here (seed 22,
    # variant 454): slow, not broken (the loop's cost is issue 18's).
    "native-signoff": ({"case.yaml": "tests/regression/cases/two_die_package.yaml"},
                       ["signoff", "case.yaml", "-o", "{out}", "--set", "adaptivity.max_cycles=3"], ["case.yaml"]),
    "codesign": ({"case.yaml": "tests/regression/cases/leaky_chip.yaml"},
                 ["solve", "case.yaml", "-o", "{out}"], ["case.yaml"]),
    "transient-trace": ({"case.yaml": "tests/regression/cases/pulsed_chip.yaml",
                         "pulsed_chip_trace.csv": "tests/regression/cases/pulsed_chip_trace.csv"},
                        ["transient", "case.yaml", "-o", "{out}"], ["case.yaml", "pulsed_chip_trace.csv"]),
    "power-map": ({"case.yaml": "tests/robustness/cases/map_chip.yaml",
                   "map.csv": "tests/robustness/cases/map.csv"},
                  ["solve", "case.yaml", "-o", "{out}"], ["case.yaml", "map.csv"]),
    "mesh-command": ({"case.yaml": "examples/foreign/quad_native.yaml"},
                     ["mesh", "case.yaml", "-o", "{out}/mesh.msh"], ["case.yaml"]),
    "hotspot-steady": ({"quad.config": "examples/foreign/quad.config", "quad.flp": "examples/foreign/quad.flp",
                        "quad.ptrace": "examples/foreign/quad.ptrace"},
                       ["solve", "--hotspot", "-c", "quad.config", "-f", "quad.flp", "-p", "quad.ptrace",
                        "-o", "{out}"], ["quad.config", "quad.flp", "quad.ptrace"]),
    "hotspot-import": ({"ev6.flp": H7 + "ev6.flp", "example.config": H7 + "example.config",
                        "example.materials": H7 + "example.materials", "gcc.ptrace": H7 + "gcc.ptrace"},
                       ["import", "hotspot", "--flp", "ev6.flp", "--config", "example.config",
                        "--materials", "example.materials", "--ptrace", "gcc.ptrace", "-o", "{out}/case.yaml"],
                       ["ev6.flp", "example.config", "example.materials", "gcc.ptrace"]),
    "3dice-steady": ({"topsink.stk": D3 + "solid/steady/topsink.stk",
                      "four_elements.flp": D3 + "four_elements.flp", "background.flp": D3 + "background.flp"},
                     ["solve", "topsink.stk", "-o", "{out}"], ["topsink.stk", "four_elements.flp", "background.flp"]),
    "3dice-transient": ({"twodie.stk": "examples/foreign/twodie.stk", "logic.flp": "examples/foreign/logic.flp",
                         "memory.flp": "examples/foreign/memory.flp"},
                        ["transient", "twodie.stk", "-o", "{out}"], ["twodie.stk", "logic.flp", "memory.flp"]),
    "sweep": ({"case.yaml": "tests/regression/cases/hot_block.yaml", "sweep.yaml": "tests/robustness/cases/sweep.yaml"},
              ["sweep", "sweep.yaml", "-o", "{out}"], ["sweep.yaml"]),
    # Files chiptherm wrote itself and reads back: a Gmsh mesh (mesh.file) and a finished
    # transient run's final state (transient.initial), each damaged as a disk or a copy might.
    "gmsh-mesh": ({"case.yaml": "tests/regression/cases/hot_block.yaml"},
                  ["solve", "case.yaml", "-o", "{out}", "--set", "mesh.file=hot.msh"], ["hot.msh"]),
    "saved-state": ({"case.yaml": "tests/regression/cases/pulsed_chip.yaml",
                     "pulsed_chip_trace.csv": "tests/regression/cases/pulsed_chip_trace.csv"},
                    ["transient", "case.yaml", "-o", "{out}", "--set", "transient.initial=first"],
                    ["first/final_state/a/state.json", "first/final_state/a/mesh", "first/final_state/a/mesh.info",
                     "first/final_state/a/mesh_fixed.data"]),
}
# Commands that write a scenario's files before they are corrupted.
PREPARE = {"gmsh-mesh": [["mesh", "case.yaml", "-o", "hot.msh"]],
           "saved-state": [["transient", "case.yaml", "-o", "first"]]}

NUMBER = re.compile(rb"(?<![A-Za-z_])[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
SPECIAL = [b"0", b"-1", b"nan", b"inf", b"-inf", b"1e308", b"1e-300", b"99999999999999999999", b"-0", b"1e9"]


def mutate(data: bytes, rng: random.Random) -> (bytes, str):
    """One random edit of data; returns the new bytes and what was done."""
    kind = rng.choice(["scale", "scale", "special", "delete-line", "duplicate-line", "swap-lines",
                       "truncate", "flip-byte", "insert-bytes", "drop-char"])
    numbers = list(NUMBER.finditer(data))
    lines = data.split(b"\n")
    if kind in ("scale", "special") and numbers:
        m = rng.choice(numbers)
        if kind == "scale":
            try:
                value = float(m.group()) * 10.0 ** rng.choice([-12, -6, -3, 3, 6, 9, 12]) * rng.choice([1, -1])
            except ValueError:
                value = 1e12
            new = repr(value).encode()
        else:
            new = rng.choice(SPECIAL)
        return data[:m.start()] + new + data[m.end():], "%s %r -> %r" % (kind, m.group(), new)
    if kind == "delete-line" and len(lines) > 1:
        i = rng.randrange(len(lines))
        return b"\n".join(lines[:i] + lines[i + 1:]), "delete line %d" % (i + 1)
    if kind == "duplicate-line" and lines:
        i = rng.randrange(len(lines))
        return b"\n".join(lines[:i + 1] + lines[i:]), "duplicate line %d" % (i + 1)
    if kind == "swap-lines" and len(lines) > 1:
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
        return b"\n".join(lines), "swap lines %d, %d" % (i + 1, j + 1)
    if kind == "truncate" and data:
        n = rng.randrange(len(data))
        return data[:n], "truncate at byte %d" % n
    if kind == "flip-byte" and data:
        i = rng.randrange(len(data))
        return data[:i] + bytes([data[i] ^ (1 << rng.randrange(8))]) + data[i + 1:], "flip a bit of byte %d" % i
    if kind == "insert-bytes":
        i = rng.randrange(len(data) + 1)
        junk = bytes(rng.choice([0, 9, 10, 32, 34, 39, 44, 45, 58, 91, 93, 123, 125, 255, 0xc3]) for _ in range(rng.randint(1, 4)))
        return data[:i] + junk + data[i:], "insert %r at byte %d" % (junk, i)
    if data:
        i = rng.randrange(len(data))
        return data[:i] + data[i + 1:], "drop byte %d" % i
    return data + b"x", "append x"


def reserve_mb(max_rss_gb):
    """CHIPTHERM_MEMORY_RESERVE_MB that leaves chiptherm max_rss_gb - 0.5 GB of what is free now."""
    available_mb = 0
    for line in open("/proc/meminfo"):
        if line.startswith("MemAvailable:"):
            available_mb = int(line.split()[1]) // 1024
    return str(max(0, available_mb - int((max_rss_gb - 0.5) * 1024)))


def rss_of_tree(pid):
    """Resident bytes of pid and its children (mpirun-free runs are one process)."""
    total = 0
    try:
        for task in [pid] + [int(c) for c in open("/proc/%d/task/%d/children" % (pid, pid)).read().split()]:
            for line in open("/proc/%d/status" % task):
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return total


def run_variant(exe, source, index, seed, args):
    rng = random.Random(seed * 1000003 + index)
    name = rng.choice(sorted(args.scenarios or SCENARIOS))
    files, command, mutable = SCENARIOS[name]
    folder = tempfile.mkdtemp(prefix="corrupt-%04d-" % index)
    try:
        for dest, src in files.items():
            shutil.copy(os.path.join(source, src), os.path.join(folder, dest))
        for step in PREPARE.get(name, []):
            subprocess.run([exe] + step, cwd=folder, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           check=True)
        target = rng.choice(mutable)
        data = open(os.path.join(folder, target), "rb").read()
        edits = []
        for _ in range(rng.randint(1, 3)):
            data, what = mutate(data, rng)
            edits.append(what)
        open(os.path.join(folder, target), "wb").write(data)
        out = os.path.join(folder, "OUT")
        argv = [exe] + [a.replace("{out}", out) for a in command]
        start = time.time()
        with open(os.path.join(folder, "stderr.txt"), "wb") as err:
            p = subprocess.Popen(argv, cwd=folder, env=dict(ENV, CHIPTHERM_MEMORY_RESERVE_MB=reserve_mb(args.max_rss)),
                                 stdout=subprocess.DEVNULL, stderr=err)
        peak, killed = 0, None
        while True:
            pid, status, usage = os.wait4(p.pid, os.WNOHANG)
            if pid == p.pid:
                break
            peak = max(peak, rss_of_tree(p.pid))
            if peak > args.max_rss * 2**30:
                killed = "memory over %.1f GB" % args.max_rss
            elif time.time() - start > args.timeout:
                killed = "over %g s" % args.timeout
            if killed:
                p.kill()
                _, status, usage = os.wait4(p.pid, 0)
                break
            time.sleep(0.05)
        p.returncode = code = os.waitstatus_to_exitcode(status)
        seconds = time.time() - start
        peak = max(peak, usage.ru_maxrss * 1024)
        stderr = open(os.path.join(folder, "stderr.txt"), "rb").read().decode(errors="replace")
        problems = []
        if killed:
            problems.append(killed)
        elif code not in (0, 1, 2, 3):
            problems.append("exit code %d (%s)" % (code, "signal %d" % -code if code < 0 else "outside 0-3"))
        if "internal error" in stderr:
            problems.append("internal error")
        if code in (2, 3) and os.path.exists(out) and os.listdir(out):
            problems.append("exit %d left %s in OUT" % (code, sorted(os.listdir(out))))
        if code == 2 and "error" not in stderr:
            problems.append("exit 2 without a message")
        result = {"index": index, "scenario": name, "file": target, "edits": edits, "exit": code,
                  "seconds": round(seconds, 2), "peak_rss_mb": round(peak / 2**20), "problems": problems,
                  "message": stderr.strip().splitlines()[-1][:300] if stderr.strip() else ""}
        if (problems or args.only) and args.keep:
            kept = os.path.join(args.keep, "variant-%04d" % index)
            shutil.rmtree(kept, ignore_errors=True)
            shutil.copytree(folder, kept, ignore=shutil.ignore_patterns("OUT"))
            with open(os.path.join(kept, "replay.json"), "w") as f:
                json.dump(dict(result, command=command, stderr=stderr[-4000:]), f, indent=1)
        return result
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("chiptherm")
    parser.add_argument("source", help="the source tree (inputs are taken from it)")
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=22)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("--max-rss", type=float, default=4.0, help="GB")
    parser.add_argument("--keep", help="folder for the variants that broke a rule")
    parser.add_argument("--json", help="write every variant's result here")
    parser.add_argument("--only", type=int, nargs="*", help="run these variant indices (a replay); --keep keeps them")
    parser.add_argument("--scenarios", nargs="*", choices=sorted(SCENARIOS), help="draw from these scenarios only")
    args = parser.parse_args()
    exe, source = os.path.abspath(args.chiptherm), os.path.abspath(args.source)
    start = time.time()
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        indices = args.only if args.only else range(args.count)
        results = list(pool.map(lambda i: run_variant(exe, source, i, args.seed, args), indices))
    bad = [r for r in results if r["problems"]]
    codes = {}
    for r in results:
        codes[r["exit"]] = codes.get(r["exit"], 0) + 1
    slowest = max(results, key=lambda r: r["seconds"])
    largest = max(results, key=lambda r: r["peak_rss_mb"])
    print("%d variants in %.0f s (seed %d, %d jobs); exit codes %s" % (len(results), time.time() - start, args.seed,
                                                                    args.jobs, dict(sorted(codes.items()))))
    print("slowest %.1f s (%s: %s), largest %d MB (%s: %s)" % (slowest["seconds"], slowest["scenario"],
          "; ".join(slowest["edits"]), largest["peak_rss_mb"], largest["scenario"], "; ".join(largest["edits"])))
    for r in bad:
        print("BROKE A RULE: variant %d (%s, %s: %s): %s; %s" % (r["index"], r["scenario"], r["file"],
              "; ".join(r["edits"]), ", ".join(r["problems"]), r["message"]))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)
    print("%d of %d variants broke a rule" % (len(bad), len(results)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
