# A 50 MB single-line article, generated here: as a text file and as one JSONL
# line. One record each, no error, in bounded time.
. "$ROOT/tests/cli/lib.sh"
command -v timeout >/dev/null || { echo "no timeout(1)"; exit 77; }
python3 - <<'PY'
import json
unit = "Presiden menyatakan bahwa sekitar 1.000 prajurit tiba di kota itu pada Jumat (9/1/2026) "
n = 50 * 1000 * 1000 // len(unit) + 1
body = (unit * n)[:50 * 1000 * 1000]
open("big.txt", "w").write(body)
open("big.jsonl", "w").write(json.dumps({"id": "big", "text": body}) + "\n")
PY
eq "$(wc -c < big.txt | tr -d ' ')" 50000000 "generated size"
expect_rc 0 timeout 300 "$WARTA" extract --data "$DATA" -q big.txt
eq "$(lines out.txt)" 1 "50 MB text: one record"; hasnt out.txt '"error"'
has out.txt '"id":"big.txt"'
expect_rc 0 timeout 300 "$WARTA" extract --data "$DATA" -q big.jsonl
eq "$(lines out.txt)" 1 "50 MB line: one record"; hasnt out.txt '"error"'
# the line limit applies to the line, the article limit to its text
expect_rc 1 timeout 300 "$WARTA" extract --data "$DATA" -q --max-line-bytes 10000000 big.jsonl
has out.txt '"code":"line-too-long"'
expect_rc 1 timeout 300 "$WARTA" extract --data "$DATA" -q --max-article-bytes 10000000 big.txt
has out.txt '"code":"too-big"'
done_tests
