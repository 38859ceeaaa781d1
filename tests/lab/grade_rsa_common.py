"""grade_rsa_common.py: what the RSA worksheets' autograders share
(grade_bellcore.py for docs/labs/02-bellcore.md, grade_wiener.py for
docs/labs/03-wiener.md).

A grader runs `kexlab demo attack NAME --json --seed SEED --bits BITS`, the
same seeded run the student worked from, and holds the student's answer
file against it. An answer file is plain text, one `name = value` per line;
blank lines and lines starting with '#' are ignored. Integers are decimal or
0x-hexadecimal; yes/no answers are `yes` or `no`.

Exit status of a grader: 0 the answer is right, 1 it is wrong (or the file
cannot be read as an answer), 2 the grader itself could not run (bad
command line, kexlab missing or failing)."""

import argparse
import json
import os
import subprocess
import sys


class Wrong(Exception):
    """The student's answer is wrong; the message says what, never the answer."""


class Broken(Exception):
    """The grader cannot grade (no kexlab, a bad seed, ...)."""


def arguments(description):
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--kexlab", default=os.environ.get("KEXLAB", "kexlab"),
                    help="the kexlab program (default: $KEXLAB, else kexlab on PATH)")
    ap.add_argument("--seed", required=True, help="the seed of the student's run (hex)")
    ap.add_argument("--bits", type=int, default=1024, help="the key size of the run (default 1024)")
    ap.add_argument("answer", help="the student's answer file")
    return ap


def kexlab_run(kexlab, attack, seed, bits):
    """The seeded run's JSON object (docs/schema/demo-attack-ATTACK.schema.json)."""
    cmd = [kexlab, "demo", "attack", attack, "--json", "--seed", seed, "--bits", str(bits)]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise Broken("cannot run %s: %s" % (" ".join(cmd), e))
    if out.returncode != 0:
        raise Broken("%s exited %d: %s" % (" ".join(cmd), out.returncode, out.stderr.strip()))
    d = json.loads(out.stdout)
    if not d.get("as_expected"):
        raise Broken("the demo's outcomes were not the expected ones")
    return d


def read_answer(path):
    """The answer file as a dict name -> text value."""
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise Wrong("cannot read the answer file: %s" % e)
    ans = {}
    for no, line in enumerate(lines, 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, eq, value = line.partition("=")
        name, value = name.strip().lower(), value.strip()
        if not eq or not name or not value:
            raise Wrong("line %d: expected 'name = value'" % no)
        if name in ans:
            raise Wrong("line %d: %s given twice" % (no, name))
        ans[name] = value
    return ans


def integer(ans, name, required=True):
    """ans[name] as a non-negative integer (decimal or 0x-hex), or None."""
    if name not in ans:
        if required:
            raise Wrong("no '%s = ...' line" % name)
        return None
    text = ans[name].replace("_", "")
    try:
        v = int(text[2:], 16) if text.lower().startswith("0x") else int(text, 10)
    except ValueError:
        raise Wrong("%s: not an integer: %.40s" % (name, ans[name]))
    if v < 0:
        raise Wrong("%s: negative" % name)
    return v


def yes_no(ans, name):
    if name not in ans:
        raise Wrong("no '%s = yes|no' line" % name)
    v = ans[name].lower()
    if v not in ("yes", "no"):
        raise Wrong("%s: answer yes or no" % name)
    return v == "yes"


def main(description, grade):
    """Parse the command line, run grade(args, answer) -> list of passed
    checks, print the verdict and exit with the status of the docstring."""
    args = arguments(description).parse_args()
    try:
        passed = grade(args, read_answer(args.answer))
    except Wrong as e:
        print("FAIL: %s" % e)
        sys.exit(1)
    except Broken as e:
        print("grader error: %s" % e, file=sys.stderr)
        sys.exit(2)
    for p in passed:
        print("ok: %s" % p)
    print("PASS")
    sys.exit(0)
