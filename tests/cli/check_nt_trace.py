#!/usr/bin/python3
# check_nt_trace.py: hold the text traces of `kexlab prime test|gen --trace`
# and `kexlab rsa keygen --trace` against an independent computation written
# here from the standards, with nothing but Python's integers:
#   - Miller-Rabin, FIPS 186-5 B.3.1 steps 1-5: from w and each printed base b
#     the test recomputes a, m, wlen, z = b^m mod w, every squaring and the
#     branch of each round (4.4, 4.5.2, 4.5.3, 4.6) and the verdict;
#   - trial division: the smallest prime factor, or the bound that proves w prime;
#   - the prime search (A.1.3 steps 4.2-4.5): each candidate is p0 + 2k, the
#     odd numbers skipped before it all have a prime factor below 2^16 (or
#     share a factor with e), "sieved" counts them, and the totals add up;
#   - key generation: the checks of steps 4.4/5.5, 4.5/5.6, 5.4 and A.1.1,
#     thresholds and verdicts, and d = e^-1 mod lcm(p-1, q-1).
# Usage: check_nt_trace.py test --w W | gen --bits N | keygen [--phi]  < trace
# Prints "ok", or "bad: <the first line that disagrees>".
import math
import re
import sys

LIMIT = 1 << 16
SMALL = [k for k in range(3, LIMIT, 2) if all(k % d for d in range(3, math.isqrt(k) + 1, 2))]


class Bad(Exception):
    pass


def parse(lines):
    """Lines '  label[i] = value' / '  label = value' -> (label, index, value)."""
    recs = []
    for line in lines:
        m = re.match(r"^  ([^\[ ]+)(?:\[(\d+)\])? = (.*)$", line)
        if m is None:
            recs.append((None, None, line))
        else:
            recs.append((m.group(1), None if m.group(2) is None else int(m.group(2)), m.group(3)))
    return recs


class Reader:
    def __init__(self, recs):
        self.recs, self.pos = recs, 0

    def peek(self):
        return self.recs[self.pos] if self.pos < len(self.recs) else (None, None, None)

    def take(self, label, index=None, value=None):
        rec = self.peek()
        if rec[0] != label or rec[1] != index or (value is not None and rec[2] != str(value)):
            raise Bad("line %d: want %s[%s] = %s, got %r" % (self.pos + 1, label, index, value, rec))
        self.pos += 1
        return rec[2]


def miller_rabin(rd, w, rounds=None):
    """B.3.1 on w, reading each base b from the trace; returns True (probably prime)."""
    # Steps 1-3.
    a = ((w - 1) & -(w - 1)).bit_length() - 1
    m = (w - 1) >> a
    rd.take("w", None, w)
    rd.take("a", None, a)
    rd.take("m", None, m)
    rd.take("wlen", None, w.bit_length())
    i = 0
    while True:
        i += 1
        b = int(rd.take("b", i))
        if not 1 < b < w - 1:
            raise Bad("round %d: base %d out of range" % (i, b))
        z = pow(b, m, w)  # step 4.3
        rd.take("z", i, z)
        if z == 1 or z == w - 1:  # step 4.4
            rd.take("step", i, "4.4: z = %s, go to 4.7" % ("1" if z == 1 else "w-1"))
        else:
            verdict = None
            for j in range(1, a):  # step 4.5
                z = z * z % w  # 4.5.1
                rd.take("j", i, j)
                rd.take("z", i, z)
                if z == w - 1:  # 4.5.2
                    rd.take("step", i, "4.5.2: z = w-1, go to 4.7")
                    verdict = "next"
                    break
                if z == 1:  # 4.5.3
                    rd.take("step", i, "4.5.3: z = 1, go to 4.6")
                    break
            if verdict is None:
                rd.take("step", i, "4.6: return COMPOSITE")  # step 4.6
                return False, i
        if rounds is not None and i == rounds:
            break
        if rounds is None and rd.peek()[0] != "b":
            break
    rd.take("step", None, "5: return PROBABLY PRIME")
    return True, i


def trial_division(rd, w):
    """kl_trial_division's outcome; returns True/False when it decided, None if not."""
    if w < 2:
        rd.take("trial_division", None, "w < 2: not prime")
        return False
    if w == 2:
        rd.take("trial_division", None, "w = 2: prime")
        return True
    for p in [2] + SMALL:
        if w == p:
            rd.take("trial_division", None, "w is in the small-prime table: prime")
            return True
        if w % p == 0:
            rd.take("divisor", None, p)
            rd.take("trial_division", None, "divisor | w: composite")
            return False
        if p > 2 and p * p > w:
            rd.take("divisor_limit", None, p)
            rd.take("trial_division", None,
                    "no prime below divisor_limit divides w, divisor_limit^2 > w: prime")
            return True
    rd.take("divisor_limit", None, LIMIT)
    rd.take("trial_division", None, "no prime below divisor_limit divides w: on to Miller-Rabin")
    return None


def rounds_for(bits):
    """FIPS 186-5 Table B.1 (2^-112 column) and the 4^-t bound below it."""
    return 4 if bits >= 1536 else 5 if bits >= 1024 else 56


