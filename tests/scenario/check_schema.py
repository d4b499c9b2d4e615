#!/usr/bin/env python3
"""Validate the shipped scenarios against the JSON Schema of scenario format v1, and check that the schema is
strict enough to reject broken documents and faithful to the model's enum names.

Usage: check_schema.py [--root DIR] [--cyberex PATH] [FILE...]

Without FILE arguments it checks, under DIR (default: the repository root):
  1. the schema files themselves (valid draft 2020-12, a title and a description on every property);
  2. that the enum lists in the schema equal the names in sim/src/common/model_strings.cpp;
  3. that embedded documents which are valid are accepted and embedded broken documents are rejected, each for
     the expected reason (JSON pointer and keyword); with --cyberex PATH, that `cyberex validate` agrees on each
     of them (accepts the valid ones, rejects the broken ones with an error at or under the same JSON pointer)
     and gives the same verdict as the schema on 75 quantity strings (durations, bandwidths, ...);
  4. every *.json file under scenarios/ except scenarios/schema/: a file named in another file's "include" list
     is validated as a fragment (no "exercise"), every other file as a main scenario; play scripts of team
     responses ({"responses": [...]}, another format) are skipped.
With FILE arguments it only validates those files (step 4, same fragment rule among the given files).

Prints one line per failure, "file: (json-pointer) message", and exits 1 when anything failed, 2 on a usage or
environment problem, 0 otherwise.
"""
import argparse
import copy
import json
import os
import re
import subprocess
import sys
import tempfile

try:
    import jsonschema
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import best_match
except ImportError:
    sys.stderr.write("check_schema.py: the Python module 'jsonschema' is missing (Debian: apt-get install "
                     "python3-jsonschema; scripts/setup.sh installs it)\n")
    sys.exit(2)

SCHEMA_DIR = os.path.join("scenarios", "schema")
MAIN_SCHEMA = "cyberex-scenario.schema.json"
FRAGMENT_SCHEMA = "cyberex-fragment.schema.json"


def pointer(path):
    """JSON pointer (RFC 6901) of a jsonschema error path, as cyberex's own diagnostics print it."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def describe(error):
    """One line for an error; for oneOf/anyOf failures, add the most relevant reason underneath."""
    text = error.message
    if len(text) > 300:
        text = text[:297] + "..."
    if error.context:
        deepest = best_match(error.context)
        if deepest is not None:
            text += f" [closest: ({pointer(deepest.absolute_path)}) {deepest.message[:200]}]"
    return text


def error_order(error):
    """Document order: array indices as numbers (/nodes/7 before /nodes/11), then keys."""
    return ([(0, p, "") if isinstance(p, int) else (1, 0, p) for p in error.absolute_path], error.validator)


class Schemas:
    """The main and the fragment entry points, with the fragment's $ref resolved to the main file in memory."""

    def __init__(self, schema_dir):
        with open(os.path.join(schema_dir, MAIN_SCHEMA), encoding="utf-8") as f:
            self.main = json.load(f)
        with open(os.path.join(schema_dir, FRAGMENT_SCHEMA), encoding="utf-8") as f:
            self.fragment = json.load(f)
        resources = {self.main["$id"]: self.main, self.fragment["$id"]: self.fragment}
        try:  # jsonschema >= 4.18 resolves references through the 'referencing' package
            from referencing import Registry, Resource

            registry = Registry().with_resources(
                (uri, Resource.from_contents(doc)) for uri, doc in resources.items())
            self.main_validator = Draft202012Validator(self.main, registry=registry)
            self.fragment_validator = Draft202012Validator(self.fragment, registry=registry)
        except ImportError:  # Debian 12's jsonschema 4.10
            self.main_validator = Draft202012Validator(
                self.main, resolver=jsonschema.RefResolver.from_schema(self.main, store=resources))
            self.fragment_validator = Draft202012Validator(
                self.fragment, resolver=jsonschema.RefResolver.from_schema(self.fragment, store=resources))

    def errors(self, document, fragment):
        validator = self.fragment_validator if fragment else self.main_validator
        return sorted(validator.iter_errors(document), key=error_order)


