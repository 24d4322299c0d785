#!/usr/bin/env python3
# check-xlsx.py — the workbooks procsim writes (--format xlsx), read back
# with openpyxl as a spreadsheet program would: every figure a number
# cell equal to the JSON output's, the labels the CSV's in the same
# language (Vietnamese intact), the document dated from SOURCE_DATE_EPOCH
# and the same bytes from the same input.
#   check-xlsx.py PROCSIM DATA_DIR
# openpyxl (Debian: python3-openpyxl) is a test-only tool: meson registers
# this test only where it imports.
import csv
import datetime
import io
import json
import math
import os
import subprocess
import sys
import tempfile

import openpyxl

procsim, data = sys.argv[1], sys.argv[2]
EPOCH = 1764547200  # 2025-12-01T00:00:00Z
env = dict(os.environ, SOURCE_DATE_EPOCH=str(EPOCH))
failures = 0


def check(cond, what):
    global failures
    if not cond:
        failures += 1
        print("FAIL:", what, file=sys.stderr)


def run(*args):
    return subprocess.run([procsim, *args], env=env, check=True, capture_output=True).stdout


def workbook(path):
    wb = openpyxl.load_workbook(path)
    check(wb.properties.created == datetime.datetime(2025, 12, 1),
          f"{path}: document dated {wb.properties.created}, not SOURCE_DATE_EPOCH")
    return wb


def same_number(a, b):
    return a is None and b is None or (
        isinstance(a, (int, float)) and isinstance(b, (int, float))
        and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9))


with tempfile.TemporaryDirectory() as tmp:
    for lang in ("en", "vi"):
        for proc in ("land-title-transfer", "business-registration"):
            book = os.path.join(tmp, f"{proc}-{lang}.xlsx")
            again = os.path.join(tmp, f"{proc}-{lang}-again.xlsx")
            run("compare", proc, "--lang", lang, "--explain", "-o", book)
            run("compare", proc, "--lang", lang, "--explain", "--format", "xlsx", "-o", again)
            with open(book, "rb") as a, open(again, "rb") as b:
                check(a.read() == b.read(), f"{proc} {lang}: two runs give different bytes")
            figures = json.loads(run("compare", proc, "--lang", lang, "--format", "json"))
            text = run("compare", proc, "--lang", lang, "--format", "csv").decode("utf-8-sig")
            labels = {row["metric"]: row["label"] for row in csv.DictReader(io.StringIO(text))}
            wb = workbook(book)
            check(len(wb.worksheets) == 2, f"{proc} {lang}: {len(wb.worksheets)} sheets, not 2")
            rows = list(wb.worksheets[0].iter_rows(values_only=True))
            seen = 0
            for row in rows[1:]:
                key, label, before, after, change = row[0], row[1], row[4], row[6], row[7]
                if key not in figures["before"]["figures"]:
                    continue
                seen += 1
                check(label == labels[key], f"{proc} {lang} {key}: label {label!r}")
                check(same_number(before, figures["before"]["figures"][key]),
                      f"{proc} {lang} {key}: before {before!r} in the workbook, "
                      f"{figures['before']['figures'][key]!r} in JSON")
                check(same_number(after, figures["after"]["figures"][key]),
                      f"{proc} {lang} {key}: after {after!r}")
                check(change is None or isinstance(change, (int, float)),
                      f"{proc} {lang} {key}: change {change!r} is not a number")
            check(seen >= 10, f"{proc} {lang}: only {seen} figures matched the JSON's")
            steps = list(wb.worksheets[1].iter_rows(values_only=True))
            check(len(steps) > 10 and all(isinstance(r[1], int) for r in steps[1:]),
                  f"{proc} {lang}: the steps sheet has no step numbers")
    # Vietnamese comes through as it was written.
    wb = workbook(os.path.join(tmp, "land-title-transfer-vi.xlsx"))
    check(wb.worksheets[0]["B1"].value == "Chỉ số", "vi: heading " + repr(wb.worksheets[0]["B1"].value))
    check(wb.properties.title.startswith("Chuyển nhượng quyền sử dụng đất"),
          "vi: title " + repr(wb.properties.title))

    # The training report: one sheet per table, the trainees' figures
    # those of the JSON report, dates as date cells.
    records = os.path.join(data, "report")
    for lang in ("en", "vi"):
        book = os.path.join(tmp, f"report-{lang}.xlsx")
        run("--lang", lang, "report", records, "-o", book)
        again = os.path.join(tmp, f"report-{lang}-again.xlsx")
        run("--lang", lang, "report", records, "--format", "xlsx", "-o", again)
        with open(book, "rb") as a, open(again, "rb") as b:
            check(a.read() == b.read(), f"report {lang}: two runs give different bytes")
        summary = json.loads(run("--lang", lang, "report", records, "--format", "json"))
        wb = workbook(book)
        check(len(wb.worksheets) == 5, f"report {lang}: {len(wb.worksheets)} sheets, not 5")
        scenarios = list(wb.worksheets[0].iter_rows(values_only=True))[1:]
        check([r[0] for r in scenarios] == [s["scenario"] for s in summary],
              f"report {lang}: scenarios {[r[0] for r in scenarios]}")
        for row, s in zip(scenarios, summary):
            check(row[1] == s["title"], f"report {lang}: title {row[1]!r}")
            check(list(row[2:6]) == [s["attempts"], s["finished"], s["unfinished"], s["passed"]],
                  f"report {lang} {s['scenario']}: counts {row[2:6]}")
            check(row[9] == s["scripted"], f"report {lang}: scripted {row[9]!r}")
        trainees = list(wb.worksheets[1].iter_rows(values_only=True))[1:]
        want = [(s["scenario"], t) for s in summary for t in s["trainees"]]
        check(len(trainees) == len(want), f"report {lang}: {len(trainees)} trainee rows")
        for row, (sid, t) in zip(trainees, want):
            check(row[0] == sid and row[2] == t["name"], f"report {lang}: trainee {row[:3]}")
            check(row[3] == t["attempts"] and same_number(row[6], t["best_percent"])
                  and same_number(row[7], t["last_percent"]),
                  f"report {lang} {t['name']}: figures {row[3:8]}")
            check(isinstance(row[8], datetime.datetime)
                  and row[8].strftime("%Y-%m-%dT%H:%M:%SZ") == t["last_started"],
                  f"report {lang} {t['name']}: date {row[8]!r}")
        check(any("Trần Văn Minh" == r[2] for r in trainees), f"report {lang}: names")

if failures:
    sys.exit(1)
print("workbooks read back: figures, labels, dates and bytes as expected")
