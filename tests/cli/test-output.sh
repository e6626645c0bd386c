# Inputs (folders, gzip, standard input) and outputs (-o atomically, --stats,
# --stats-json, no progress line off a terminal).
. "${ROOT:-/nonexistent}/tests/cli/lib.sh" || { echo "run me through tests/run-cli.sh" >&2; exit 2; }
mkdir -p in/b in/a/deep
printf 'Satu.\n' > in/b/z.txt
printf 'Dua.\n' > in/a/y.txt
printf 'Tiga.\n' > in/a/deep/x.txt
printf 'Empat.\n' | gzip -c > in/a/w.txt.gz
printf '{"id":"j1","text":"Lima."}\n{"id":"j2","text":"Enam."}\n' > in/c.jsonl
gzip -c in/c.jsonl > in/d.jsonl.gz
printf 'hidden\n' > in/.hidden.txt
ln -s .. in/b/loop
# Folders: recursive, in name order; ids are paths inside the folder; .gz read
# through gzip (its id without .gz); hidden files and links to folders skipped.
expect_rc 0 x in
ids=$(python3 -c "import json,sys; print(' '.join(json.loads(l)['id'] for l in open('out.txt')))")
eq "$ids" "a/deep/x.txt a/w.txt a/y.txt b/z.txt j1 j2 j1 j2" "folder walk order"
# gzip on standard input is detected
expect_rc 0 sh -c "gzip -c in/c.jsonl | '$WARTA' extract --data '$DATA'"
cp out.txt gz.out
expect_rc 0 sh -c "'$WARTA' extract --data '$DATA' < in/c.jsonl"
cmp -s gz.out out.txt || fail "gzip on stdin differs from plain"
# --input text reads standard input as one article
expect_rc 0 sh -c "printf 'Satu.\n' | '$WARTA' extract --data '$DATA' --input text"
has out.txt '"id":"stdin"'

# -o: same bytes as standard output, no temporary file left, no messages.
expect_rc 0 x in; cp out.txt stdout.out
expect_rc 0 x -o result.jsonl in
cmp -s stdout.out result.jsonl || fail "-o differs from standard output"
eq "$(lines out.txt)" 0 "-o: nothing on standard output"
eq "$(wc -c < err.txt | tr -d ' ')" 0 "no progress line or message when stderr is not a terminal"
eq "$(ls | grep -c '\.tmp\.')" 0 "no temporary file left"
# error records still give a complete output (exit 1)
printf 'not json\n' > bad.jsonl
expect_rc 1 x -o result2.jsonl bad.jsonl
eq "$(lines result2.jsonl)" 1 "-o with an error record"
# an unreadable input: FILE is not created (an old one is left alone), exit 2
printf 'old\n' > kept.jsonl
expect_rc 2 x -o kept.jsonl in no-such-file
eq "$(cat kept.jsonl)" "old" "-o keeps the old file after a failed run"
has err.txt "kept.jsonl was not written"
expect_rc 2 x -o fresh.jsonl no-such-file
[ ! -e fresh.jsonl ] || fail "-o created a file after a failed run"
eq "$(ls | grep -c '\.tmp\.')" 0 "no temporary file left after a failure"
# an output folder that does not exist
expect_rc 2 x -o no/such/dir/out.jsonl in
has err.txt "cannot write no/such/dir/out.jsonl"
# a full disk: the output cannot be written, exit 2
if [ -w /dev/full ]; then
    expect_rc 2 sh -c "'$WARTA' extract --data '$DATA' in > /dev/full"
    has err.txt "cannot write"
    # every format says so (html writes its page's end when it closes)
    for f in html ntriples labelstudio; do
        expect_rc 2 sh -c "'$WARTA' extract --data '$DATA' --format $f in > /dev/full"
        has err.txt "cannot write"
    done
fi
# killed mid-run: the temporary file goes with it
mkfifo slow.fifo
( "$WARTA" extract --data "$DATA" -o killed.jsonl slow.fifo 2>/dev/null & echo $! > pid; wait ) &
exec 3> slow.fifo
printf '{"id":"k","text":"Satu."}\n' >&3
sleep 0.5
kill -TERM "$(cat pid)"; exec 3>&-; wait
[ ! -e killed.jsonl ] || fail "a killed run left its output"
eq "$(ls | grep -c '\.tmp\.')" 0 "a killed run left its temporary file"

