"""Helpers for the command-line regression tests: run chiptherm, check results.

Each test script is run by ctest as: python3 SCRIPT CHIPTHERM_BINARY SOURCE_DIR
and exits non-zero if any check failed.
"""
import csv
import json
import os
import subprocess
import sys
import tempfile

CHIPTHERM = os.path.abspath(sys.argv[1])
SOURCE = os.path.abspath(sys.argv[2])
EXAMPLE = os.path.join(SOURCE, "examples", "soc_demo", "soc_demo.yaml")
MPI_ENV = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
               OMPI_MCA_rmaps_base_oversubscribe="1")

_results = {"passed": 0, "failed": 0}


def check(condition, what):
    """Records one check; prints failures with what was expected."""
    if condition:
        _results["passed"] += 1
    else:
        _results["failed"] += 1
        print("FAILED: " + what, flush=True)


def run(args, ranks=1, cwd=None):
    """Runs chiptherm with args; returns (exit code, stdout, stderr)."""
    command = [CHIPTHERM] + args
    if ranks > 1:
        command = ["mpirun", "-np", str(ranks)] + command
    p = subprocess.run(command, capture_output=True, text=True, env=MPI_ENV, cwd=cwd)
    return p.returncode, p.stdout, p.stderr


def scratch():
    """A fresh temporary folder, removed at exit."""
    d = tempfile.TemporaryDirectory(prefix="chiptherm-test-")
    _keep.append(d)
    return d.name


_keep = []


def read_blocks_csv(out):
    with open(os.path.join(out, "blocks.csv")) as f:
        return {(r["die"], r["block"]): r for r in csv.DictReader(f)}


def read_report(out):
    with open(os.path.join(out, "report.json")) as f:
        return json.load(f)


def finish():
    print("%d passed, %d failed" % (_results["passed"], _results["failed"]))
    sys.exit(1 if _results["failed"] else 0)
