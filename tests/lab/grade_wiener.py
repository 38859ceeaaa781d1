#!/usr/bin/python3
"""grade_wiener.py: the autograder of docs/labs/03-wiener.md, "Recover d
from a careless key".

    grade_wiener.py --seed SEED [--bits BITS] [--kexlab PATH] ANSWER

ANSWER holds (grade_rsa_common.py has the format):
    d = ...     the private exponent recovered from (n, e) alone
    p = ...     optional: the prime factors found with it
    q = ...
The grader reruns `kexlab demo attack wiener --json --seed SEED --bits BITS`
and checks d against the key's d in that run ("weak"."d"), and p, q, when
given, against its n. Exit 0 right, 1 wrong, 2 the grader could not run."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import grade_rsa_common as g  # noqa: E402


def grade(args, ans):
    run = g.kexlab_run(args.kexlab, "wiener", args.seed, args.bits)
    weak = run["weak"]
    n, e, d_key = int(weak["n"]), int(weak["e"]), int(weak["d"])
    d = g.integer(ans, "d")
    passed = []
    if d != d_key:
        m = 2
        if 0 < d < n and pow(pow(m, e, n), d, n) == m:
            raise g.Wrong("d undoes e for m = 2 but is not the key's d: reduce it")
        raise g.Wrong("d is not this key's private exponent (is the seed %s, --bits %d?)"
                      % (args.seed, args.bits))
    passed.append("d is the key's private exponent")
    p, q = g.integer(ans, "p", required=False), g.integer(ans, "q", required=False)
    if (p is None) != (q is None):
        raise g.Wrong("give both p and q, or neither")
    if p is not None:
        if p * q != n or p < 2 or q < 2:
            raise g.Wrong("p*q != n")
        passed.append("p and q factor n")
    return passed


if __name__ == "__main__":
    g.main("Grade an answer to docs/labs/03-wiener.md.", grade)