# --stats and --stats-json
expect_rc 1 x --stats --stats-json stats.json in bad.jsonl
has err.txt "warta: 9 articles (1 error records)"
has err.txt "peak RSS"
has err.txt "on $(getconf _NPROCESSORS_ONLN) threads"   # -j defaults to the online cores
python3 - <<'PY' || fail "stats.json"
import json
s = json.load(open("stats.json"))
assert s["articles"] == 9 and s["error_records"] == 1, s
assert s["threads"] >= 1 and s["peak_rss_kib"] > 0 and s["wall_seconds"] > 0, s
for k in ("entities", "mentions", "dates", "numbers", "claims", "warnings", "claims_by_category",
          "text_bytes", "input_bytes", "articles_per_second", "text_mb_per_second"):
    assert k in s, k
assert s["text_bytes"] == len("Satu.\nDua.\nTiga.\nEmpat.\n") + 2 * len("Lima.Enam."), s["text_bytes"]
PY
# --stage-times: a line per stage
expect_rc 0 x --stage-times in
has err.txt "time per stage"; has err.txt "normalize"; has err.txt "emit-json"
expect_rc 0 env WARTA_STAGE_TIMES=1 "$WARTA" extract --data "$DATA" in
has err.txt "time per stage"
# --rule-times: the rules that found these names, with their matches, the
# slowest first; in --stats-json too; not without the option
printf '{"id":"r1","text":"Namun Budi Santoso mengatakan hal itu kepada Presiden Joko Widodo."}\n' > people.jsonl
expect_rc 0 x --rule-times --stats-json rules.json people.jsonl
has err.txt "time per rule"; has err.txt "rules/person.rules:"; has err.txt " person-before-speech"
python3 - <<'PY' || fail "rules.json"
import json
r = json.load(open("rules.json"))["rules"]
secs = [x["seconds"] for x in r]
assert secs == sorted(secs, reverse=True), secs
by = {x["rule"]: x for x in r}
assert by["person-before-speech"]["matches"] >= 1 and by["person-before-speech"]["line"] > 0, by
assert by["person-before-speech"]["file"] == "rules/person.rules", by
PY
expect_rc 0 env WARTA_RULE_TIMES=1 "$WARTA" extract --data "$DATA" people.jsonl
has err.txt "time per rule"
expect_rc 0 x --stats --stats-json plain.json people.jsonl
hasnt err.txt "time per rule"
python3 -c 'import json,sys; sys.exit("rules" in json.load(open("plain.json")))' || fail "rules in plain stats"
# A slow pipe streams: the first record is out before the second line comes.
mkfifo stream.fifo
"$WARTA" extract --data "$DATA" - < stream.fifo > stream.out &
exec 4> stream.fifo
printf '{"id":"s1","text":"Satu."}\n' >&4
n=0; while [ $n -lt 50 ] && ! grep -q '"s1"' stream.out; do sleep 0.1; n=$((n + 1)); done
grep -q '"s1"' stream.out || fail "the first record waited for more input"
printf '{"id":"s2","text":"Dua."}\n' >&4
exec 4>&-; wait
eq "$(lines stream.out)" 2 "streaming: two records"

# On a terminal: a progress line on stderr, cleared at the end; none with -q.
if command -v script >/dev/null; then
    mkfifo prog.fifo
    ( printf '{"id":"p1","text":"Satu."}\n'; sleep 0.8; printf '{"id":"p2","text":"Dua."}\n' ) > prog.fifo &
    script -qc "'$WARTA' extract --data '$DATA' --input jsonl prog.fifo > prog.out" /dev/null > tty.txt
    wait
    has tty.txt "articles/s"
    [ "$(tail -c 4 tty.txt | od -An -c | tr -d ' ')" = '\r033[K' ] || fail "progress line not cleared"
    eq "$(lines prog.out)" 2 "progress: records unaffected"
    ( printf '{"id":"p1","text":"Satu."}\n'; sleep 0.8 ) > prog.fifo &
    script -qc "'$WARTA' extract --data '$DATA' -q --input jsonl prog.fifo > prog.out" /dev/null > tty.txt
    wait
    hasnt tty.txt "articles/s"
fi
# -q silences the statistics of nothing but keeps error messages
expect_rc 1 x -q bad.jsonl; has err.txt "bad.jsonl:1: error"
done_tests
