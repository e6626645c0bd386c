#!/bin/sh
# End-to-end tests of the command-line tool: each tests/cli/test-*.sh runs
# with WARTA (the binary, absolute) and DATA (the data folder) set, in a fresh
# temporary folder. Exit 0 passes, 77 skips (with a message), anything else fails.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
WARTA=${WARTA:-$root/warta}
case $WARTA in /*) ;; *) WARTA=$root/$WARTA ;; esac
export WARTA DATA="$root" ROOT="$root"
pass=0; fail=0; skip=0
for t in "$root"/tests/cli/test-*.sh; do
    [ -f "$t" ] || continue
    name=$(basename "$t" .sh)
    dir=$(mktemp -d "${TMPDIR:-/tmp}/warta-cli.XXXXXX")
    out=$(cd "$dir" && sh "$t" 2>&1)
    rc=$?
    rm -rf "$dir"
    if [ $rc -eq 0 ]; then
        pass=$((pass + 1))
    elif [ $rc -eq 77 ]; then
        skip=$((skip + 1)); echo "SKIP cli/$name: $(printf '%s\n' "$out" | tail -1)"
    else
        fail=$((fail + 1)); echo "FAIL cli/$name"; printf '%s\n' "$out" | tail -30
    fi
done
echo "cli: $pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
