# "Nothing lost": a generated dump mixing good articles, lines that are not
# JSON, invalid UTF-8 and oversized articles and lines. Every non-blank input
# line gives exactly one output line, in order; each bad line an error record
# with its line number; good lines the same record as when run alone; exit 1;
# the same bytes under -j 1, 2 and 8. Then -j 1/2/8 on the real corpus.
. "${ROOT:-/nonexistent}/tests/cli/lib.sh" || { echo "run me through tests/run-cli.sh" >&2; exit 2; }
python3 - <<'PY'
import json, random
random.seed(7)
words = ("Presiden Menteri Pertahanan tiba di Jakarta pada Senin ketika sekitar 1.000 "
         "prajurit dan dua ribu insinyur dikerahkan ke perbatasan menurut kantor berita "
         "resmi yang dikutip Reuters Korea Utara Rusia Ukraina 15 ribu 2,5 juta hingga").split()
def text(n):
    return " ".join(random.choice(words) for _ in range(n)) + "."
out, good, kinds = open("dump.jsonl", "wb"), open("good.jsonl", "wb"), []
for i in range(1, 301):
    r = random.random()
    if r < 0.10:
        line, k = b'{"id":"x%d","text":"unterminated' % i, "bad"
    elif r < 0.15:
        line, k = b'not json at all %d' % i, "bad"
    elif r < 0.20:
        line, k = json.dumps({"id": "n%d" % i}).encode(), "bad"          # no text
    elif r < 0.30:  # invalid UTF-8 inside the text: still an article
        t = text(30).encode()
        line, k = b'{"id":"u%d","text":"' % i + t[:20] + b"\xff\xfe\xc3" + t[20:] + b'"}', "good"
    elif r < 0.35:
        line, k = json.dumps({"id": "big%d" % i, "text": text(2000)}).encode(), "bad"   # > 8000 text bytes
    elif r < 0.38:
        line, k = json.dumps({"id": "long%d" % i, "text": "a" * 70000}).encode(), "bad"  # > 60000 line bytes
    else:
        line, k = json.dumps({"id": "g%d" % i, "title": "Berita %d" % i, "text": text(60),
                              "date": "2026-01-%02d" % (i % 28 + 1)}, ensure_ascii=False).encode(), "good"
    out.write(line + b"\n")
    if k == "good":
        good.write(line + b"\n")
    kinds.append(k)
open("kinds.txt", "w").write("\n".join(kinds) + "\n")
PY
L="--max-article-bytes 8000 --max-line-bytes 60000"
expect_rc 1 x $L -j 1 dump.jsonl; cp out.txt j1.out; cp err.txt j1.err
expect_rc 1 x $L -j 2 dump.jsonl; cmp -s j1.out out.txt || fail "-j 2 output differs from -j 1"
cmp -s j1.err err.txt || fail "-j 2 messages differ from -j 1"
expect_rc 1 x $L -j 8 dump.jsonl; cmp -s j1.out out.txt || fail "-j 8 output differs from -j 1"
# the good lines alone, as one file, and a few of them each on its own
expect_rc 0 x $L good.jsonl; cp out.txt good.out
python3 - "$WARTA" "$DATA" <<'PY' || fail "records do not match (see above)"
import json, subprocess, sys
warta, data = sys.argv[1], sys.argv[2]
kinds = open("kinds.txt").read().split()
outs = open("j1.out", "rb").read().split(b"\n")[:-1]
good = open("good.out", "rb").read().split(b"\n")[:-1]
inl = open("dump.jsonl", "rb").read().split(b"\n")[:-1]
bad = 0
assert len(outs) == len(inl) == len(kinds), (len(outs), len(inl))
gi = 0
for i, (k, o) in enumerate(zip(kinds, outs), 1):
    rec = json.loads(o)
    if k == "bad":
        bad += 1
        assert rec["error"]["line"] == i, (i, rec)
        assert rec["error"]["file"] == "dump.jsonl"
    else:
        assert "error" not in rec, (i, rec)
        assert o == good[gi], "line %d differs from its run among good lines only" % i
        if gi % 10 == 0:  # on its own
            alone = subprocess.run([warta, "extract", "--data", data, "-"], input=inl[i - 1] + b"\n",
                                   capture_output=True).stdout
            assert alone == o + b"\n", "line %d differs from its run alone" % i
        gi += 1
assert gi == len(good)
err = open("j1.err").read().splitlines()
assert len(err) == bad, (len(err), bad)
assert all(l.startswith("dump.jsonl:") for l in err)
print("lines", len(outs), "bad", bad, "good", gi)
PY

corpus="$ROOT/../shared/corpus/news.jsonl"
if [ -f "$corpus" ]; then
    "$WARTA" extract --data "$DATA" -q -j 1 "$corpus" > c1.out || fail "corpus -j 1 failed"
    "$WARTA" extract --data "$DATA" -q -j 2 "$corpus" > c2.out || fail "corpus -j 2 failed"
    "$WARTA" extract --data "$DATA" -q -j 8 "$corpus" > c8.out || fail "corpus -j 8 failed"
    eq "$(lines c1.out)" "$(grep -ac . "$corpus")" "corpus: a record per line"
    cmp -s c1.out c2.out || fail "corpus: -j 2 differs from -j 1"
    cmp -s c1.out c8.out || fail "corpus: -j 8 differs from -j 1"
else
    echo "($corpus absent: the corpus comparison is skipped)"
fi
done_tests
