#!/usr/bin/python3
"""Validates every object of a STIX 2.1 bundle against the OASIS STIX 2.1 JSON schemas, resolved locally.

usage: stix_schema.py --schemas DIR (--bundle FILE | --cyberex BINARY)

With --cyberex, plays Cyber Atlantic 2011 (scripted responses and drill) into a journal and exports its bundle
with `cyberex report --format stix` first. Fails (status 1) when a schema file is missing, a $ref would leave the
schema folder, an object's type has no schema, or an object does not validate. Needs python3-jsonschema (4.10:
RefResolver with a store of the schema files by their $id)."""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import jsonschema

# The schema folders, in the order an object type is looked up.
FOLDERS = ["sdos", "sros", "observables", "common"]
# The object types a cyberex bundle holds; each must have its schema file.
EXPECTED = ["identity", "intrusion-set", "campaign", "attack-pattern", "indicator", "course-of-action",
            "relationship", "sighting"]


def fail(message):
    print("stix_schema: " + message, file=sys.stderr)
    sys.exit(1)


def load_store(root):
    store, by_type = {}, {}
    for folder in FOLDERS:
        path = os.path.join(root, folder)
        if not os.path.isdir(path):
            fail(f"{path}: schema folder missing")
        for name in sorted(os.listdir(path)):
            if not name.endswith(".json"):
                continue
            with open(os.path.join(path, name), encoding="utf-8") as f:
                schema = json.load(f)
            if "$id" not in schema:
                fail(f"{folder}/{name}: schema has no $id")
            store[schema["$id"]] = schema
            by_type.setdefault(name[:-5], schema)
    for t in EXPECTED + ["core", "bundle"]:
        if t not in by_type:
            fail(f"no schema for '{t}' in {root}")
    return store, by_type


def no_remote(uri):
    raise jsonschema.exceptions.RefResolutionError(f"$ref {uri} is not among the local schema files")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--schemas", required=True)
    ap.add_argument("--bundle")
    ap.add_argument("--cyberex")
    args = ap.parse_args()
    store, by_type = load_store(args.schemas)

    if args.bundle:
        with open(args.bundle, encoding="utf-8") as f:
            bundle = json.load(f)
    else:
        with tempfile.TemporaryDirectory(prefix="cyberex-stix-schema-") as tmp:
            journal = os.path.join(tmp, "ca2011.jsonl")
            out = os.path.join(tmp, "bundle.json")
            scenario = "scenarios/cyber-atlantic-2011/"
            subprocess.run([args.cyberex, "play", scenario + "cyber-atlantic-2011.json", "--play",
                            scenario + "responses.json", "--script", scenario + "drill.jsonl", "--quiet",
                            "--journal", journal], check=True, stdout=subprocess.DEVNULL)
            subprocess.run([args.cyberex, "report", journal, "--format", "stix", "-o", out], check=True)
            with open(out, encoding="utf-8") as f:
                bundle = json.load(f)

    handlers = {"http": no_remote, "https": no_remote}
    def validator(schema):
        resolver = jsonschema.RefResolver.from_schema(schema, store=store, handlers=handlers)
        return jsonschema.Draft202012Validator(schema, resolver=resolver)

    errors = 0
    # the envelope (type, id, a non-empty objects array) with its first object; the objects one by one below
    envelope = dict(bundle, objects=bundle.get("objects", [])[:1])
    for e in validator(by_type["bundle"]).iter_errors(envelope):
        print(f"bundle: {e.message}", file=sys.stderr)
        errors += 1
    counts = {}
    for i, obj in enumerate(bundle.get("objects", [])):
        t = obj.get("type")
        if t not in by_type or t in ("core", "bundle"):
            fail(f"/objects/{i}: type {t!r} has no schema")
        counts[t] = counts.get(t, 0) + 1
        for e in validator(by_type[t]).iter_errors(obj):
            where = "/".join(str(p) for p in e.absolute_path)
            print(f"/objects/{i} ({t} {obj.get('id')}) /{where}: {e.message}", file=sys.stderr)
            errors += 1
    for t in EXPECTED:
        if t not in counts:
            fail(f"the bundle holds no {t}: expected at least one")
    if errors:
        fail(f"{errors} schema errors")
    print("stix_schema: " + ", ".join(f"{counts[t]} {t}" for t in sorted(counts)) + ": all valid")


if __name__ == "__main__":
    main()
