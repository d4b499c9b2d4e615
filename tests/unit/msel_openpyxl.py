#!/usr/bin/python3
"""An xlsx written by `cyberex msel export` opens in another reader (openpyxl) with the expected header row and values.

usage: msel_openpyxl.py CYBEREX SOURCE_DIR
The expected values are read by hand from scenarios/cyber-atlantic-2011/msel.json (its first three injects) and the
exercise's moves (move-1 starts at 0s, move-2 at 4h)."""
import json
import os
import subprocess
import sys
import tempfile

import openpyxl

cyberex, source = sys.argv[1], sys.argv[2]
scenario = os.path.join(source, "scenarios/cyber-atlantic-2011/cyber-atlantic-2011.json")
failures = []


def check(what, got, expected):
    if got != expected:
        failures.append(f"{what}: got {got!r}, expected {expected!r}")


with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "msel.xlsx")
    subprocess.run([cyberex, "msel", "export", scenario, "-o", path], check=True)
    wb = openpyxl.load_workbook(path)
    check("sheets", wb.sheetnames, ["MSEL"])
    ws = wb["MSEL"]
    check("frozen panes", ws.freeze_panes, "A2")
    header = [c.value for c in ws[1]]
    check("header", header, ["ID", "Move", "Time", "Seconds", "Type", "Channel", "From", "To", "Hidden", "Title",
                             "Content", "Trigger", "Delay", "Not before", "Skip if", "Expires", "Expectations"])
    check("rows", ws.max_row, 1 + 67)
    row = {h: c.value for h, c in zip(header, ws[2])}
    check("A2", row["ID"], "m1-startex")
    check("B2", row["Move"], "move-1")
    check("C2", row["Time"], "M+0")
    check("D2", row["Seconds"], 0)
    check("E2", row["Type"], "information")
    check("F2", row["Channel"], "email")
    check("G2", row["From"], "Exercise Control")
    check("H2", row["To"], "cert-de, cert-fr, cert-nl, cert-se, cert-it, cert-es, us-cert, energy-csirt, eu-cert")
    check("J2", row["Title"], "STARTEX: situation on 3 November 2011, 09:00")
    check("Q2", row["Expectations"], None)
    row = {h: c.value for h, c in zip(header, ws[3])}
    check("A3", row["ID"], "m1-lure-report")
    check("C3", row["Time"], "H+0 M+30")
    check("D3", row["Seconds"], 1800)
    check("H3", row["To"], "cert-de")
    check("J3", row["Title"], "Staff forward a suspicious e-mail")
    expectations = json.loads(row["Expectations"])
    check("Q3 ids", [e["id"] for e in expectations], ["exp-de-block-lure", "exp-de-share-lure"])
    check("Q3 within", [e["within"] for e in expectations], ["45m", "1h"])
    check("Q3 contingency", expectations[0]["contingency"], "m1-lure-opened")
    row = {h: c.value for h, c in zip(header, ws[4])}
    check("A4", row["ID"], "m1-lure-opened")
    check("C4", row["Time"], None)
    check("D4", row["Seconds"], None)
    check("E4", row["Type"], "contingency")
    check("F4", row["Channel"], "phone")
    check("G4", row["From"], "DE agency IT helpdesk")

if failures:
    print("\n".join(failures))
    sys.exit(1)
print("msel-openpyxl: header and rows as expected")
