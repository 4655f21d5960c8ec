#!/usr/bin/env python3
"""Checks the shape limits docs/design.md sets for chiptherm's own C++ sources:
no file over MAX_FILE lines, no function body over MAX_FUNCTION lines, main()
under MAX_MAIN. Prints every offender; exit 1 when there is one.

Function bodies are found by brace matching on the project's clang-format
layout (an opening brace on its own line, or at the end of a signature): a
brace opened at namespace level (or class level) that is not a namespace,
class, struct, enum or initialiser list starts a function body.
Usage: code_shape.py [ROOT]   (default: the repository holding this script)
"""
import os
import re
import sys

MAX_FILE, MAX_FUNCTION, MAX_MAIN = 500, 120, 80
SOURCE_DIRS = ["app", "common", "commands", "floorplans", "foreign", "materials", "mesh", "solver",
               "sweeps", "ai_predictor", "bench", "tests"]
SCOPE_OPENERS = re.compile(r"^\s*(template\s*<.*>\s*)?(namespace|class|struct|enum|union|extern\s+\"C\")\b")


def strip(line, in_block_comment):
    """The line without comments and string/char literals; and whether a /* */ stays open."""
    out, i = [], 0
    while i < len(line):
        if in_block_comment:
            end = line.find("*/", i)
            if end < 0:
                return "".join(out), True
            i, in_block_comment = end + 2, False
            continue
        c = line[i]
        if line.startswith("//", i):
            break
        if line.startswith("/*", i):
            in_block_comment, i = True, i + 2
            continue
        if c in "\"'":
            j = i + 1
            while j < len(line) and line[j] != c:
                j += 2 if line[j] == "\\" else 1
            i = j + 1
            out.append(c + c)
            continue
        out.append(c)
        i += 1
    return "".join(out), in_block_comment


def functions(path):
    """(name, first line, body lines) of every function body in path."""
    lines = open(path, encoding="utf-8", errors="replace").read().split("\n")
    stack = []  # entries: ("scope"|"function"|"other", start line, name)
    result, in_comment, header = [], False, ""
    for number, raw in enumerate(lines, 1):
        code, in_comment = strip(raw, in_comment)
        for pos, c in enumerate(code):
            if c == "{":
                inside_function = any(kind == "function" for kind, _, _ in stack)
                context = (header + " " + code[:pos]).strip()
                if inside_function:
                    stack.append(("other", number, ""))
                elif SCOPE_OPENERS.search(context.split(";")[-1]) or context.endswith("=") or context.endswith(","):
                    stack.append(("scope", number, ""))
                elif re.search(r"\)\s*(const|noexcept|override|final|->\s*[\w:<>]+|\s)*$", context) or \
                        re.search(r"\)\s*:\s*.*$", context) or context.endswith(")"):
                    name = re.findall(r"([~\w:]+)\s*\(", context)
                    stack.append(("function", number, name[0] if name else "?"))
                else:
                    stack.append(("scope" if not inside_function else "other", number, ""))
                header = ""
            elif c == "}":
                if stack:
                    kind, start, name = stack.pop()
                    if kind == "function":
                        result.append((name, start, number - start - 1))
                header = ""
            elif c == ";":
                header = ""
        tail = code.split("}")[-1].split(";")[-1].split("{")[-1]
        header = (header + " " + tail).strip()[-400:]
    return result, len(lines)


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    problems = []
    for folder in SOURCE_DIRS:
        for dirpath, _, files in os.walk(os.path.join(root, folder)):
            for f in sorted(files):
                if not f.endswith((".cc", ".h")):
                    continue
                path = os.path.join(dirpath, f)
                rel = os.path.relpath(path, root)
                found, n_lines = functions(path)
                if n_lines > MAX_FILE:
                    problems.append(f"{rel}: {n_lines} lines (at most {MAX_FILE})")
                for name, start, length in found:
                    limit = MAX_MAIN if name == "main" else MAX_FUNCTION
                    if length > limit:
                        problems.append(f"{rel}:{start}: {name}() has {length} lines (at most {limit})")
    for p in problems:
        print(p)
    print(f"code_shape: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
