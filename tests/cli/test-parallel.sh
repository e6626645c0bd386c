# Beyond one machine: GNU parallel cuts standard input into blocks at line
# ends and runs one warta per block; with -k the output equals a plain run.
. "${ROOT:-/nonexistent}/tests/cli/lib.sh" || { echo "run me through tests/run-cli.sh" >&2; exit 2; }
command -v parallel >/dev/null || { echo "GNU parallel is not installed"; exit 77; }
corpus="$ROOT/../shared/corpus/news.jsonl"
if [ -f "$corpus" ]; then
    cp "$corpus" in.jsonl
else
    python3 -c "
import json
for i in range(20000):
    print(json.dumps({'id': 'a%d' % i, 'text': 'Menteri tiba di Jakarta pada Senin bersama %d prajurit.' % i}))
" > in.jsonl
fi
expect_rc 0 x -q in.jsonl; cp out.txt plain.out
# 1M blocks so that even a small input is cut in several
expect_rc 0 sh -c "parallel --will-cite --pipe --block 1M -k '$WARTA' extract --data '$DATA' -q --input jsonl - < in.jsonl"
cmp -s plain.out out.txt || fail "parallel --pipe output differs from a plain run"
eq "$(lines out.txt)" "$(grep -ac . in.jsonl)" "a record per line"
expect_rc 0 sh -c "parallel --will-cite --pipe --block 10M -k '$WARTA' extract --data '$DATA' -q --input jsonl - < in.jsonl"
cmp -s plain.out out.txt || fail "parallel --pipe --block 10M output differs from a plain run"
done_tests
