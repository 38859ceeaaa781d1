#!/usr/bin/python3
"""doxygen_filter.py: Doxygen's INPUT_FILTER for include/kexlab/*.h.

The headers are documented with plain C comments, written to be read as
text: argument lists aligned by hand, "Timing:" and "Secrets:" lines,
formulas with <, >, #, @ and backslashes. Doxygen reads only /** */
comments, and would take that punctuation for markup. This filter hands
Doxygen a copy in which each comment becomes a documentation comment that
keeps its text exactly (a verbatim block) with its first sentence as the
brief, so the headers stay as they are:

  the first comment of the file      the file's documentation (@file)
  a comment after code on its line   the member's: /**< ... */
  any other comment                  the declaration below it: /** ... */
  a "/* ---- name ---- */" rule      left alone (a section heading)

kexlab.h, the umbrella header, also gets the reference's front page
(MAINPAGE below), after its last line.

Line numbers are kept, so Doxygen's messages point at the real lines.
Usage (Doxygen runs it): doxygen_filter.py FILE; writes to standard output."""
import os
import re
import sys

COMMENT = re.compile(r"/\*(?!\*)(.*?)\*/", re.S)
RULE = re.compile(r"\s*-{2,}.*-{2,}\s*$", re.S)


MAINPAGE = """/** @mainpage kexlab: the C interface
Every public header of include/kexlab, each comment as the header writes it
(the brief is its first sentence). Start at kexlab.h, the umbrella header,
and err.h (kl_err, the return value of every fallible call); the Files list
has one header per idea. docs/lab-guide.md says how to link libkexlab and
libkexlab-http (pkg-config kexlab, kexlab-http). docs/rest-api.md is the
HTTP API of kexlab serve, not this one. */"""


def escape(text):
    """Doxygen's special characters, taken literally."""
    return re.sub(r"([\\@<>#%&$])", r"\\\1", text)


def brief(body):
    """The first sentence of the comment, on one line."""
    flat = " ".join(line.strip().lstrip("*").strip() for line in body.splitlines()).strip()
    m = re.match(r"(.+?\.)(\s|$)", flat)
    return escape((m.group(1) if m else flat)[:240])


def convert(src, name):
    out, pos, first = [], 0, True
    for m in COMMENT.finditer(src):
        out.append(src[pos:m.start()])
        pos = m.end()
        body = m.group(1)
        line_start = src.rfind("\n", 0, m.start()) + 1
        trailing = src[line_start:m.start()].strip() != ""
        if RULE.match(body) or (trailing and first):
            out.append(m.group(0))
            continue
        newlines = "\n" * body.count("\n")
        if trailing:
            # a short note on a member: keep it on its line, as text
            text = " ".join(line.strip().lstrip("*").strip() for line in body.splitlines())
            out.append("/**< " + escape(text.strip()) + " */" + newlines)
            continue
        head = "/** @file " + name + " " if first else "/** "
        summary = body
        if first:
            # "sha256.h: SHA-256, ...": the brief leaves out the file's name
            summary = re.sub(r"^\s*[\w.-]+\.h:\s*", "", body)
        first = False
        # @verbatim keeps the layout; the " * " margin goes.
        text = re.sub(r"\n[ \t]*\* ?", "\n", body.strip())
        out.append(head + "@brief " + brief(summary) + " @details @verbatim " + text
                   + " @endverbatim */")
    out.append(src[pos:])
    text = "".join(out)
    if name == "kexlab.h":
        # after the last line, so every line of the header keeps its number
        text += MAINPAGE + "\n"
    return text


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as f:
        sys.stdout.write(convert(f.read(), os.path.basename(sys.argv[1])))
