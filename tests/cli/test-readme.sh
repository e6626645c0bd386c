#!/bin/sh
# README's first example ("What it does, on one article") is what warta
# prints: its input is run, and every field the README shows of the output
# must be in the real record with the same value (the README cuts the record:
# "[...]" stands for any list, "..." for the fields left out, and a list of
# objects with ids is matched by id). Keeps the front door true when rules,
# lists or the record change.
. "$ROOT/tests/cli/lib.sh"
command -v python3 >/dev/null || { echo "python3 is not installed"; exit 77; }
python3 - "$ROOT/README.md" > input.jsonl 2> expected.json <<'PY' || fail "README example not found"
import json, re, sys
text = open(sys.argv[1], encoding="utf-8").read()
part = text.split("## What it does, on one article", 1)[1]
blocks = re.findall(r"```json\n(.*?)```", part, re.S)
print(json.dumps(json.loads(blocks[0]), ensure_ascii=False))
sys.stderr.write(blocks[1])
PY
x - < input.jsonl > out.jsonl 2> err.txt || fail "extract failed: $(cat err.txt)"
python3 - expected.json out.jsonl <<'PY' || fail "README example differs from the output"
import json, re, sys
shown = open(sys.argv[1], encoding="utf-8").read()
# the README's cuts, made JSON: any list, and fields left out
shown = shown.replace("[...]", '"<any>"')
shown = re.sub(r",\s*\.\.\.\s*}", "}", shown)
want = json.loads(shown)
got = json.loads(open(sys.argv[2], encoding="utf-8").readline())
bad = []
def same(w, g, at):
    if w == "<any>":
        return
    if isinstance(w, dict):
        if not isinstance(g, dict):
            bad.append(f"{at}: not an object in the output")
            return
        for k, v in w.items():
            if k not in g:
                bad.append(f"{at}.{k}: not in the output")
            else:
                same(v, g[k], f"{at}.{k}")
    elif isinstance(w, list):
        if not isinstance(g, list):
            bad.append(f"{at}: not a list in the output")
            return
        ids = {x.get("id"): x for x in g if isinstance(x, dict)}
        if all(isinstance(x, dict) and "id" in x for x in w):
            for x in w:
                if x["id"] not in ids:
                    bad.append(f"{at}[{x['id']}]: not in the output")
                else:
                    same(x, ids[x["id"]], f"{at}[{x['id']}]")
        elif len(w) != len(g):
            bad.append(f"{at}: {len(w)} items shown, {len(g)} in the output")
        else:
            for i, (a, b) in enumerate(zip(w, g)):
                same(a, b, f"{at}[{i}]")
    elif w != g:
        bad.append(f"{at}: README shows {json.dumps(w, ensure_ascii=False)}, "
                   f"warta prints {json.dumps(g, ensure_ascii=False)}")
same(want, got, "record")
# every entity of the output is shown: the list is cut only inside
shown_ids = [e["id"] for e in want.get("entities", [])]
got_ids = [e["id"] for e in got.get("entities", [])]
if shown_ids != got_ids:
    bad.append(f"record.entities: README shows {shown_ids}, warta prints {got_ids}")
for b in bad:
    print(b)
sys.exit(1 if bad else 0)
PY
done_tests
