"""The `chiptherm` launcher (app/launcher.cc): it asks glibc for huge pages on
the heap (GLIBC_TUNABLES, read only at process start) and execs
chiptherm-engine from its own folder with the same arguments. Checked with a
stand-in engine that prints its arguments and environment, and with the real
one (--version); a missing engine is a clear message and exit 127."""
import os
import shutil
import subprocess

from cli import CHIPTHERM, check, finish, scratch


def launch(folder, args, **env_changes):
    env = dict(os.environ)
    for key in ("GLIBC_TUNABLES", "CHIPTHERM_HUGE_PAGES"):
        env.pop(key, None)
    env.update(env_changes)
    p = subprocess.run([os.path.join(folder, "chiptherm")] + args, capture_output=True, text=True, env=env)
    return p.returncode, p.stdout, p.stderr


def tunables(stdout):
    for line in stdout.splitlines():
        if line.startswith("GLIBC_TUNABLES="):
            return line[len("GLIBC_TUNABLES="):]
    return None


folder = scratch()
shutil.copy(CHIPTHERM, os.path.join(folder, "chiptherm"))
with open(os.path.join(folder, "chiptherm-engine"), "w") as f:
    f.write('#!/bin/sh\nfor a in "$@"; do echo "arg=$a"; done\nenv\nexit 7\n')
os.chmod(os.path.join(folder, "chiptherm-engine"), 0o755)

code, out, err = launch(folder, ["signoff", "a case.yaml", "--set", "x=1"])
check(code == 7, "the engine's exit code comes back unchanged: %d %s" % (code, err))
check([l for l in out.splitlines() if l.startswith("arg=")] == ["arg=signoff", "arg=a case.yaml", "arg=--set", "arg=x=1"],
      "the arguments reach the engine as given: %s" % out[:300])
check(tunables(out) == "glibc.malloc.hugetlb=1", "huge pages asked for by default: %r" % tunables(out))

code, out, _ = launch(folder, [], GLIBC_TUNABLES="glibc.malloc.arena_max=2")
check(tunables(out) == "glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1",
      "the user's other tunables are kept and huge pages appended: %r" % tunables(out))
code, out, _ = launch(folder, [], GLIBC_TUNABLES="glibc.malloc.hugetlb=0")
check(tunables(out) == "glibc.malloc.hugetlb=0", "the user's own hugetlb setting wins: %r" % tunables(out))
code, out, _ = launch(folder, [], CHIPTHERM_HUGE_PAGES="0")
check(tunables(out) is None, "CHIPTHERM_HUGE_PAGES=0 leaves GLIBC_TUNABLES unset: %r" % tunables(out))

os.remove(os.path.join(folder, "chiptherm-engine"))
code, out, err = launch(folder, ["--version"])
check(code == 127 and "chiptherm-engine" in err and "cannot start" in err,
      "a missing engine: exit 127 and a message naming it: %d %r" % (code, err))

code, out, err = launch(os.path.dirname(CHIPTHERM), ["--version"])
check(code == 0 and out.startswith("chiptherm "), "the real engine answers --version: %d %r %r" % (code, out, err))
finish()
