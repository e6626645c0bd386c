#!/bin/sh
# Bad rule and list files with the exact diagnostics they must produce
# (tests/errors/NAME/ is a data folder; NAME.expected holds stderr).
set -u
WARTA=${WARTA:-./warta}
fail=0; n=0
for dir in tests/errors/*/; do
    [ -d "$dir" ] || continue
    name=$(basename "$dir")
    n=$((n + 1))
    got=$($WARTA check --data "$dir" 2>&1 >/dev/null)
    rc=$?
    if [ "$rc" -ne 3 ]; then
        echo "FAIL errors/$name: exit $rc, expected 3"; fail=$((fail + 1)); continue
    fi
    if [ -n "${UPDATE:-}" ]; then printf '%s\n' "$got" > "tests/errors/$name.expected"; continue; fi
    if ! printf '%s\n' "$got" | diff -u "tests/errors/$name.expected" - ; then
        echo "FAIL errors/$name"; fail=$((fail + 1))
    fi
done
echo "errors: $((n - fail)) passed, $fail failed"
[ "$fail" -eq 0 ]
