#!/usr/bin/env python3
"""Seed corpora and dictionaries of the fuzz targets (docs/robustness.md), generated from the shipped files rather
than committed: scenarios, topologies, play/script files, the committed seeds (tests/fuzz/seeds/), and journals that
`cyberex play` writes for the tutorial and the two Cyber exercises.

usage: make_corpora.py --root SOURCE_DIR --cyberex BINARY --out DIR
Writes DIR/corpus/<target>/ (seed files named by content hash, so running it again adds nothing twice) and
DIR/dict/<target>.dict."""
import argparse
import hashlib
import json
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

TARGETS = ["scenario", "graphml", "journal", "session", "script", "play", "world", "matpower"]


def add(out, target, data):
    if isinstance(data, str):
        data = data.encode()
    d = out / "corpus" / target
    d.mkdir(parents=True, exist_ok=True)
    (d / hashlib.sha1(data).hexdigest()).write_bytes(data)


def dict_line(token):
    # libFuzzer dictionary syntax: "..." with \\, \" and \xNN escapes
    out = []
    for c in token:
        if c in '"\\':
            out.append("\\" + c)
        elif 32 <= ord(c) < 127:
            out.append(c)
        else:
            out.append("\\x%02x" % ord(c))
    return '"' + "".join(out) + '"'


def write_dict(out, target, tokens):
    d = out / "dict"
    d.mkdir(parents=True, exist_ok=True)
    lines = sorted({dict_line(t) for t in tokens if t and len(t.encode()) <= 64 and all(ord(c) < 128 for c in t)})
    (d / (target + ".dict")).write_text("\n".join(lines) + "\n")


def schema_words(schema):
    words = set()

    def walk(v):
        if isinstance(v, dict):
            for k, x in v.items():
                if k == "properties" and isinstance(x, dict):
                    words.update(x.keys())
                if k == "enum" and isinstance(x, list):
                    words.update(str(e) for e in x if isinstance(e, str))
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)

    walk(schema)
    return words


def ids_of(doc):
    ids = set()

    def walk(v):
        if isinstance(v, dict):
            for k, x in v.items():
                if k == "id" and isinstance(x, str):
                    ids.add(x)
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)

    walk(doc)
    return ids


def play(cyberex, scenario, journal, extra, cwd):
    """A journal of `cyberex play` (None when the binary fails)."""
    cmd = [cyberex, "play", str(scenario), "--journal", str(journal), "--quiet"] + extra
    r = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if r.returncode not in (0, 2) or not journal.exists():
        print("make_corpora: %s failed: %s" % (" ".join(cmd), r.stderr.strip()[:300]), file=sys.stderr)
        return None
    return journal.read_bytes()


