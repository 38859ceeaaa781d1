#!/usr/bin/python3
"""solve_padding_oracle.py: the teacher's solution of
docs/labs/01-padding-oracle.md: Vaudenay's attack against
`kexlab demo attack padding-oracle --seed SEED --oracle -`, talking to one
kexlab process through a pipe. Writes an answer file for the autograder.

    solve_padding_oracle.py --seed SEED [--kexlab PATH] ANSWER"""
import argparse
import os
import subprocess


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kexlab", default=os.environ.get("KEXLAB", "kexlab"))
    ap.add_argument("--seed", required=True)
    ap.add_argument("answer")
    a = ap.parse_args()
    base = [a.kexlab, "demo", "attack", "padding-oracle", "--seed", a.seed]
    frame = bytes.fromhex(subprocess.run(base + ["--challenge"], capture_output=True,
                                         text=True, check=True).stdout.strip())
    oracle = subprocess.Popen(base + ["--oracle", "-"], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    queries = 0

    def valid(x, c):
        nonlocal queries
        queries += 1
        oracle.stdin.write((x + c).hex() + "\n")
        oracle.stdin.flush()
        return oracle.stdout.readline().strip() == "padding ok"

    blocks = [frame[i:i + 16] for i in range(0, len(frame), 16)]
    plain = b""
    for prev, c in zip(blocks, blocks[1:]):
        inter = bytearray(16)
        for pos in range(15, -1, -1):
            pad = 16 - pos
            x = bytearray(16)
            for k in range(pos + 1, 16):
                x[k] = inter[k] ^ pad
            for g in range(256):
                x[pos] = g
                if not valid(bytes(x), c):
                    continue
                if pos == 15:  # rule out 02 02 and the like
                    x[14] ^= 0xFF
                    ok = valid(bytes(x), c)
                    x[14] ^= 0xFF
                    if not ok:
                        continue
                inter[pos] = g ^ pad
                break
        plain += bytes(i ^ p for i, p in zip(inter, prev))
    oracle.stdin.close()
    oracle.wait()
    plain = plain[:-plain[-1]]
    with open(a.answer, "w") as f:
        f.write("# worksheet 1, seed %s\nmessage = %s\nqueries = %d\n"
                % (a.seed, plain.decode(), queries))


if __name__ == "__main__":
    main()
