#!/usr/bin/python3
"""check_attack.py: assert the outcomes of one `kexlab demo attack NAME --json`
run, saved in FILE.
  check_attack.py NAME FILE CONFIG=worked|nothing ...
Each CONFIG must be a run of the output: "worked" means attack_worked is true
and recovered equals the secret; "nothing" means attack_worked is false and
recovered is null. as_expected must be true. Prints one line; exit 0 or 1."""
import json
import sys


def main():
    name, path, wants = sys.argv[1], sys.argv[2], sys.argv[3:]
    with open(path) as f:
        out = json.load(f)
    problems = []
    if out.get("command") != "demo attack" or out.get("attack") != name:
        problems.append("not a demo attack %s output" % name)
    runs = {r["config"]: r for r in out.get("runs", [])}
    for want in wants:
        config, outcome = want.split("=")
        run = runs.get(config)
        if run is None:
            problems.append("no run '%s'" % config)
        elif outcome == "worked":
            if not run["attack_worked"] or run["recovered"] != out["secret"]:
                problems.append("%s: the attack should recover the secret" % config)
        elif run["attack_worked"] or run["recovered"] is not None:
            problems.append("%s: the attack should get nothing" % config)
    if not out.get("as_expected"):
        problems.append("as_expected is false")
    if problems:
        print("FAIL: " + "; ".join(problems))
        return 1
    print("ok: %s: %s" % (name, ", ".join(wants)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
