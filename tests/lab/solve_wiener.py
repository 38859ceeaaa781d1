#!/usr/bin/python3
"""solve_wiener.py: a model answer to docs/labs/03-wiener.md, written apart
from kexlab (Python integers only), so that the tests of the autograder
have a right answer that kexlab did not compute.

    kexlab rsa show --json careless.pub | solve_wiener.py > answer.txt

Reads n and e from `kexlab rsa show --json` on standard input, prints the
answer file (d, p, q). Exit 1 when no convergent of e/n works."""
import json
import math
import sys


def convergents(num, den):
    """The convergents h/k of the continued fraction of num/den."""
    h1, h2, k1, k2 = 1, 0, 0, 1
    while den:
        a, r = divmod(num, den)
        num, den = den, r
        h1, h2 = a * h1 + h2, h1
        k1, k2 = a * k1 + k2, k1
        yield h1, k1


def wiener(n, e):
    for k, d in convergents(e, n):
        if k == 0 or (e * d - 1) % k:
            continue
        phi = (e * d - 1) // k
        s = n - phi + 1  # p + q
        disc = s * s - 4 * n
        if disc < 0:
            continue
        r = math.isqrt(disc)
        if r * r == disc and ((s + r) // 2) * ((s - r) // 2) == n:
            return d, (s + r) // 2, (s - r) // 2
    return None


key = json.load(sys.stdin)
found = wiener(int(key["n"]), int(key["e"]))
if found is None:
    sys.exit("no convergent of e/n gives phi(n)")
print("d = %d\np = %d\nq = %d" % found)
