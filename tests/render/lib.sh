# Shared by the tests/render scripts (sourced). Sets ROOT, DRIVER, WARTA,
# TMP (removed on exit) and CLI_FORMATS=1 when ./warta has --format.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
BUILD=${BUILD:-build}
DRIVER=${DRIVER:-$BUILD/tests/test_render}
WARTA=${WARTA:-./warta}
FIXTURE=tests/render/fixture.jsonl
TMP=$(mktemp -d "${TMPDIR:-/tmp}/wrender.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
[ -x "$DRIVER" ] || { echo "$0: $DRIVER is missing (make unit builds it)"; exit 2; }
CLI_FORMATS=0
if "$WARTA" extract --help 2>&1 | grep -q -- '--format'; then CLI_FORMATS=1; fi
# Articles the real pipeline renders: ours, the examples, the corpus tests' texts.
real_inputs() {
	ls tests/render/articles/*.txt examples/*.txt tests/corpus/*.txt tests/corpus/*.jsonl 2>/dev/null || true
}
fails=0
ok()   { echo "  ok   $*"; }
bad()  { echo "  FAIL $*"; fails=$((fails + 1)); }
done_() { if [ "$fails" -gt 0 ]; then echo "$1: $fails failure(s)"; exit 1; fi; echo "$1: all passed"; }
