#!/usr/bin/env python3
"""Holds the figure pages to their word (issue 22): every section of docs/benchmarks.md,
docs/validation.md and docs/reliability.md that has a table of figures names the command
that produced them (a bench/ or tests/ script, a chiptherm command line, ctest, hyperfine,
/usr/bin/time or a scripts/ or fuzz/ script). On docs/benchmarks.md every second-level
section with a table also says which of its figures tests assert: a line starting with
"**Asserted**" (naming the tests) or "**Not asserted**" (saying why: history, timings
only, another tool's figures). Exits 1 naming the sections that do not.

    python3 scripts/docs_commands.py [SOURCE_DIR]
"""
import os
import re
import sys

PAGES = ["docs/benchmarks.md", "docs/validation.md", "docs/reliability.md"]
ASSERTED_PAGES = ["docs/benchmarks.md"]
ASSERTED = re.compile(r"^\*\*(Asserted|Not asserted)\b", re.M)
COMMAND = re.compile(r"(python3 (bench|tests|scripts|fuzz)/|bench/\w+\.py|chiptherm (solve|signoff|transient|mesh|import|"
                     r"predict|train|sweep)|build/bench/\w+|ctest |hyperfine|/usr/bin/time|bash (scripts|fuzz)/|tests/\w+/\w+\.py)")


def sections(text, prefix="#"):
    """(heading, body) per heading starting with prefix ("#": any level, "## ": second-level,
    subsections included); a section's body stops at the next such heading."""
    heading, body = "(top)", []
    for line in text.split("\n"):
        if line.startswith(prefix):
            yield heading, "\n".join(body)
            heading, body = line.strip(), []
        else:
            body.append(line)
    yield heading, "\n".join(body)


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    missing = []
    for page in PAGES:
        path = os.path.join(root, page)
        if not os.path.exists(path):
            missing.append("%s: the page is missing" % page)
            continue
        for heading, body in sections(open(path).read()):
            if "|---" in body and not COMMAND.search(body):
                missing.append("%s: '%s' has a table but names no command" % (page, heading))
        if page in ASSERTED_PAGES:
            for heading, body in sections(open(path).read(), "## "):
                if "|---" in body and not ASSERTED.search(body):
                    missing.append("%s: '%s' has figures but does not say which tests assert them "
                                   "(a line starting **Asserted** or **Not asserted**)" % (page, heading))
    for m in missing:
        print("FAILED: " + m)
    print("%d page(s) checked, %d section(s) without a command or an assertion note" % (len(PAGES), len(missing)))
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