# ---------------------------------------------------------------------------------------------------------------
# 1. the schema files


def check_schema_files(schemas, failures):
    for name, doc in ((MAIN_SCHEMA, schemas.main), (FRAGMENT_SCHEMA, schemas.fragment)):
        where = os.path.join(SCHEMA_DIR, name)
        try:
            Draft202012Validator.check_schema(doc)
        except jsonschema.exceptions.SchemaError as e:
            failures.append(f"{where}: ({pointer(e.absolute_path)}) not a valid draft 2020-12 schema: {e.message}")
        if doc.get("$schema") != "https://json-schema.org/draft/2020-12/schema" or "$id" not in doc:
            failures.append(f"{where}: () needs \"$schema\" (draft 2020-12) and \"$id\"")
        for key in ("title", "description"):
            if key not in doc:
                failures.append(f"{where}: () no \"{key}\"")

    def walk(node, path):
        if isinstance(node, dict):
            for key in ("properties", "$defs"):
                for name, sub in node.get(key, {}).items():
                    for needed in ("title", "description"):
                        if not isinstance(sub, dict) or not sub.get(needed):
                            failures.append(f"{os.path.join(SCHEMA_DIR, MAIN_SCHEMA)}: ({path}/{key}/{name}) "
                                            f"no \"{needed}\"")
            if node.get("type") == "object" and "properties" in node and node.get("additionalProperties") is not False:
                failures.append(f"{os.path.join(SCHEMA_DIR, MAIN_SCHEMA)}: ({path}) object without "
                                "\"additionalProperties\": false")
            for key, sub in node.items():
                if key not in ("if", "then", "else", "not"):  # conditions, not documentation
                    walk(sub, f"{path}/{key}")
        elif isinstance(node, list):
            for i, sub in enumerate(node):
                walk(sub, f"{path}/{i}")

    walk(schemas.main, "")


# ---------------------------------------------------------------------------------------------------------------
# 2. enum names of the model

# model_strings.cpp enum type -> JSON pointers (in the main schema) of the enums that must list exactly its names
ENUM_PLACES = {
    "NodeKind": ["/$defs/node_kind/enum"],
    "TeamRole": ["/$defs/team/properties/role/enum"],
    "Criticality": ["/$defs/node/properties/criticality/enum"],
    "Access": ["/$defs/requirements/properties/access/enum", "/$defs/step/properties/privilege/enum"],
    "StepEffect": ["/$defs/step/properties/effect/enum"],
    "InjectType": ["/$defs/inject/properties/type/enum"],
    "ActionType": ["/$defs/action/properties/type/enum"],
    "Indicator::Type": ["/$defs/indicator/properties/type/enum"],
}


def resolve_pointer(doc, ptr):
    for part in ptr.split("/")[1:]:
        part = part.replace("~1", "/").replace("~0", "~")
        doc = doc[int(part)] if isinstance(doc, list) else doc[part]
    return doc


def action_trigger_enum(main):
    for variant in main["$defs"]["trigger"]["oneOf"]:
        if "action" in variant.get("required", []):
            return variant["properties"]["action"]["enum"]
    return None


