# A 50 MB single-line article, generated here: as a text file (one record, no
# error, in bounded time) and as one JSONL line (read whole or skipped).
. "${ROOT:-/nonexistent}/tests/cli/lib.sh" || { echo "run me through tests/run-cli.sh" >&2; exit 2; }
command -v timeout >/dev/null || { echo "no timeout(1)"; exit 77; }
python3 - <<'PY'
import json
unit = "Presiden menyatakan bahwa para prajurit tiba di kota itu pada hari yang sama. "
n = 50 * 1000 * 1000 // len(unit) + 1
body = (unit * n)[:50 * 1000 * 1000]
open("big.txt", "w").write(body)
open("big.jsonl", "w").write(json.dumps({"id": "big", "text": body}) + "\n")
PY
eq "$(wc -c < big.txt | tr -d ' ')" 50000000 "generated size"
expect_rc 0 timeout 300 "$WARTA" extract --data "$DATA" -q big.txt
eq "$(lines out.txt)" 1 "50 MB text: one record"; hasnt out.txt '"error"'
has out.txt '"id":"big.txt"'
# The JSONL line is read and decoded whole, then turned away by the article
# limit (one full pipeline run above is enough for make check); a line limit
# skips it without holding it.
expect_rc 1 timeout 300 "$WARTA" extract --data "$DATA" -q --max-article-bytes 49999999 big.jsonl
eq "$(lines out.txt)" 1 "50 MB line: one record"
has out.txt '"id":"big","error":{"code":"too-big","message":"the article has 50000000 bytes'
has out.txt '"line":1}}'
expect_rc 1 timeout 300 "$WARTA" extract --data "$DATA" -q --max-line-bytes 10000000 big.jsonl
has out.txt '"code":"line-too-long","message":"the line has 50000025 bytes'
expect_rc 1 timeout 300 "$WARTA" extract --data "$DATA" -q --max-article-bytes 10000000 big.txt
has out.txt '"code":"too-big","message":"the article has 50000000 bytes'
done_tests
