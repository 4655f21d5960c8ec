"""Runs chiptherm for the benchmark scripts: one command under /usr/bin/time -v
(and mpirun for several ranks), returning report.json, wall seconds and the
ranks' summed peak memory."""
import json
import os
import re
import subprocess
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHIPTHERM = os.path.join(ROOT, "build", "app", "chiptherm")
ENV = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
           OMPI_MCA_rmaps_base_oversubscribe="1")


def run_chiptherm(chiptherm, command, case, overrides, ranks, ok_codes=(0,)):
    """Returns (report, wall s, peak RSS MB); exits with the stderr tail on failure."""
    out = tempfile.mkdtemp(prefix="chiptherm-bench-")
    args = ["/usr/bin/time", "-v", chiptherm, command, case, "-o", out]
    for s in overrides:
        args += ["--set", s]
    if ranks > 1:
        args = ["mpirun", "-np", str(ranks)] + args
    start = time.time()
    p = subprocess.run(args, capture_output=True, text=True, env=ENV)
    wall = time.time() - start
    if p.returncode not in ok_codes:
        raise SystemExit("%s failed:\n%s" % (" ".join(args), p.stderr[-3000:]))
    rss_kb = sum(int(m) for m in re.findall(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr))
    with open(os.path.join(out, "report.json")) as f:
        return json.load(f), wall, rss_kb / 1024
