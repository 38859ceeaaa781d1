#!/usr/bin/python3
"""grade_padding_oracle.py: the autograder of docs/labs/01-padding-oracle.md,
"Decrypt a seed-profile message with a padding oracle".

    grade_padding_oracle.py --seed SEED [--kexlab PATH] ANSWER

ANSWER is plain text, one `name = value` per line (blank lines and lines
starting with '#' are ignored):
    message = ...       the plaintext the student recovered, as text
    message_hex = ...   or the same as hex (either one)
    queries = N         how many frames the student's program sent to
                        `--oracle` (a decimal integer)
The grader reruns `kexlab demo attack padding-oracle --json --seed SEED`, the
seeded run the student's challenge came from, and checks the message against
its "secret", and the query count against what an oracle attack can take:
at least one query per octet of the frame's ciphertext, at most 256 per
octet plus one check per block. Exit 0 right, 1 wrong (the message says
what, never the answer), 2 the grader itself could not run."""
import argparse
import json
import os
import subprocess
import sys


class Wrong(Exception):
    pass


class Broken(Exception):
    pass


def kexlab(prog, *args):
    try:
        out = subprocess.run([prog, "demo", "attack", "padding-oracle", *args],
                             capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise Broken("cannot run %s: %s" % (prog, e))
    if out.returncode != 0:
        raise Broken("kexlab %s exited %d: %s" % (" ".join(args), out.returncode,
                                                 out.stderr.strip()))
    return out.stdout


def read_answer(path):
    ans = {}
    try:
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f.read().splitlines(), 1):
                if not line.strip() or line.lstrip().startswith("#"):
                    continue
                if "=" not in line:
                    raise Wrong("line %d is not 'name = value'" % n)
                name, value = line.split("=", 1)
                ans[name.strip()] = value.strip()
    except (OSError, UnicodeDecodeError) as e:
        raise Wrong("cannot read the answer file: %s" % e)
    return ans


def grade(args, ans):
    run = json.loads(kexlab(args.kexlab, "--json", "--seed", args.seed))
    if not run.get("as_expected"):
        raise Broken("the demo's outcomes were not the expected ones")
    secret = bytes.fromhex(run["secret"])
    frame = bytes.fromhex(kexlab(args.kexlab, "--seed", args.seed, "--challenge").strip())
    if "message_hex" in ans:
        try:
            message = bytes.fromhex(ans["message_hex"])
        except ValueError:
            raise Wrong("message_hex is not hex")
    elif "message" in ans:
        message = ans["message"].encode("utf-8")
    else:
        raise Wrong("no 'message =' (or 'message_hex =') line")
    if message != secret:
        if len(message) == len(frame) - 16:
            raise Wrong("the message still carries its PKCS#7 padding: remove it")
        if len(message) != len(secret):
            raise Wrong("the message has %d octets; the one of seed %s has another length"
                        % (len(message), args.seed))
        wrong = sum(a != b for a, b in zip(message, secret))
        raise Wrong("%d octet(s) of the message are wrong (is the seed %s?)" % (wrong, args.seed))
    try:
        queries = int(ans.get("queries", ""))
    except ValueError:
        raise Wrong("'queries =' must be a decimal integer")
    ct_len = len(frame) - 16
    low, high = ct_len, 256 * ct_len + ct_len // 16
    if not low <= queries <= high:
        raise Wrong("%d queries cannot decrypt %d ciphertext octets one by one "
                    "(between %d and %d)" % (queries, ct_len, low, high))
    return "message right; %d queries for %d octets" % (queries, ct_len)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kexlab", default=os.environ.get("KEXLAB", "kexlab"))
    ap.add_argument("--seed", required=True)
    ap.add_argument("answer")
    args = ap.parse_args()
    try:
        print("PASS: " + grade(args, read_answer(args.answer)))
        return 0
    except Wrong as e:
        print("FAIL: %s" % e)
        return 1
    except Broken as e:
        print("cannot grade: %s" % e, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