def journal_variants(data):
    """The whole journal, prefixes (as a crash would leave them), and a torn last line and a mark."""
    lines = data.split(b"\n")
    out = [data]
    for n in (3, 10, 30, 100):
        if n < len(lines) - 1:
            prefix = b"\n".join(lines[:n]) + b"\n"
            out.append(prefix)
            out.append(prefix + lines[n][: len(lines[n]) // 2])
    if len(lines) > 6:
        out.append(b"\n".join(lines[:6]) + b'\n{"mark":{"time":1e9,"seq":0,"index":0}}\n')
    return out


def record_vocabulary(root):
    """The record type names (sim/src/common/record.cpp, the one file that spells them), the world event types (those
    before "inject" in that table), and the details keys ExerciseState's fold reads (sim/src/state/apply.cpp)."""
    names_src = (root / "sim" / "src" / "common" / "record.cpp").read_text()
    table = re.search(r"type_names\{(.*?)\};", names_src, re.S)
    types = re.findall(r'"([a-z0-9_]+)"', table.group(1)) if table else []
    world = types[:types.index("inject")] if "inject" in types else []
    fold_src = (root / "sim" / "src" / "state" / "apply.cpp").read_text()
    keys = set(re.findall(r'(?:str|num|strings_of)\(d, "([a-z_]+)"\)', fold_src))
    keys |= set(re.findall(r'd(?:\.contains\(|\[)"([a-z_]+)"', fold_src))
    return types, world, sorted(keys)


def vocabulary_journals(root):
    """Journals (format 2, on the tutorial) with one record of every type, so that the journal target starts with
    every case of the fold: details with every key the fold reads, of the right types; of wrong types; details that
    are not an object or missing."""
    types, world, keys = record_vocabulary(root)
    good = {"campaign": "apt-docs", "privilege": "admin", "status": "down", "reason": "fuzz", "mw": 5, "capacity": 10,
            "mode": "tripped", "lost_mw": 3, "customers_lost": 100, "time_to_detect": 60, "time_to_contain": 120,
            "campaign_total": 1e6, "technique": "T1566.001", "target": "gov-ws-1", "node": "gov-ws-1",
            "sensor": "gov-ids", "kind": "ids", "indicators": ["ioc-c2", "unknown-ioc"], "team": "cert-gov",
            "teams": [{"team": "cert-gov", "total": 50}], "to": ["cert-gov", "cert-energy"], "from": "cert-energy",
            "item": "msg-1", "inject": "inj-01", "due": 100, "by": 60, "expires_in": 600, "vulnerability": "CVE-x",
            "title": "t", "content": "c", "channel": "email", "type": "email", "move": "1", "hidden": True,
            "read_at": 5, "expectation": "exp-1", "incident": "inc-1", "objective": "obj-detect",
            "critical_task": "ct-detect", "rating": "P", "score": 50}
    subjects = [("campaign_", "campaign:apt-docs"), ("step_", "campaign:apt-docs"), ("exfiltration_", "node:gov-fs"),
                ("grid_", "grid:grid-north"), ("service_", "service:gov-website"), ("probe_", "service:gov-website"),
                ("botnet_", "botnet:fuzz"), ("inject", "inject:inj-01"), ("alert", "team:cert-gov"),
                ("action_", "team:cert-gov"), ("message", "team:cert-gov"), ("read", "player:cert-gov"),
                ("indicator_", "indicator:ioc-c2")]
    header = {"cyberex_journal": 2, "scenario": "scenarios/tutorial/tutorial.json",
              "scenario_hash": "fnv1a64:0000000000000000", "seed": 1, "version": "fuzz", "origin": "play"}
    variants = [
        ({k: good.get(k, "x") for k in keys}, ["cert-energy", "cert-gov"]),
        ({k: {"not": [None, True]} for k in keys}, "all"),
        ({k: [1, "x", None] for k in keys}, "control"),
        ([1, 2], ["cert-gov"]),
        (None, ["cert-gov"]),
    ]
    out = []
    for details, audience in variants:
        lines = [json.dumps(header, separators=(",", ":"))]
        seq = 0
        for t in types:
            kinds = ["event"] if t in world else ["delivery"] if t in ("inject", "inject_expired") else ["exercise"]
            if t == "message":
                kinds = ["event", "delivery"]
            subject = next((s for prefix, s in subjects if t.startswith(prefix)), "node:gov-ws-1" if t in world
                           else "exercise")
            for kind in kinds:
                seq += 1
                r = {"seq": seq, "time": seq * 60.0, "kind": kind, "type": t, "subject": subject}
                if details is not None:
                    r["details"] = details
                r["audience"] = audience
                lines.append(json.dumps(r, separators=(",", ":")))
        out.append("\n".join(lines) + "\n")
    return out, types, keys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--cyberex", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    root = pathlib.Path(a.root).resolve()
    out = pathlib.Path(a.out).resolve()
    cyberex = str(pathlib.Path(a.cyberex).resolve())
    seeds = root / "tests" / "fuzz" / "seeds"
    for t in TARGETS:
        for f in sorted((seeds / t).glob("*")):
            add(out, t, f.read_bytes())

    # scenario: every shipped JSON file, the schemas, and a small generated scenario
    for f in sorted((root / "scenarios").rglob("*.json")):
        add(out, "scenario", f.read_bytes())
        add(out, "world", f.read_bytes())
    with tempfile.TemporaryDirectory() as tmp:
        gen = pathlib.Path(tmp) / "gen.json"
        r = subprocess.run([cyberex, "generate", "--nodes", "60", "--sites", "4", "--duration", "2h", "-o", str(gen)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if r.returncode == 0 and gen.exists() and gen.stat().st_size < 200000:
            add(out, "scenario", gen.read_bytes())
            add(out, "world", gen.read_bytes())

    # graphml: the shipped backbones and the test fixtures
    for f in sorted((root / "scenarios" / "topologies").glob("*.graphml")) + sorted(
            (root / "tests" / "scenario" / "graphml").glob("*.graphml")):
        add(out, "graphml", f.read_bytes())

    # matpower: the IEEE cases (data/matpower)
    for f in sorted((root / "data" / "matpower").glob("*.m")):
        add(out, "matpower", f.read_bytes())

    # play and script: the shipped responses and drill scripts
    for f in sorted((root / "scenarios").rglob("responses.json")):
        add(out, "play", f.read_bytes())
    for f in sorted((root / "scenarios").rglob("*.jsonl")):
        data = f.read_bytes()
        add(out, "script", data)
        lines = data.split(b"\n")
        for i in range(0, len(lines), 8):
            add(out, "script", b"\n".join(lines[i:i + 8]) + b"\n")

    # journals from `cyberex play` (run in the source tree: the journal names the scenario by that path)
    tutorial = pathlib.Path("scenarios/tutorial/tutorial.json")
    runs = [
        (tutorial, ["--until", "2h"]),
        (tutorial, ["--script", str(seeds / "script" / "drill.jsonl")]),
        (tutorial, ["--play", str(seeds / "play" / "tutorial.json"), "--until", "3h"]),
        (pathlib.Path("scenarios/cyber-atlantic-2011/cyber-atlantic-2011.json"),
         ["--play", "scenarios/cyber-atlantic-2011/responses.json", "--script",
          "scenarios/cyber-atlantic-2011/drill.jsonl", "--until", "2h"]),
        (pathlib.Path("scenarios/cyber-europe-2012/cyber-europe-2012.json"),
         ["--play", "scenarios/cyber-europe-2012/responses.json", "--until", "1h"]),
    ]
    role_selector = {"controller": "c", "evaluator": "e", "observer": "o"}
    tutorial_players = ["cert-gov", "cert-energy"]
    with tempfile.TemporaryDirectory() as tmp:
        for i, (scenario, extra) in enumerate(runs):
            data = play(cyberex, scenario, pathlib.Path(tmp) / ("j%d.jsonl" % i), extra, root)
            if data is None:
                continue
            for v in journal_variants(data):
                if len(v) <= 256 * 1024:
                    add(out, "journal", v)
            if scenario != tutorial:
                continue
            # the tutorial journal's commands, as session input (who: the selector byte)
            session = []
            for line in data.decode().splitlines():
                j = json.loads(line)
                if "index" in j and "command" in j:
                    if j["role"] == "player":
                        sel = str(tutorial_players.index(j["team"]) + 1) if j.get("team") in tutorial_players else "x"
                    else:
                        sel = role_selector.get(j["role"], "c")
                    session.append(sel + json.dumps(j["command"], separators=(",", ":")))
            for k in range(0, len(session), 6):
                add(out, "session", "\n".join(session[k:k + 6]) + "\n")

    # one record of every type, details of every shape
    vocabulary, record_types, detail_keys = vocabulary_journals(root)
    for v in vocabulary:
        add(out, "journal", v)

    # every query and command once per role, on a fresh session
    queries = ["clock", "snapshot", "leaderboard", "inbox", "alerts", "assets", "scores", "truth", "msel"]
    for sel in "ceo12x":
        add(out, "session", "\n".join(sel + json.dumps({"id": q, "type": q}) for q in queries) + "\n")
        add(out, "session", sel + '{"type":"start"}\n' + sel + '{"type":"step","to":"event"}\n' + sel +
            '{"type":"snapshot"}\n')

    # dictionaries
    schema = json.loads((root / "scenarios" / "schema" / "cyberex-scenario.schema.json").read_text())
    tut = json.loads((root / tutorial).read_text())
    json_tokens = ["{", "}", "[", "]", ":", ",", "\"", "true", "false", "null", "1e400", "-0", "\\u0000", "\\ud800"]
    durations = ["1h", "15m", "90s", "2h30m", "H+1 M+30", "1d", "1e9s", "0s", "10Mbps", "1Gbps", "5MW", "2ms"]
    write_dict(out, "scenario", schema_words(schema) | set(json_tokens) | set(durations) |
               {"cyberex", "include", "../topologies/Abilene.graphml", "agencies.json", "site:", "node:", "kind:",
                "zone:", "team:", "tag:", "service:", "T1566.001", "T0855", "TA0001"})
    (out / "dict" / "world.dict").write_text((out / "dict" / "scenario.dict").read_text())
    write_dict(out, "graphml", ["<?xml version=\"1.0\"?>", "<graphml>", "</graphml>", "<graph", "</graph>",
                                "edgedefault=\"undirected\"", "<key", "attr.name=", "attr.type=", "for=\"node\"",
                                "<default>", "<node", "</node>", "<edge", "</edge>", "<data", "</data>", "key=",
                                "id=", "source=", "target=", "label", "Latitude", "Longitude", "LinkSpeedRaw",
                                "hyperedge", "<hyperedge", "<![CDATA[", "]]>", "<!--", "-->", "<?", "?>", "&amp;",
                                "&lt;", "&#x", "&#", "<!DOCTYPE", "<!ENTITY", " SYSTEM ", "/>"])
    protocol = ["type", "id", "to", "time", "by", "team", "action", "target", "indicator", "indicators",
                "vulnerability", "service", "text", "subject", "status", "incident", "levels", "item", "inject",
                "expectation", "objective", "critical_task", "rating", "kind", "speed", "title", "content", "channel",
                "from", "hidden", "expires", "event", "move", "start", "pause", "resume", "step", "end", "clock",
                "snapshot", "leaderboard", "inbox", "alerts", "assets", "scores", "truth", "msel", "inject_release",
                "inject_delay", "inject_cancel", "inject_create", "official_assessment", "observe", "rate",
                "confirm", "message", "sitrep", "assess", "read", "isolate", "reconnect", "block", "patch",
                "reset_credentials", "restore", "manual_operations", "shutdown_service", "restore_service", "P", "S",
                "M", "U", "strength", "improvement", "note", "msg-1", "node:", "site:", "kind:"]
    write_dict(out, "session", set(protocol) | ids_of(tut) | set(json_tokens) | set(durations) |
               {"\nc", "\ne", "\no", "\n1", "\n2", "\nx", "\nt"})
    write_dict(out, "journal", set(protocol) | set(json_tokens) |
               {"cyberex_journal", "scenario", "scenario_hash", "seed", "version", "origin", "serve", "play", "seq",
                "index", "role", "command", "audience", "control", "all", "mark", "state", "running", "ended",
                "controller", "evaluator", "player", "observer", "details", "delivery", "exercise", "cert-gov",
                "cert-energy", "fnv1a64:0000000000000000"} | set(record_types) | set(detail_keys))
    write_dict(out, "script", set(protocol) | set(json_tokens) | set(durations) |
               {"at", "as", "command", "controller", "evaluator", "observer", "player:", "player:cert-gov", "\r\n"})
    write_dict(out, "play", set(json_tokens) | set(durations) | ids_of(tut) |
               {"responses", "at", "team", "action", "target", "indicator", "vulnerability", "service", "to",
                "indicators", "text", "note", "share", "report", "communicate", "isolate", "reconnect", "block",
                "patch", "reset_credentials", "restore", "manual_operations", "shutdown_service", "restore_service"})
    write_dict(out, "matpower", {"function mpc = ", "mpc.baseMVA", "mpc.bus", "mpc.gen", "mpc.branch", "mpc.gencost",
                                 "mpc.bus_name", "mpc.version", " = [", "];", "{", "}", "'", "\"", "%", "...", ";", ",",
                                 "\n", "\t", "Inf", "-Inf", "NaN", "1e-3", "-0.5", "0", "1", "2", "3", "4", "100"})
    for t in TARGETS:
        n = len(list((out / "corpus" / t).glob("*")))
        print("make_corpora: %-8s %5d files in the corpus" % (t, n))


if __name__ == "__main__":
    main()
