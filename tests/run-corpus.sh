#!/bin/sh
# End-to-end: each tests/corpus/X.txt (or X.jsonl) is run through warta and
# its output compared byte for byte with X.json. UPDATE=1 rewrites the
# expected files (review the git diff). X.args may hold extra arguments.
set -u
WARTA=${WARTA:-./warta}
fail=0; n=0
for in in tests/corpus/*.txt tests/corpus/*.jsonl; do
    [ -f "$in" ] || continue
    base=${in%.*}
    n=$((n + 1))
    args=""; [ -f "$base.args" ] && args=$(cat "$base.args")
    # shellcheck disable=SC2086
    got=$($WARTA extract --data . $args "$in" 2>/dev/null)
    if [ -n "${UPDATE:-}" ]; then printf '%s\n' "$got" > "$base.json"; continue; fi
    if ! printf '%s\n' "$got" | diff -u "$base.json" - > /tmp/warta-diff.$$ ; then
        echo "FAIL corpus/$(basename "$in")"; fail=$((fail + 1))
        # a record is one long line: show the difference field by field
        if command -v python3 >/dev/null 2>&1; then
            printf '%s\n' "$got" | python3 -m json.tool --json-lines --no-ensure-ascii \
                > /tmp/warta-got.$$ 2>/dev/null
            python3 -m json.tool --json-lines --no-ensure-ascii "$base.json" \
                > /tmp/warta-want.$$ 2>/dev/null
            diff -u /tmp/warta-want.$$ /tmp/warta-got.$$ | head -60
            rm -f /tmp/warta-got.$$ /tmp/warta-want.$$
        else
            head -40 /tmp/warta-diff.$$
        fi
    fi
    rm -f /tmp/warta-diff.$$
done
echo "corpus: $((n - fail)) passed, $fail failed"
[ "$fail" -eq 0 ]