def check_enums(root, schemas, failures):
    source = os.path.join("sim", "src", "common", "model_strings.cpp")
    try:
        with open(os.path.join(root, source), encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        failures.append(f"{source}: () cannot read it: {e.strerror}")
        return
    names = {}
    for enum, _, name in re.findall(r'\{([A-Za-z_:]+?)::(\w+), "([^"]+)"\}', text):
        names.setdefault(enum, []).append(name)
    for enum, places in ENUM_PLACES.items():
        if enum not in names:
            failures.append(f"{source}: () no names found for {enum}")
            continue
        for place in places:
            try:
                listed = resolve_pointer(schemas.main, place)
            except (KeyError, IndexError, ValueError):
                failures.append(f"{os.path.join(SCHEMA_DIR, MAIN_SCHEMA)}: ({place}) missing")
                continue
            if sorted(listed) != sorted(names[enum]):
                failures.append(f"{os.path.join(SCHEMA_DIR, MAIN_SCHEMA)}: ({place}) lists {sorted(listed)} but "
                                f"{source} names {enum} {sorted(names[enum])}")
    if sorted(action_trigger_enum(schemas.main) or []) != sorted(names.get("ActionType", [])):
        failures.append(f"{os.path.join(SCHEMA_DIR, MAIN_SCHEMA)}: (/$defs/trigger) the 'action' trigger does not "
                        "list exactly the ActionType names")


# ---------------------------------------------------------------------------------------------------------------
# 3. embedded documents

BASE = {
    "cyberex": 1,
    "exercise": {"id": "x", "title": "Minimal", "start": "2012-10-04T09:00:00", "timezone": "Europe/Paris",
                 "duration": "3d", "moves": [{"id": "m1", "offset": "0s"}, {"id": "m2", "offset": "4h"}]},
    "organisations": [{"id": "bank", "name": "A bank", "country": "FR", "sector": "finance"}],
    "teams": [{"id": "cert", "organisation": "bank", "role": "player", "assets": ["site:hq"]}],
    "sites": [{"id": "hq", "organisation": "bank", "zones": [{"id": "lan"}, {"id": "ot", "purdue": 2}]}],
    "nodes": [{"id": "fw", "site": "hq", "kind": "firewall"},
              {"id": "ws", "count": 2, "site": "hq", "zone": "lan", "kind": "workstation", "uplink": "fw"},
              {"id": "web", "site": "hq", "kind": "web_server", "uplink": "fw", "uplink_bandwidth": "1Gbps"},
              {"id": "c2", "site": "hq", "kind": "attacker"}],
    "links": [{"id": "l1", "a": "fw", "b": "c2", "bandwidth": "100Mbps", "latency": "5ms"}],
    "services": [{"id": "ebank", "node": "web", "consumers": 1000}],
    "grids": [{"id": "g", "frequency": "50Hz"}],
    "adversary": {
        "campaigns": [{"id": "apt", "c2": {"node": "c2"}, "steps": [
            {"id": "s1", "technique": "T1566.001", "source": "external", "target": "node:ws-1", "duration": "20m",
             "probability": 0.5, "effect": "compromise"}]}],
        "botnets": [{"id": "bn", "size": 100, "attach": ["fw"], "target": "service:ebank",
                     "schedule": [{"start": "1h", "end": "2h"}]}]},
    "msel": [{"id": "i1", "time": "1h", "to": ["cert"], "title": "t", "content": "c"},
             {"id": "i0", "time": "30m", "to": ["cert"], "expectations": [
                 {"id": "e1", "team": "cert", "met_by": {"action": "isolate", "team": "cert"}}]}],
}


def with_change(path, value):
    """BASE with the value at `path` (list of keys) replaced; value None deletes it."""
    doc = copy.deepcopy(BASE)
    target = doc
    for key in path[:-1]:
        target = target[key]
    if value is None:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return doc


def step(**fields):
    s = {"id": "s1", "technique": "T1566.001", "target": "node:ws-1", "duration": "5m"}
    s.update(fields)
    return with_change(["adversary", "campaigns", 0, "steps", 0], s)


def inject(**fields):
    i = {"id": "i1"}
    i.update(fields)
    return with_change(["msel", 0], i)


def with_indicator(doc):
    """`doc` with one indicator, "ioc-1"."""
    doc["indicators"] = [{"id": "ioc-1", "type": "domain", "value": "bad.example"}]
    return doc


FRAGMENT = {"nodes": [{"id": "extra", "site": "hq", "kind": "server"}], "include": ["more.json"]}

# (name, document, is fragment) that must be accepted
ACCEPTED = [
    ("base document", BASE, False),
    ("fragment without exercise", FRAGMENT, True),
    ("fragment with a version", dict(FRAGMENT, cyberex=1), True),
    ("duration terms in order", with_change(["exercise", "duration"], "1d2h30m15s500ms"), False),
    ("decimal duration", with_change(["exercise", "duration"], "2.5d"), False),
    ("relative time D H M", inject(time="D+1 H+3 M+45"), False),
    ("relative time with seconds", inject(move="m2", time="H+0 S+30"), False),
    ("relative time M only", inject(move="m2", time="M+0"), False),
    ("uniform distribution", step(duration={"uniform": ["10m", "30m"]}), False),
    ("exponential distribution", step(duration={"exponential": "10m"}), False),
    ("lognormal distribution", step(duration={"lognormal": {"median": "2h", "sigma": 0.3}}), False),
    ("triangular distribution", step(duration={"triangular": ["10m", "20m", "1h"]}), False),
    ("normal distribution", step(duration={"normal": {"mean": "30m", "stddev": "5m"}}), False),
    ("fixed distribution", step(duration={"fixed": "20m"}), False),
    ("storyline control", with_change(["adversary", "campaigns", 0, "mode"], "scripted"), False),
    ("not_before and retry", step(not_before="H+4 M+15", retry={"until": "6h", "interval": "10m"}), False),
    ("selector with several words", step(target="site:hq kind:workstation zone:hq/lan tag:vip"), False),
    ("every trigger kind", inject(trigger={"any": [
        {"node_compromised": "node:ws-1"}, {"service_down": "ebank"},
        {"exfiltrated_over": "100MB", "campaign": "apt"}, {"action": "isolate", "team": "cert", "target": "node:ws-1"},
        {"message": {"from": "cert", "to": "cert"}}, {"alert": {"team": "cert", "technique": "T1566.001"}},
        {"expectation_met": "e1"}, {"expectation_missed": "e1"},
        {"power_lost_over": "50MW", "grid": "g"}, {"inject_delivered": "i0"},
        {"all": [{"service_down": "ebank"}]}]}), False),
    ("skip_if, premise, not and a block of one indicator", with_indicator(inject(
        time="1h", to=["cert"], skip_if={"not": {"node_compromised": "node:ws-1"}},
        expectations=[{"id": "e2", "team": "cert", "premise": {"any": [{"service_down": "ebank"}]},
                       "met_by": {"action": "block", "team": "cert", "indicator": "ioc-1"}}])), False),
    ("editor $schema key", with_change(["$schema"], "../schema/cyberex-scenario.schema.json"), False),
    ("contingency inject without time or trigger", inject(type="contingency", to=["cert"]), False),
    ("start without seconds", with_change(["exercise", "start"], "2012-10-04T09:00"), False),
    ("selector with extra spaces", step(target=" site:hq  kind:workstation "), False),
    ("quantities", with_change(["links", 0], {"id": "l1", "a": "fw", "b": "c2", "bandwidth": "1.5Mbps",
                                              "latency": "0.1ms"}), False),
]

# (name, document, is fragment, json pointer, keyword) that must be rejected for exactly that reason
REJECTED = [
    ("unknown top-level key", with_change(["exercize"], {}), False, "", "additionalProperties"),
    ("unknown node key", with_change(["nodes", 0, "upLink"], "c2"), False, "/nodes/0", "additionalProperties"),
    ("unknown key in a step", step(probabilty=0.5), False, "/adversary/campaigns/0/steps/0", "additionalProperties"),
    ("duration with a space", with_change(["exercise", "duration"], "8 h"), False, "/exercise/duration", "pattern"),
    ("duration without unit", with_change(["exercise", "duration"], "90"), False, "/exercise/duration", "pattern"),
    ("duration units out of order", with_change(["exercise", "duration"], "30m2h"), False, "/exercise/duration",
     "pattern"),
    ("duration as a number", with_change(["exercise", "duration"], 3600), False, "/exercise/duration", "type"),
    ("bandwidth in bytes", with_change(["links", 0, "bandwidth"], "100MB/s"), False, "/links/0/bandwidth",
     "pattern"),
    ("bad node kind", with_change(["nodes", 0, "kind"], "Switch"), False, "/nodes/0/kind", "enum"),
    ("bad team role", with_change(["teams", 0, "role"], "red_team"), False, "/teams/0/role", "enum"),
    ("bad step effect", step(effect="pwn"), False, "/adversary/campaigns/0/steps/0/effect", "enum"),
    ("bad campaign mode", with_change(["adversary", "campaigns", 0, "mode"], "scriptd"), False,
     "/adversary/campaigns/0/mode", "enum"),
    ("retry without until", step(retry={"interval": "10m"}), False, "/adversary/campaigns/0/steps/0/retry",
     "required"),
    ("not_before not a time", step(not_before="soon"), False, "/adversary/campaigns/0/steps/0/not_before", "anyOf"),
    ("node without site", with_change(["nodes", 0, "site"], None), False, "/nodes/0", "required"),
    ("main file without exercise", with_change(["exercise"], None), False, "", "required"),
    ("exercise in a fragment", dict(FRAGMENT, exercise=BASE["exercise"]), True, "", "additionalProperties"),
    ("probability above 1", step(probability=1.5), False, "/adversary/campaigns/0/steps/0/probability", "maximum"),
    ("two trigger conditions", inject(trigger={"service_down": "ebank", "node_compromised": "node:fw"}), False,
     "/msel/0/trigger", "oneOf"),
    ("unknown trigger", inject(trigger={"node_down": "fw"}), False, "/msel/0/trigger", "oneOf"),
    ("uniform with one bound", step(duration={"uniform": ["10m"]}), False,
     "/adversary/campaigns/0/steps/0/duration", "oneOf"),
    ("relative time out of order", inject(time="M+3 H+1"), False, "/msel/0/time", "anyOf"),
    ("selector with a bad word", step(target="site: hq"), False, "/adversary/campaigns/0/steps/0/target",
     "pattern"),
    ("inject with time and trigger", inject(time="1h", trigger={"service_down": "ebank"}), False, "/msel/0",
     "oneOf"),
    ("inject with neither time nor trigger", inject(to=["cert"]), False, "/msel/0", "oneOf"),
    ("move without time", inject(move="m2", trigger={"service_down": "ebank"}), False, "/msel/0",
     "dependentRequired"),
    ("contingency with a time", inject(type="contingency", time="1h"), False, "/msel/0", "not"),
    ("expectation without met_by", inject(time="1h", expectations=[{"id": "e1", "team": "cert"}]), False,
     "/msel/0/expectations/0", "required"),
    ("uplink bandwidth without uplink", with_change(["nodes", 0, "uplink_bandwidth"], "1Gbps"), False, "/nodes/0",
     "dependentRequired"),
    ("team word in assets", with_change(["teams", 0, "assets"], ["team:cert"]), False, "/teams/0/assets/0",
     "pattern"),
    ("zero exercise duration", with_change(["exercise", "duration"], "0s"), False, "/exercise/duration", "pattern"),
    ("scoring in a fragment", dict(FRAGMENT, scoring={}), True, "", "additionalProperties"),
    ("node without kind", with_change(["nodes", 0, "kind"], None), False, "/nodes/0", "required"),
    ("action trigger without team", inject(trigger={"action": "isolate"}), False, "/msel/0/trigger", "oneOf"),
    ("skip_if on a triggered inject", inject(trigger={"service_down": "ebank"}, to=["cert"],
                                             skip_if={"service_down": "ebank"}), False, "/msel/0", "dependentRequired"),
    ("not over a list", inject(time="1h", to=["cert"], skip_if={"not": [{"service_down": "ebank"}]}), False,
     "/msel/0/skip_if", "oneOf"),
    ("bad technique id", step(technique="T15"), False, "/adversary/campaigns/0/steps/0/technique", "pattern"),
    ("wrong format version", with_change(["cyberex"], 2), False, "/cyberex", "const"),
]


# Quantities written into BASE at a field of their kind; the schema's verdict on each must be the loader's.
QUANTITY_FIELDS = {
    "duration": ["links", 0, "latency"],
    "bandwidth": ["links", 0, "bandwidth"],
    "data": ["adversary", "campaigns", 0, "c2", "beacon_size"],
    "power": ["grids", 0, "reserve"],
    "frequency": ["grids", 0, "frequency"],
    "inject time": ["msel", 0, "time"],
}
QUANTITY_PROBES = [
    ("duration", v) for v in ["90s", "2h30m", "1d", "500ms", "0.1ms", "0s", "1d2h3m4s5ms", "05m", "0.5h", "1h30",
                              "30m2h", "1h1h", "5.h", ".5h", "1e3s", "-1h", " 5m", "5 m", "5M", "5min", "", "1w"]
] + [
    ("bandwidth", v) for v in ["100Mbps", "10Gbps", "1kbps", "1Kbps", "1.5Mbps", "1Tbps", "8bps", "100MBps", "1Bps",
                               "100mbps", "100 Mbps", "1e9bps", "10G"]
] + [
    ("data", v) for v in ["500MB", "1GiB", "2kB", "12B", "1KiB", "1TB", "1KB", "1kiB", "1Mb", "5 MB", "1.5GB"]
] + [
    ("power", v) for v in ["200MW", "500kW", "1GW", "750W", "1.2GW", "200mw", "200 MW", "1TW"]
] + [
    ("frequency", v) for v in ["50Hz", "60Hz", "1kHz", "50hz", "50 Hz", "50"]
] + [
    ("inject time", v) for v in ["M+15", "H+0 M+15", "D+1 H+3 M+45", "H+1 S+30", "D+0  M+5", "M+3 H+1",
                                 "H+0M+15", "M+15 ", " M+15", "M+", "M+1.5", "m+15", "D+1 D+2", "2h", "S+1234567890"]
]


def documentation_examples(root):
    """The complete scenarios shown in docs/scenario-format.md (```json blocks that parse and have "exercise")."""
    path = os.path.join(root, "docs", "scenario-format.md")
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError:
        return []
    examples = []
    for i, block in enumerate(re.findall(r"```json\n(.*?)```", text, re.S)):
        try:
            doc = json.loads(block)
        except json.JSONDecodeError:
            continue  # a fragment of a file, such as "exercise": { ... }
        if isinstance(doc, dict) and "exercise" in doc:
            examples.append((f"docs/scenario-format.md, json block {i + 1}", doc, False))
    return examples


def check_embedded(schemas, failures):
    for name, doc, fragment in ACCEPTED:
        for e in schemas.errors(doc, fragment):
            failures.append(f"<embedded '{name}'>: ({pointer(e.absolute_path)}) should be accepted: {describe(e)}")
    for name, doc, fragment, where, keyword in REJECTED:
        errors = schemas.errors(doc, fragment)
        if not errors:
            failures.append(f"<embedded '{name}'>: ({where}) accepted, but must be rejected ({keyword})")
        elif not any(pointer(e.absolute_path) == where and e.validator == keyword for e in errors):
            got = "; ".join(f"({pointer(e.absolute_path)}) {e.validator}" for e in errors)
            failures.append(f"<embedded '{name}'>: ({where}) rejected for another reason than {keyword}: {got}")


DIAGNOSTIC = re.compile(r"^(?P<file>.*?)(:\d+(:\d+)?)?: error: \[(?P<code>[^\]]+)\] (\((?P<pointer>[^)]*)\) )?")


def run_loader(cyberex, documents, directory):
    """Runs one `cyberex validate` over `documents` [(doc, is fragment)], each in its own directory (a fragment is
    included by BASE). Returns, per document, (valid, [pointer of each error], the diagnostics' text)."""
    mains = []
    for i, (doc, fragment) in enumerate(documents):
        sub = os.path.join(directory, str(i))
        os.mkdir(sub)
        with open(os.path.join(sub, "more.json"), "w", encoding="utf-8") as f:
            json.dump({}, f)
        if fragment:
            with open(os.path.join(sub, "fragment.json"), "w", encoding="utf-8") as f:
                json.dump(doc, f, indent=1)
            doc = dict(BASE, include=["fragment.json"])
        mains.append(os.path.join(sub, "main.json"))
        with open(mains[-1], "w", encoding="utf-8") as f:
            json.dump(doc, f, indent=1)
    run = subprocess.run([cyberex, "validate"] + mains, capture_output=True, text=True, timeout=300)
    valid = {}
    for line in run.stdout.splitlines():
        path, _, verdict = line.partition(": ")
        valid[path] = verdict.startswith("valid")
    results = []
    for i, main in enumerate(mains):
        sub = os.path.dirname(main) + os.sep
        lines = [line for line in run.stderr.splitlines() if line.startswith(sub)]
        pointers = [m.group("pointer") or "" for m in map(DIAGNOSTIC.match, lines) if m]
        results.append((valid.get(main), pointers, "\n".join(lines)))
    return results


def check_loader_agrees(cyberex, schemas, failures):
    """The loader must accept what the schema accepts and reject what it rejects, at the same place."""
    documents = [(doc, fragment) for _, doc, fragment in ACCEPTED]
    documents += [(doc, fragment) for _, doc, fragment, _, _ in REJECTED]
    probes = [with_change(QUANTITY_FIELDS[kind], value) for kind, value in QUANTITY_PROBES]
    documents += [(doc, False) for doc in probes]
    with tempfile.TemporaryDirectory(prefix="cyberex-schema-") as directory:
        results = run_loader(cyberex, documents, directory)
    for (kind, value), doc, (valid, _, text) in zip(QUANTITY_PROBES, probes, results[len(ACCEPTED) + len(REJECTED):]):
        by_schema = not schemas.errors(doc, False)
        if valid is not by_schema:
            failures.append(f"<{kind} {json.dumps(value)}>: ({pointer(QUANTITY_FIELDS[kind])}) the schema "
                            f"{'accepts' if by_schema else 'rejects'} it, cyberex validate does not: "
                            f"{text[:300] or 'no diagnostic'}")
    for (name, _, _), (valid, _, text) in zip(ACCEPTED, results):
        if valid is not True:
            failures.append(f"<embedded '{name}'>: () the schema accepts it but cyberex validate does not: "
                            f"{text[:400] or 'no verdict'}")
    for (name, _, _, where, _), (valid, pointers, text) in zip(REJECTED, results[len(ACCEPTED):]):
        if valid is not False:
            failures.append(f"<embedded '{name}'>: ({where}) the schema rejects it but cyberex validate does not")
        elif not any(p == where or p.startswith(where + "/") for p in pointers):
            failures.append(f"<embedded '{name}'>: ({where}) cyberex validate rejects it elsewhere: {text[:400]}")


# ---------------------------------------------------------------------------------------------------------------
# 4. scenario files


def scenario_files(root):
    found = []
    top = os.path.join(root, "scenarios")
    skip = os.path.normpath(os.path.join(root, SCHEMA_DIR))
    for directory, subdirs, files in os.walk(top):
        subdirs[:] = sorted(d for d in subdirs if os.path.normpath(os.path.join(directory, d)) != skip)
        found += [os.path.join(directory, f) for f in sorted(files) if f.endswith(".json")]
    return found


def is_play_script(doc, scenario_keys):
    """The engine's scripted team responses ({"responses": [...]}, read by `cyberex run --play`) live beside the
    scenarios but are another format."""
    return isinstance(doc, dict) and "responses" in doc and not scenario_keys.intersection(doc)


def check_files(paths, root, schemas, failures):
    documents = {}
    for path in paths:
        shown = os.path.relpath(path, root)
        try:
            with open(path, encoding="utf-8") as f:
                documents[os.path.normpath(os.path.abspath(path))] = (shown, json.load(f))
        except (OSError, UnicodeDecodeError) as e:
            failures.append(f"{shown}: () cannot read: {e}")
        except json.JSONDecodeError as e:
            failures.append(f"{shown}:{e.lineno}:{e.colno}: () not JSON: {e.msg}")
    fragments = set()
    for key, (shown, doc) in documents.items():
        includes = doc.get("include", []) if isinstance(doc, dict) else []
        for included in includes if isinstance(includes, list) else []:
            if not isinstance(included, str):
                continue
            target = os.path.normpath(os.path.join(os.path.dirname(key), included))
            fragments.add(target)
            if not os.path.isfile(target):
                failures.append(f"{shown}: (/include) included file '{included}' does not exist")
    scenario_keys = set(schemas.main["properties"])
    for key, (shown, doc) in sorted(documents.items(), key=lambda kv: kv[1][0]):
        if is_play_script(doc, scenario_keys) and key not in fragments:
            print(f"skipped {shown}: a play script of team responses, not a scenario")
            continue
        is_fragment = key in fragments
        for e in schemas.errors(doc, is_fragment):
            failures.append(f"{shown}: ({pointer(e.absolute_path)}) {describe(e)}")
        kind = "fragment" if is_fragment else "scenario"
        print(f"checked {shown} as a {kind}")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", default=os.path.normpath(os.path.join(here, "..", "..")),
                        help="repository root (default: two levels above this script)")
    parser.add_argument("--cyberex", metavar="PATH",
                        help="the cyberex command: also check that `cyberex validate` accepts and rejects the "
                             "embedded documents as the schema does")
    parser.add_argument("files", nargs="*", help="scenario files to validate (default: all under scenarios/)")
    args = parser.parse_args()
    root = os.path.abspath(args.root)

    try:
        schemas = Schemas(os.path.join(root, SCHEMA_DIR))
    except (OSError, json.JSONDecodeError, KeyError) as e:
        sys.stderr.write(f"check_schema.py: cannot load the schema from {os.path.join(root, SCHEMA_DIR)}: {e}\n")
        return 2

    failures = []
    if args.files:
        check_files(args.files, os.getcwd(), schemas, failures)
    else:
        ACCEPTED.extend(documentation_examples(root))
        check_schema_files(schemas, failures)
        check_enums(root, schemas, failures)
        check_embedded(schemas, failures)
        print(f"checked {len(ACCEPTED)} embedded valid documents (examples of docs/scenario-format.md included) and "
              f"{len(REJECTED)} embedded broken ones")
        if args.cyberex:
            try:
                check_loader_agrees(args.cyberex, schemas, failures)
            except (OSError, subprocess.SubprocessError) as e:
                failures.append(f"{args.cyberex}: () cannot run it: {e}")
            print(f"compared the schema with {args.cyberex} validate on the embedded documents and "
                  f"{len(QUANTITY_PROBES)} quantities")
        check_files(scenario_files(root), root, schemas, failures)

    for failure in failures:
        print(failure)
    if failures:
        print(f"{len(failures)} failure(s)")
        return 1
    print("all documents valid")
    return 0


if __name__ == "__main__":
    sys.exit(main())
