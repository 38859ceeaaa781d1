#!/usr/bin/python3
"""solve_bellcore.py: a model answer to docs/labs/02-bellcore.md, written
apart from kexlab (Python integers only), so that the tests of the
autograder have a right answer that kexlab did not compute.

    kexlab demo attack bellcore --json --seed S --bits B | solve_bellcore.py

Reads n, e, m and the faulty signature of the weak run from standard input
and prints the answer file. The two yes/no answers are the worksheet's
conclusions, not read from the run."""
import json
import math
import sys

weak = json.load(sys.stdin)["weak"]
n, e, m, s = (int(weak[k]) for k in ("n", "e", "m", "faulty_s"))
p = math.gcd((pow(s, e, n) - m) % n, n)
if not 1 < p < n:
    sys.exit("gcd(s^e - m, n) is trivial: no fault in one half")
print("p = %d\nq = %d\nreleased = no\nblinding_stops_it = no" % (p, n // p))
