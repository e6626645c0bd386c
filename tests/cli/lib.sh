# Helpers for tests/cli/test-*.sh (sourced). WARTA, DATA and ROOT come from
# tests/run-cli.sh; the current folder is a fresh temporary one.
set -u
: "${WARTA:?run me through tests/run-cli.sh}"
nfail=0
fail() { echo "not ok: $*"; nfail=$((nfail + 1)); }
ok() { :; }
# expect_rc WANT CMD...: runs CMD (stdout to out.txt, stderr to err.txt).
expect_rc() {
    want=$1; shift
    "$@" > out.txt 2> err.txt
    got=$?
    [ "$got" -eq "$want" ] || fail "exit $got, wanted $want: $*"
}
# has FILE TEXT: FILE contains the fixed string TEXT.
has() { grep -qF -- "$2" "$1" || fail "$1 lacks '$2'"; }
hasnt() { ! grep -qF -- "$2" "$1" || fail "$1 has '$2'"; }
lines() { wc -l < "$1" | tr -d ' '; }
eq() { [ "$1" = "$2" ] || fail "${3:-values differ}: '$1' != '$2'"; }
x() { "$WARTA" extract --data "$DATA" "$@"; }
done_tests() { [ "$nfail" -eq 0 ] || { echo "$nfail failure(s)"; exit 1; }; exit 0; }
