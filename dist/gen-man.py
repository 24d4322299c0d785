#!/usr/bin/env python3
"""gen-man.py — the manual pages of procsim, written at build time from the
program's own --help and from docs/cli.md, so that they say what the
program and the reference say.

  gen-man.py PROCSIM CLI_MD VERSION OUT COMMAND     procsim-COMMAND(1)
  gen-man.py PROCSIM CLI_MD VERSION OUT - CMD...    procsim(1); CMD... are the
                                                    commands that have a page,
                                                    which must be every command
                                                    --help lists.

--help gives the synopsis line and the options; the command's section of
docs/cli.md (from "## COMMAND" to the next "## ") gives the description,
converted from Markdown to man(7) roff: paragraphs, code blocks, tables
(one .TP item per row), lists and inline code. Only the standard library:
Python is there wherever meson is.
"""
import os
import re
import subprocess
import sys

DATE_ENV = "SOURCE_DATE_EPOCH"


def run_help(procsim, args):
    env = dict(os.environ)
    # The page does not depend on the build machine's locale or width, and a
    # sanitizer build does not fail on the leaks of a program that exits.
    env.update({"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "COLUMNS": "80",
                "ASAN_OPTIONS": "detect_leaks=0"})
    env.pop("LANGUAGE", None)
    out = subprocess.run([procsim, "--lang", "en"] + args + ["--help"], env=env,
                         stdout=subprocess.PIPE, check=True)
    return out.stdout.decode("utf-8")


def escape(text):
    """Text for roff: backslashes, and hyphens kept as hyphens."""
    return text.replace("\\", "\\e").replace("-", "\\-")


def inline(text):
    """Markdown inline marks to roff fonts: `code`, **bold**, *italic*,
    [text](link) as text."""
    parts = re.split(r"(`[^`]*`)", text)
    out = []
    for p in parts:
        if p.startswith("`") and p.endswith("`") and len(p) >= 2:
            out.append("\\fB" + escape(p[1:-1]) + "\\fR")
            continue
        p = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", p)
        p = escape(p)
        p = re.sub(r"\*\*([^*]+)\*\*", r"\\fB\1\\fR", p)
        p = re.sub(r"(?<![\w*])\*([^*]+)\*(?![\w*])", r"\\fI\1\\fR", p)
        out.append(p)
    return "".join(out)


def line_out(text):
    """A text line that roff does not take for a request."""
    return "\\&" + text if text.startswith((".", "'")) else text


def table_cells(row):
    row = row.strip()
    if row.startswith("|"):
        row = row[1:]
    if row.endswith("|"):
        row = row[:-1]
    cells, cur, in_code, i = [], "", False, 0
    while i < len(row):
        c = row[i]
        if c == "`":
            in_code = not in_code
        if c == "\\" and i + 1 < len(row) and row[i + 1] == "|":
            cur += "|"
            i += 2
            continue
        if c == "|" and not in_code:
            cells.append(cur.strip())
            cur = ""
        else:
            cur += c
        i += 1
    cells.append(cur.strip())
    return cells


def markdown(lines):
    """docs/cli.md lines to roff lines."""
    out, para = [], []

    def flush():
        if para:
            out.append(".PP")
            out.extend(line_out(inline(l)) for l in para)
            para.clear()

    i = 0
    while i < len(lines):
        l = lines[i]
        if l.startswith("```"):
            flush()
            out += [".PP", ".RS 4", ".nf"]
            i += 1
            while i < len(lines) and not lines[i].startswith("```"):
                out.append(line_out(escape(lines[i])))
                i += 1
            out += [".fi", ".RE"]
        elif l.startswith("|"):
            flush()
            rows = []
            while i < len(lines) and lines[i].startswith("|"):
                rows.append(table_cells(lines[i]))
                i += 1
            i -= 1
            # The header row and the |---| row name the columns: dropped.
            body = [r for r in rows[2:]] if len(rows) > 2 else rows
            for r in body:
                out += [".TP", inline(r[0])]
                out.append(line_out(inline(" \u2014 ".join(c for c in r[1:] if c))))
        elif l.startswith("### "):
            flush()
            out.append(".SS " + escape(l[4:].strip()))
        elif re.match(r"^\s*[-*] ", l):
            flush()
            item = [re.sub(r"^\s*[-*] ", "", l)]
            while i + 1 < len(lines) and lines[i + 1].startswith("  ") and lines[i + 1].strip():
                i += 1
                item.append(lines[i].strip())
            out += [".IP \\(bu 2", line_out(inline(" ".join(item)))]
        elif not l.strip():
            flush()
        else:
            para.append(l.strip())
        i += 1
    flush()
    return out


def section(md, heading):
    """The lines of "## heading" up to the next "## ", without the heading."""
    lines = md.split("\n")
    for k, l in enumerate(lines):
        if l.strip() == "## " + heading:
            end = k + 1
            while end < len(lines) and not lines[end].startswith("## "):
                end += 1
            return lines[k + 1:end]
    return None


def options(help_text):
    """(option, text) of the "Application Options:" of a --help."""
    found, on = [], False
    for l in help_text.split("\n"):
        if l.endswith("Options:"):
            on = l.startswith("Application")
            continue
        m = re.match(r"^  (-\S.*?)\s{2,}(\S.*)$", l)
        if on and m:
            found.append((m.group(1), m.group(2)))
    return found


def header(name, version):
    stamp = os.environ.get(DATE_ENV)
    date = ""
    if stamp:
        import time
        date = time.strftime("%Y-%m-%d", time.gmtime(int(stamp)))
    return ['.\\" Written by dist/gen-man.py from procsim --help and docs/cli.md.',
            '.TH "%s" 1 "%s" "procsim %s" "procsim manual"' % (name.upper(), date, version)]


