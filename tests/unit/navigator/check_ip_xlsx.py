#!/usr/bin/python3
"""The improvement plan's workbook read back with openpyxl (ctest improvement-plan-xlsx).

Usage: check_ip_xlsx.py CYBEREX_BINARY (run from the source directory). Plays Cyber Atlantic 2011 with its scripted
responses and drill, writes `--format ip-xlsx` and `--format ip-csv`, and checks the workbook: its header row (bold,
frozen), its column widths, the first rows' values (hand-derived from drill.jsonl and the scenario), real dates, the
same cells as the CSV, and the fixed creation time (the exercise start). Fails when openpyxl is missing: setup.sh
installs python3-openpyxl, and a test that checks nothing must not pass.
"""
import csv
import datetime
import io
import subprocess
import sys
import tempfile
import zipfile

try:
    import openpyxl
except ImportError:
    sys.exit("FAIL: python3-openpyxl is not installed (scripts/setup.sh installs it)")

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def main():
    cyberex = sys.argv[1]
    ca = "scenarios/cyber-atlantic-2011"
    with tempfile.TemporaryDirectory(prefix="cyberex-ip-xlsx-") as tmp:
        journal = tmp + "/ca.jsonl"
        subprocess.run([cyberex, "play", ca + "/cyber-atlantic-2011.json", "--play", ca + "/responses.json",
                        "--script", ca + "/drill.jsonl", "--quiet", "--journal", journal], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        subprocess.run([cyberex, "report", journal, "--format", "ip-xlsx", "-o", tmp + "/ip.xlsx"], check=True)
        text = subprocess.run([cyberex, "report", journal, "--format", "ip-csv"], check=True,
                              stdout=subprocess.PIPE).stdout.decode("utf-8")
        with zipfile.ZipFile(tmp + "/ip.xlsx") as z:
            core = z.read("docProps/core.xml").decode("utf-8")
        wb = openpyxl.load_workbook(tmp + "/ip.xlsx")

    header = ["Core Capability", "Issue/Area for Improvement", "Corrective Action", "Capability Element",
              "Primary Responsible Organization", "Organization POC", "Start Date", "Completion Date", "Source"]
    check(wb.sheetnames == ["Improvement Plan"], "one sheet 'Improvement Plan': %s" % wb.sheetnames)
    ws = wb["Improvement Plan"]
    check([c.value for c in ws[1]] == header, "header row: %s" % [c.value for c in ws[1]])
    check(all(c.font.b for c in ws[1]), "header row in bold")
    check(ws.freeze_panes == "A2", "header row frozen: %s" % ws.freeze_panes)
    check(ws.column_dimensions["B"].width > 50 and ws.column_dimensions["A"].width > 20,
          "column widths set: A %s, B %s" % (ws.column_dimensions["A"].width, ws.column_dimensions["B"].width))
    check(ws.cell(2, 2).alignment.wrap_text, "issue text wrapped")

    # the first area for improvement of drill.jsonl: 1h40m after the 09:00 start, CERT-NL, ct-detect-apt (cap-cyber)
    first = [c.value for c in ws[2]]
    want = ["Cybersecurity (detection, containment, eradication)",
            "CERT-NL saw the mail-sandbox verdict on the Council lure but took over an hour to correlate it with the "
            "workstation that had already opened the attachment.",
            "Add a sandbox-to-EDR correlation step to the triage runbook and exercise it quarterly.",
            "Planning", "National Cyber Security Agency (NL, fictional)", "CERT-NL (fictional)",
            datetime.datetime(2011, 11, 17), datetime.datetime(2012, 2, 1),
            "area for improvement observed at 10:40 by evaluator, objective obj-detect-apt, critical task "
            "ct-detect-apt"]
    check(first == want, "first row: %s" % first)
    check(ws.cell(2, 7).number_format == "yyyy-mm-dd", "dates formatted: %s" % ws.cell(2, 7).number_format)
    # the second: CERT-DE's isolation (2h15m), an Organization element
    second = [c.value for c in ws[3]]
    check(second[3] == "Organization" and second[5] == "CERT-DE (fictional)"
          and second[4] == "Federal Cyber Security Centre (DE, fictional)", "second row: %s" % second)

    # every cell as the CSV says (dates as YYYY-MM-DD there)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    check(rows[0] == header, "CSV header")
    check(ws.max_row == len(rows), "as many rows as the CSV: %d, %d" % (ws.max_row, len(rows)))
    for r, row in enumerate(rows[1:], start=2):
        cells = [c.value for c in ws[r]]
        cells = [v.strftime("%Y-%m-%d") if isinstance(v, datetime.datetime) else ("" if v is None else v)
                 for v in cells]
        check(cells == row, "row %d as in the CSV: %s != %s" % (r, cells, row))

    # the creation time is the exercise start (2011-11-03 09:00), not the time of the export
    check("<dcterms:created xsi:type=\"dcterms:W3CDTF\">2011-11-03T09:00:00Z</dcterms:created>" in core,
          "creation time: %s" % core)
    if failures:
        sys.exit("%d check(s) failed" % len(failures))
    print("improvement plan workbook: %d rows checked" % (len(rows) - 1))


if __name__ == "__main__":
    main()
