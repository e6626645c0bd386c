#!/bin/sh
# `warta eval` on small gold files of our own (tests/eval/), scored with the
# fixture rules of tests/data/evalrs; each case's output is compared with
# tests/eval/NAME.expected. UPDATE=1 rewrites the expectations.
set -u
WARTA=${WARTA:-./warta}
D=tests/data/evalrs
fail=0; n=0
run() { # name, then eval arguments
    name=$1; shift
    n=$((n + 1))
    got=$($WARTA eval --data "${D}" "$@" 2>&1)
    if [ -n "${UPDATE:-}" ]; then printf '%s\n' "$got" > "tests/eval/$name.expected"; return; fi
    if ! printf '%s\n' "$got" | diff -u "tests/eval/$name.expected" - ; then
        echo "FAIL eval/$name"; fail=$((fail + 1))
    fi
}
run perfect tests/eval/perfect.conll
run mixture tests/eval/mixture.conll
run empty tests/eval/empty.conll
run enamex tests/eval/mixture.enamex
run brat tests/eval/mixture.ann
run labelstudio tests/eval/mixture-labelstudio.json
run mapped --map PERSON=PERSON,PLACE=LOCATION tests/eval/mapped.jsonl
run errors --errors tests/eval/mixture.conll
# Dates with the real rules: hand-computed P 2/3, R 1, F1 0.8, value 1/2
# (the DURATION gold is neutral).
D=. run dates --errors tests/eval/dates.jsonl
# Claims with the real rules: 4 gold, 5 predicted ("tiga kali" is not gold),
# P 0.8, R 1, F1 0.889; value 3/4 (k4's gold says 15 on purpose).
D=. run claims --errors tests/eval/claims.jsonl
D=tests/data/evalrs
mkdir -p build
$WARTA eval --data "$D" --json build/eval-baseline.json tests/eval/mixture.conll >/dev/null
run diff --diff build/eval-baseline.json tests/eval/perfect.conll
# Usage errors exit 2.
n=$((n + 1))
if $WARTA eval --data "$D" 2>/dev/null || $WARTA eval --bogus x 2>/dev/null || \
   $WARTA eval --data "$D" tests/eval/nope.conll 2>/dev/null; then
    echo "FAIL eval/usage: a usage error did not fail"; fail=$((fail + 1))
fi
echo "eval: $((n - fail)) passed, $fail failed"
[ "$fail" -eq 0 ]
