#!/usr/bin/env python3
"""Golden outputs in the manner of SimGrid's tesh: a .tesh file lists shell commands and the exact output each
must print. Lines:

    # a comment (kept)
    $ cyberex run scenarios/tutorial/tutorial.json --quiet     (a command; `cyberex` is the binary under test,
                                                               ${TMPDIR} a fresh directory for this file)
    > an expected line of its standard output
    ! expect return 2                                           (the exit status, 0 when absent)

Check:  tesh.py --cyberex BIN FILE.tesh        (exit 1 and a unified diff per command that differs)
Regen:  tesh.py --cyberex BIN --regen FILE.tesh (rewrite the expected lines; review with git diff)
"""
import argparse
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile


def parse(path):
    """[(comments_and_directives, command, expected_lines, expected_status)], trailing comments."""
    blocks, pending = [], []
    cur = None
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if line.startswith("$ "):
                cur = {"pre": pending, "cmd": line[2:], "out": [], "status": 0, "line": n}
                blocks.append(cur)
                pending = []
            elif line.startswith("> ") or line == ">":
                if cur is None:
                    sys.exit(f"{path}:{n}: an output line before any command")
                cur["out"].append(line[2:])
            elif line.startswith("! expect return "):
                if cur is None:
                    sys.exit(f"{path}:{n}: '! expect return' before any command")
                cur["status"] = int(line.split()[-1])
            elif line.startswith("#") or line.strip() == "":
                pending.append(line)
                cur = None if line.strip() == "" else cur
            else:
                sys.exit(f"{path}:{n}: expected '$ command', '> output', '! expect return N' or '# comment', "
                         f"got {line[:40]!r}")
    return blocks, pending


def run(block, binary, tmp, cwd):
    cmd = block["cmd"].replace("${TMPDIR}", tmp)
    cmd = re.sub(r"(^|[|;&]\s*)cyberex\b", lambda m: m.group(1) + binary, cmd)
    p = subprocess.run(["bash", "-o", "pipefail", "-c", cmd], cwd=cwd, capture_output=True, text=True,
                       timeout=900)
    out = [l.rstrip() for l in p.stdout.replace(tmp, "${TMPDIR}").split("\n")]
    if out and out[-1] == "":
        out.pop()
    return out, p.returncode, p.stderr


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cyberex", required=True, help="the cyberex binary")
    ap.add_argument("--regen", action="store_true", help="rewrite the expected outputs")
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()
    binary = os.path.abspath(a.cyberex)
    failed = 0
    for path in a.files:
        blocks, trailing = parse(path)
        tmp = tempfile.mkdtemp(prefix="cyberex-tesh-")
        try:
            for b in blocks:
                out, status, err = run(b, binary, tmp, os.getcwd())
                if a.regen:
                    b["out"], b["status"] = out, status
                    continue
                if status != b["status"]:
                    failed += 1
                    print(f"{path}:{b['line']}: `{b['cmd']}` exited {status}, expected {b['status']}\n{err}")
                if out != b["out"]:
                    failed += 1
                    print(f"{path}:{b['line']}: `{b['cmd']}` printed something else:")
                    sys.stdout.writelines(l + "\n" for l in difflib.unified_diff(
                        b["out"], out, "expected", "got", lineterm="", n=2))
                else:
                    print(f"{path}:{b['line']}: ok ({len(out)} lines)")
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        if a.regen:
            with open(path, "w", encoding="utf-8") as f:
                for b in blocks:
                    for line in b["pre"]:
                        f.write(line + "\n")
                    f.write("$ " + b["cmd"] + "\n")
                    if b["status"]:
                        f.write(f"! expect return {b['status']}\n")
                    for line in b["out"]:
                        f.write(("> " + line).rstrip() + "\n" if line else ">\n")
                for line in trailing:
                    f.write(line + "\n")
            print(f"{path}: rewritten ({len(blocks)} commands)")
    if failed:
        print(f"{failed} difference(s). If the change is intended, regenerate with scripts/golden.sh and review "
              "the diff before committing.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
