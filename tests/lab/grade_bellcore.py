#!/usr/bin/python3
"""grade_bellcore.py: the autograder of docs/labs/02-bellcore.md, "Why the
private operation checks its own result".

    grade_bellcore.py --seed SEED [--bits BITS] [--kexlab PATH] ANSWER

ANSWER holds (grade_rsa_common.py has the format):
    p = ...                   the factor the faulty signature gave
    q = ...                   n / p
    released = yes|no         did kexlab's own private operation release
                              the faulty signature?
    blinding_stops_it = yes|no  does blinding alone stop the attack?
The grader reruns `kexlab demo attack bellcore --json --seed SEED --bits
BITS` and checks each answer against that run: p*q = n for the run's n and
{p, q} its factors; released and blinding_stops_it against the run's
"released" and "blinding_alone_leaks". Exit 0 right, 1 wrong, 2 the grader
could not run."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import grade_rsa_common as g  # noqa: E402


def grade(args, ans):
    run = g.kexlab_run(args.kexlab, "bellcore", args.seed, args.bits)
    weak, normal = run["weak"], run["normal"]
    n = int(weak["n"])
    p, q = g.integer(ans, "p"), g.integer(ans, "q")
    passed = []
    if not 1 < p < n or n % p != 0:
        raise g.Wrong("p is not a proper factor of n (gcd(s^e - m mod n, n) is)")
    if p * q != n:
        raise g.Wrong("p*q != n")
    if {p, q} != {int(weak["recovered_p"]), int(weak["recovered_q"])}:
        raise g.Wrong("p and q are not the run's factors")
    passed.append("p and q factor this run's n")
    if g.yes_no(ans, "released") != normal["released"]:
        raise g.Wrong("released: look again at what kl_rsa_private did with the fault")
    passed.append("released")
    if g.yes_no(ans, "blinding_stops_it") != (not normal["blinding_alone_leaks"]):
        raise g.Wrong("blinding_stops_it: look at the run with KL_RSA_NO_VERIFY")
    passed.append("blinding_stops_it")
    return passed


if __name__ == "__main__":
    g.main("Grade an answer to docs/labs/02-bellcore.md.", grade)