def prime_search(rd, bits, e=None):
    """The trace of kl_prime_random_traced; returns p."""
    cand_total = sieved_total = tests = rounds_total = 0
    rounds = rounds_for(bits)
    while True:
        p0 = int(rd.take("p0"))
        if p0.bit_length() != bits or p0 >> (bits - 2) != 3 or p0 % 2 == 0:
            raise Bad("p0 = %d: not odd with the top two of %d bits set" % (p0, bits))
        prev = p0 - 2  # the odd number before the first one looked at
        while rd.peek()[0] == "sieved":
            sieved = int(rd.take("sieved"))
            c = int(rd.take("candidate"))
            skipped = range(prev + 2, c, 2)
            if (c - p0) % 2 or len(skipped) != sieved:
                raise Bad("candidate %d: %d skipped, trace says %d" % (c, len(skipped), sieved))
            for x in skipped:
                if all(x % s for s in SMALL if s < x) and not (e and (x - 1) % e == 0):
                    raise Bad("%d was skipped, yet has no small factor" % x)
            if any(c % s == 0 for s in SMALL if s < c):
                raise Bad("candidate %d has a small factor" % c)
            cand_total += sieved + 1
            sieved_total += sieved
            prev = c
            if e is not None and math.gcd(c - 1, e) != 1:
                rd.take("gcd", None, "gcd(candidate - 1, e) != 1: rejected")
                sieved_total += 1
                continue
            tests += 1
            prime, n = miller_rabin(rd, c, rounds)
            rounds_total += n
            if prime:
                rd.take("candidates", None, cand_total)
                rd.take("sieved_out", None, sieved_total)
                rd.take("mr_tests", None, tests)
                rd.take("mr_rounds", None, rounds_total)
                return c
        # the window ran past 2^bits (or out): the odd numbers up to its end count too
        if rd.peek()[0] != "p0":
            raise Bad("after candidate %d: want p0, got %r" % (prev, rd.peek()))
        raise Bad("a second window: not expected at these sizes")


def check(mode, lines, bits):
    recs = parse(lines)
    rd = Reader(recs)
    if mode == "test":
        # optional trial division, then optional Miller-Rabin, then the verdict
        w = None
        if rd.peek()[0] in ("divisor", "divisor_limit", "trial_division"):
            w = int(sys.argv[sys.argv.index("--w") + 1])
            decided = trial_division(rd, w)
            if decided is not None:
                rd.take(None, None, "prime" if decided else "composite")
                return
        w = int(rd.peek()[2])
        prime, _ = miller_rabin(rd, w)
        rd.take(None, None, "prime" if prime else "composite")
    elif mode == "gen":
        p = prime_search(rd, bits)
        rd.take(None, None, p)
    else:
        nlen = int(rd.take("nlen"))
        e = int(rd.take("e"))
        half = nlen // 2

        def yes(ok):
            return "yes" if ok else "no"
        rd.take("step", None, "4: generate p")
        p = prime_search(rd, half, e)
        rd.take("p", None, p)
        rd.take("check", None, "4.4: p >= sqrt(2)*2^(nlen/2-1): %s" % yes(p * p >= 2 ** (nlen - 1)))
        rd.take("check", None, "4.5: gcd(p-1, e) = 1: %s" % yes(math.gcd(p - 1, e) == 1))
        while True:
            rd.take("step", None, "5: generate q")
            q = prime_search(rd, half, e)
            rd.take("q", None, q)
            rd.take("check", None,
                    "5.5: q >= sqrt(2)*2^(nlen/2-1): %s" % yes(q * q >= 2 ** (nlen - 1)))
            rd.take("check", None, "5.6: gcd(q-1, e) = 1: %s" % yes(math.gcd(q - 1, e) == 1))
            rd.take("|p-q|", None, abs(p - q))
            rd.take("2^(nlen/2-100)", None, 2 ** (half - 100))
            if abs(p - q) > 2 ** (half - 100):
                rd.take("check", None, "5.4: |p-q| > 2^(nlen/2-100): yes")
                break
            rd.take("check", None, "5.4: |p-q| > 2^(nlen/2-100): no, generate q again")
        lam = (p - 1) * (q - 1) // math.gcd(p - 1, q - 1)
        if "--phi" in sys.argv:
            lam = (p - 1) * (q - 1)
        d = pow(e, -1, lam)
        rd.take("d", None, d)
        rd.take("2^(nlen/2)", None, 2 ** half)
        if d <= 2 ** half:
            raise Bad("d <= 2^(nlen/2): a new p is expected (not handled here)")
        rd.take("check", None, "A.1.1: d > 2^(nlen/2): yes")
    if rd.pos != len(recs):
        raise Bad("line %d: unexpected %r" % (rd.pos + 1, rd.peek()))


def main():
    mode = sys.argv[1]
    bits = int(sys.argv[sys.argv.index("--bits") + 1]) if "--bits" in sys.argv else 0
    lines = sys.stdin.read().splitlines()
    if mode == "keygen":
        # the trace, then the key text (openssl layout): stop at the first non-trace line
        lines = [l for l in lines if l.startswith("  ") and " = " in l]
    try:
        check(mode, lines, bits)
        print("ok")
    except Bad as err:
        print("bad: %s" % err)


main()
