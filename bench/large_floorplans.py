#!/usr/bin/env python3
"""Large floorplans (issue 19): generated N-block slicing floorplans on a 20 mm die
(bench/make_slicing_floorplan.py) signed off with defaults, each stopped after a time limit,
and the mesh budget's refusal of a kilometre-wide sink:

    python3 bench/large_floorplans.py build/app/chiptherm [--limit SECONDS] [N ...]

N defaults to 1000 10000, the limit to 300 s. For each case it prints the mesh line and one row
per adaptive cycle reached (seconds since start, cells, Q2 unknowns, largest bound, open blocks)
as chiptherm logs them, and how the run ended (finished with its exit code, or stopped at the limit).
"""
import os
import re
import subprocess
import sys
import tempfile
import threading
import time

args = sys.argv[1:]
chiptherm = os.path.abspath(args.pop(0))
limit = 300.0
if args and args[0] == "--limit":
    limit = float(args[1])
    args = args[2:]
sizes = [int(a) for a in args] or [1000, 10000]
here = os.path.dirname(os.path.abspath(__file__))
env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")
cycle_line = re.compile(r"\[chiptherm\s+([\d.]+) s\] solve: cycle (\d+): (\d+) cells, (\d+) unknowns.*"
                        r"largest bound ([\d.e+-]+) K, (\d+) block")

with tempfile.TemporaryDirectory(prefix="chiptherm-large-") as tmp:
    for n in sizes:
        case = os.path.join(tmp, "slicing%d.yaml" % n)
        with open(case, "w") as f:
            subprocess.run([sys.executable, os.path.join(here, "make_slicing_floorplan.py"), str(n)], stdout=f,
                           check=True)
        start = time.time()
        p = subprocess.Popen([chiptherm, "signoff", case, "-o", os.path.join(tmp, "out%d" % n)],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
        print("== %d blocks" % n, flush=True)
        print("  seconds    cells   unknowns  bound_K   open", flush=True)
        stopped = False
        timer = threading.Timer(limit, p.kill)
        timer.start()
        for line in p.stdout:
            if "] mesh:" in line:
                print("  " + line.strip().split("] ", 1)[1], flush=True)
            m = cycle_line.search(line)
            if m:
                print("  %7.1f %8s %10s %8s %6s" % (float(m.group(1)), m.group(3), m.group(4), m.group(5),
                                                    m.group(6)), flush=True)
            if "] adapt:" in line or "] done:" in line:
                print("  " + line.strip().split("] ", 1)[1], flush=True)
        code = p.wait()
        timer.cancel()
        wall = time.time() - start
        print("  %s after %.1f s" % ("stopped at the limit" if code < 0 else "exit %d" % code, wall), flush=True)

    example = os.path.join(here, "..", "examples", "soc_demo", "soc_demo.yaml")
    out = os.path.join(tmp, "refused")
    start = time.time()
    p = subprocess.run([chiptherm, "signoff", example, "-o", out, "--set",
                        "stack.sink.footprint={width: 2e9, height: 2e9, centered: true}"],
                       capture_output=True, text=True, env=env)
    print("== kilometre-wide sink: exit %d in %.2f s, OUT written: %s" % (p.returncode, time.time() - start,
                                                                        os.path.exists(out)))