def command_page(procsim, md, version, command):
    summary = ""
    for l in run_help(procsim, []).split("\n"):
        m = re.match(r"^  (\S+)\s+(.*)$", l)
        if m and m.group(1) == command:
            summary = m.group(2)
    if not summary:
        sys.exit("gen-man.py: procsim --help does not list '%s'" % command)
    help_text = run_help(procsim, [command])
    body = section(md, command)
    out = header("procsim-" + command, version)
    out += [".SH NAME", "procsim\\-%s \\- %s" % (escape(command), escape(summary[0].lower() + summary[1:]))]
    out += [".SH SYNOPSIS", ".nf"]
    synopsis = []
    if body is not None:
        k = 0
        while k < len(body) and not body[k].startswith("```"):
            k += 1
        if k < len(body):
            k += 1
            while k < len(body) and not body[k].startswith("```"):
                synopsis.append(body[k])
                k += 1
            body = body[k + 1:]
    if not synopsis:
        usage = help_text.split("\n")
        synopsis = ["procsim " + usage[1].strip()] if len(usage) > 1 else ["procsim " + command]
    out += [line_out(escape(s)) for s in synopsis] + [".fi"]
    out += [".SH DESCRIPTION"]
    if body:
        out += markdown(body)
    else:
        paragraphs = [p for p in help_text.split("\n\n") if p and not p.startswith(("Usage", "Help", "Application"))]
        out += [".PP", line_out(inline(paragraphs[0].strip()))] if paragraphs else []
    opts = options(help_text)
    if opts:
        out.append(".SH OPTIONS")
        for name, text in opts:
            out += [".TP", "\\fB" + escape(name) + "\\fR", line_out(inline(text))]
    out += [".SH SEE ALSO", "\\fBprocsim\\fR(1)"]
    return out


def main_page(procsim, md, version, pages):
    help_text = run_help(procsim, [])
    listed = []
    on = False
    for l in help_text.split("\n"):
        if l.startswith("Commands:"):
            on = True
            continue
        if on and not l.strip():
            break
        m = re.match(r"^  (\S+)\s+(.*)$", l)
        if on and m:
            listed.append((m.group(1), m.group(2)))
    missing = [c for c, _ in listed if c not in pages]
    if missing:
        sys.exit("gen-man.py: no manual page for: " + ", ".join(missing))
    out = header("procsim", version)
    out += [".SH NAME",
            "procsim \\- rehearse, inspect and compare digitised administrative procedures",
            ".SH SYNOPSIS", ".nf", "procsim [\\-\\-lang vi|en] COMMAND [OPTION...] [ARG...]",
            "procsim \\-\\-version", ".fi", ".SH DESCRIPTION", ".PP"]
    lead = help_text.split("\n\n")[1].strip() if "\n\n" in help_text else ""
    out.append(line_out(inline(lead)))
    out.append(".SH COMMANDS")
    for c, s in listed:
        out += [".TP", "\\fB%s\\fR" % escape(c), line_out(inline(s)) + ". See \\fBprocsim\\-%s\\fR(1)." % escape(c)]
    for title, heading in (("GLOBAL OPTIONS", "Global options"), ("EXIT STATUS", "Exit status"),
                           ("DIAGNOSTICS", "Diagnostics")):
        body = section(md, heading)
        if body:
            out.append(".SH " + title)
            out += markdown(body)
    out += [".SH ENVIRONMENT",
            ".TP", "\\fBLANGUAGE\\fR, \\fBLC_ALL\\fR, \\fBLC_MESSAGES\\fR, \\fBLANG\\fR",
            "The language when \\fB\\-\\-lang\\fR is not given: Vietnamese when the first of them that is set starts with \\fBvi\\fR.",
            ".TP", "\\fBPROCSIM_DATADIR\\fR",
            "Take the bundled procedures and scenarios from \\fIDIR\\fR/workflows and \\fIDIR\\fR/scenarios.",
            ".TP", "\\fBCOLUMNS\\fR",
            "The width the trainer wraps to when its output is not a terminal.",
            ".TP", "\\fBNO_COLOR\\fR",
            "No colours in the trainer.",
            ".SH FILES",
            ".TP", "\\fIPREFIX\\fR/share/procsim/workflows, \\fIPREFIX\\fR/share/procsim/scenarios",
            "The bundled procedures and training scenarios.",
            ".TP", "\\fIPREFIX\\fR/share/procsim/schemas/procedure.xsd, scenario.xsd",
            "The schemas of the two file formats (they are also built into procsim).",
            ".TP", "~/.local/share/procsim/sessions",
            "Training checkpoints and records (\\fB$XDG_DATA_HOME\\fR/procsim/sessions).",
            ".SH SEE ALSO",
            ", ".join("\\fBprocsim\\-%s\\fR(1)" % escape(c) for c, _ in listed)]
    return out


def main(argv):
    if len(argv) < 6:
        sys.exit(__doc__)
    procsim, cli_md, version, out_path, command = argv[1:6]
    with open(cli_md, encoding="utf-8") as f:
        md = f.read()
    if command == "-":
        lines = main_page(procsim, md, version, argv[6:])
    else:
        lines = command_page(procsim, md, version, command)
    # Characters beyond ASCII as roff's \[uXXXX], which every troff reads
    # whatever its input encoding (Vietnamese words in the reference).
    text = "\n".join(lines) + "\n"
    text = "".join(c if ord(c) < 128 else "\\[u%04X]" % ord(c) for c in text)
    with open(out_path, "w", encoding="ascii") as f:
        f.write(text)


if __name__ == "__main__":
    main(sys.argv)
