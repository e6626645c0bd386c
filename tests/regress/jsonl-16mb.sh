#!/bin/sh
# A JSONL line of 16 MB through the CLI, generated here (nothing big is
# committed): an article full of names, numbers and dates, then a 16 MB line
# that is cut off (invalid JSON), then a small article. Each line must get its
# record, in order; the cut line an error record; the exit status says 1.
set -u
WARTA=${WARTA:-./warta}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/warta-16mb.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
python3 - "$tmp" <<'PY'
import json, sys
d = sys.argv[1]
unit = ("Presiden Prabowo Subianto bertemu Kim Jong-un di Pyongyang, Korea Utara, Selasa "
        "(13/1/2026); sekitar 15 ribu prajurit dan Rp 2,5 triliun disebut. ")
body = (unit * (16 * 2**20 // len(unit) + 1))[:16 * 2**20]
line = json.dumps({"id": "big", "text": body, "date": "2026-01-13"}, ensure_ascii=False)
with open(d + "/in.jsonl", "w") as f:
    f.write(line + "\n")
    f.write(line[:-40] + "\n")             # cut: not valid JSON
    f.write(json.dumps({"id": "small", "text": "Jepang dan Korea Utara."}) + "\n")
PY
fail=0
"$WARTA" extract --data . -q "$tmp/in.jsonl" > "$tmp/out.jsonl" 2> "$tmp/err.txt"
rc=$?
[ "$rc" -eq 1 ] || { echo "FAIL jsonl-16mb: exit $rc, want 1"; cat "$tmp/err.txt"; fail=1; }
python3 - "$tmp/out.jsonl" <<'PY' || fail=1
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
assert len(recs) == 3, "%d records, want 3" % len(recs)
big, cut, small = recs
assert big["id"] == "big" and "error" not in big, "the 16 MB article lost its record"
assert len(big["entities"]) >= 1, "no entity in the 16 MB article"
assert "error" in cut and cut["error"]["code"] == "invalid-json", cut.get("error")
assert small["id"] == "small" and "error" not in small
print("jsonl-16mb: 3 records (%d entities in the big one), cut line an error record"
      % len(big["entities"]))
PY
exit $fail
