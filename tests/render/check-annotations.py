#!/usr/bin/env python3
"""check-annotations.py labelstudio FILE.json | brat DIR

Checks warta's annotation-tool output the way the tools read it:
- labelstudio: a JSON array of tasks; every task has data.text/id/title and
  predictions[].result[] regions with the field names Label Studio's Labels
  control expects, naming the control, object and labels of
  labelstudio-config.xml; text[start:end] (code points) equals value.text.
- brat: for every DIR/X.ann next to DIR/X.txt, each T line's fragments cut
  from the .txt (characters, line ends kept) give its text; every
  AnnotatorNotes points at a T; annotation.conf declares every type.
Prints one line per problem and exits 1 if there is any."""
import json, os, re, sys
import xml.etree.ElementTree as ET

# The labels, and the control and object names, of the labeling config that
# the README gives (tests/render/labelstudio-config.xml).
_conf = ET.parse(os.path.join(os.path.dirname(os.path.abspath(__file__)), "labelstudio-config.xml"))
_labels = _conf.getroot().find("Labels")
LABELS = {l.get("value") for l in _labels.findall("Label")}
FROM, TO = _labels.get("name"), _labels.get("toName")
assert _conf.getroot().find("Text").get("name") == TO
problems = []

def labelstudio(path):
    with open(path, encoding="utf-8") as f:
        tasks = json.load(f)
    if not isinstance(tasks, list):
        problems.append("not a JSON array")
        return 0
    n = 0
    for i, t in enumerate(tasks):
        d = t.get("data", {})
        if not isinstance(d.get("text"), str) or "id" not in d or "title" not in d:
            problems.append(f"task {i}: data needs text, id, title")
            continue
        for p in t.get("predictions", []):
            if not str(p.get("model_version", "")).startswith("warta-"):
                problems.append(f"task {i}: model_version {p.get('model_version')!r}")
            for r in p.get("result", []):
                n += 1
                want = {"id", "from_name", "to_name", "type", "value"}
                if set(r) != want or r["from_name"] != FROM or r["to_name"] != TO \
                        or r["type"] != "labels":
                    problems.append(f"task {i}: region fields {sorted(r)}")
                    continue
                v = r["value"]
                if set(v) != {"start", "end", "text", "labels"} or not set(v["labels"]) <= LABELS:
                    problems.append(f"task {i}: value {v}")
                elif d["text"][v["start"]:v["end"]] != v["text"]:
                    problems.append(f"task {i} {r['id']}: text[{v['start']}:{v['end']}] is "
                                    f"{d['text'][v['start']:v['end']]!r}, not {v['text']!r}")
    return n

def brat(folder):
    conf = os.path.join(folder, "annotation.conf")
    declared = set()
    if os.path.exists(conf):
        section = None
        for line in open(conf, encoding="utf-8"):
            line = line.strip()
            if line.startswith("["):
                section = line
            elif line and not line.startswith("#") and section == "[entities]":
                declared.add(line)
    else:
        problems.append("no annotation.conf")
    n = 0
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".ann"):
            continue
        base = name[:-4]
        with open(os.path.join(folder, base + ".txt"), encoding="utf-8", newline="") as f:
            text = f.read()
        tids = set()
        for line in open(os.path.join(folder, name), encoding="utf-8", newline=""):
            line = line.rstrip("\n")
            if line.startswith("T"):
                n += 1
                m = re.fullmatch(r"(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t(.*)", line)
                if not m:
                    problems.append(f"{name}: bad line {line!r}")
                    continue
                tid, typ, offs, got = m.groups()
                tids.add(tid)
                if typ not in declared:
                    problems.append(f"{name}: type {typ} not in annotation.conf")
                frags = [tuple(map(int, o.split())) for o in offs.split(";")]
                want = " ".join(text[s:e] for s, e in frags)
                if want != got or any(s >= e for s, e in frags):
                    problems.append(f"{name} {tid}: offsets give {want!r}, line says {got!r}")
            elif line.startswith("#"):
                m = re.fullmatch(r"#\d+\tAnnotatorNotes (T\d+)\t[^\t]*", line)
                if not m or m.group(1) not in tids:
                    problems.append(f"{name}: bad note {line!r}")
            elif line:
                problems.append(f"{name}: unexpected line {line!r}")
    return n

kind, path = sys.argv[1], sys.argv[2]
count = labelstudio(path) if kind == "labelstudio" else brat(path)
for p in problems:
    print(p)
print(f"{count} regions checked")
sys.exit(1 if problems else 0)
