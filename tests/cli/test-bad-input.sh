# Untrusted input: each case gives one record (or one error record), a clear
# message, the documented exit status, and never a crash.
. "${ROOT:-/nonexistent}/tests/cli/lib.sh" || { echo "run me through tests/run-cli.sh" >&2; exit 2; }
nofield() { python3 -c "import json,sys; [json.loads(l) for l in open(sys.argv[1])]" "$1" ||
    fail "$1 is not JSONL"; }

# An empty text file is one article with nothing in it (exit 0).
: > empty.txt
expect_rc 0 x empty.txt
eq "$(lines out.txt)" 1 "empty file: one record"
has out.txt '"id":"empty.txt"'; has out.txt '"entities":[]'; hasnt out.txt '"error"'
# An empty JSONL file holds no article: no record, exit 0.
: > empty.jsonl
expect_rc 0 x empty.jsonl
eq "$(lines out.txt)" 0 "empty JSONL: no record"

# Only noise: punctuation, markup and symbols; one record, no entities.
printf '%s\n' '<div class="ad">' '}}}{{{;;;' '$$$ ### @@@ !!!' '<script>var a=[1,2];</script>' \
    '.share-btn{color:#fff;margin:0}' '* * * * *' > noise.txt
expect_rc 0 x noise.txt
eq "$(lines out.txt)" 1 "noise: one record"
has out.txt '"entities":[]'; hasnt out.txt '"error"'

# Invalid UTF-8 (a stray continuation byte, a truncated sequence, 0xFF): a record.
printf 'Presiden tiba \200 di kota \342\202 pada hari \377 Senin.\n' > bad-utf8.txt
expect_rc 0 x bad-utf8.txt
eq "$(lines out.txt)" 1 "invalid UTF-8: one record"; hasnt out.txt '"error"'
printf '{"id":"u","text":"kata \377\376 lain"}\n' > bad-utf8.jsonl
expect_rc 0 x bad-utf8.jsonl
eq "$(lines out.txt)" 1 "invalid UTF-8 in JSONL: one record"; hasnt out.txt '"error"'

# NUL bytes: raw in a text file, raw and escaped in a JSONL line. The text keeps
# its length: the zones reach past the NUL (at 4) to the end (14).
zone_end() { python3 -c "import json,sys
for l in open(sys.argv[1]): print(max([z['end'] for z in json.loads(l)['zones']] or [0]))" "$1"; }
printf 'Satu\000dua tiga.' > nul.txt
expect_rc 0 x nul.txt
eq "$(lines out.txt)" 1 "NUL: one record"; eq "$(zone_end out.txt)" 14 "NUL: text kept"
printf '{"id":"n1","text":"Satu\\u0000dua tiga."}\n{"id":"n2","text":"Satu\000dua tiga."}\n' > nul.jsonl
expect_rc 0 x nul.jsonl
eq "$(lines out.txt)" 2 "NUL in JSONL: two records"; hasnt out.txt '"error"'
eq "$(zone_end out.txt | tr '\n' ' ')" "14 14 " "NUL in JSONL: whole text kept"

# CRLF and lone CR line ends: one record each; a CRLF JSONL file reads as LF.
printf 'Judul\r\n\r\nKalimat satu. Kalimat dua.\r\n' > crlf.txt
printf 'Judul\r\rKalimat satu. Kalimat dua.\r' > cr.txt
expect_rc 0 x crlf.txt; eq "$(lines out.txt)" 1 "CRLF: one record"; hasnt out.txt '"error"'
expect_rc 0 x cr.txt; eq "$(lines out.txt)" 1 "CR: one record"; hasnt out.txt '"error"'
printf '{"id":"a","text":"Satu."}\r\n{"id":"b","text":"Dua.\\r\\nTiga."}\r\n' > crlf.jsonl
printf '{"id":"a","text":"Satu."}\n{"id":"b","text":"Dua.\\r\\nTiga."}\n' > lf.jsonl
expect_rc 0 x crlf.jsonl; cp out.txt crlf.out
expect_rc 0 x lf.jsonl; cmp -s crlf.out out.txt || fail "CRLF JSONL differs from LF JSONL"

# JSONL lines that are no article: an error record each, naming the line; the
# other lines are processed; exit 1 at the end.
{
    printf '{"id":"g1","text":"Baik."}\n'
    printf 'this is not JSON\n'
    printf '{"id":"g2","title":"tanpa teks"}\n'
    printf '{"id":"g3","text":42}\n'
    printf '{"id":"g4","text":null}\n'
    printf '["an","array"]\n'
    printf '{"id":"g5","text":"unterminated}\n'
    printf '\n'
    printf '{"id":"g6","text":"Baik juga."}\n'
    printf '{"id":"g7","text":"trailing"} x\n'
} > mixed.jsonl
expect_rc 1 x mixed.jsonl
nofield out.txt
eq "$(lines out.txt)" 9 "one record per non-blank line"
has out.txt '{"schema":"warta/1","id":"2","error":{"code":"invalid-json","message":"the line is not valid JSON (a JSON object expected at byte 1)","file":"mixed.jsonl","line":2}}'
has out.txt '{"schema":"warta/1","id":"g2","error":{"code":"no-text","message":"the line has no \"text\" field","file":"mixed.jsonl","line":3}}'
has out.txt '{"schema":"warta/1","id":"g3","error":{"code":"bad-text","message":"\"text\" is not a string","file":"mixed.jsonl","line":4}}'
has out.txt '"id":"g4","error":{"code":"bad-text"'
has out.txt '"id":"6","error":{"code":"invalid-json"'
has out.txt '"id":"7","error":{"code":"invalid-json","message":"the line is not valid JSON (unterminated string at byte'
has out.txt '"id":"10","error":{"code":"invalid-json","message":"the line is not valid JSON (text after the JSON object at byte 31)","file":"mixed.jsonl","line":10}}'
eq "$(grep -c '"error"' out.txt)" 7 "seven error records"
has out.txt '"id":"g1","meta"'; has out.txt '"id":"g6","meta"'
has err.txt 'mixed.jsonl:2: error: the line is not valid JSON'
has err.txt 'mixed.jsonl:3: error: the line has no "text" field'
has err.txt 'mixed.jsonl:4: error: "text" is not a string'
has err.txt 'mixed.jsonl:10: error:'
eq "$(grep -c error err.txt)" 7 "a message per error record"

# Limits: a line beyond --max-line-bytes, an article beyond --max-article-bytes.
{
    printf '{"id":"s","text":"pendek"}\n'
    printf '{"id":"l","text":"%s"}\n' "$(head -c 3000 /dev/zero | tr '\0' a)"
    printf '{"id":"t","text":"juga pendek"}\n'
} > long.jsonl
expect_rc 1 x --max-line-bytes 1000 long.jsonl
eq "$(lines out.txt)" 3 "long line: three records"
has out.txt '{"schema":"warta/1","id":"2","error":{"code":"line-too-long","message":"the line has 3020 bytes, more than the limit of 1000 (raise it with --max-line-bytes)","file":"long.jsonl","line":2}}'
has out.txt '"id":"t","meta"'
has err.txt 'long.jsonl:2: error: the line has 3020 bytes'
expect_rc 1 x --max-article-bytes 1000 long.jsonl
has out.txt '"id":"l","error":{"code":"too-big","message":"the article has 3000 bytes, more than the limit of 1000 (raise it with --max-article-bytes)","file":"long.jsonl","line":2}}'
has err.txt 'long.jsonl:2: error: the article has 3000 bytes'
head -c 5000 /dev/zero | tr '\0' b > big.txt
expect_rc 1 x --max-article-bytes 4096 big.txt empty.txt
eq "$(lines out.txt)" 2 "too big text file: two records"
has out.txt '{"schema":"warta/1","id":"big.txt","error":{"code":"too-big","message":"the article has 5000 bytes, more than the limit of 4096 (raise it with --max-article-bytes)","file":"big.txt"}}'
has err.txt 'big.txt: error: the article has 5000 bytes'
# the PCRE2 limits are accepted (their effect is tested with the rules)
expect_rc 0 x --match-limit 5000 --depth-limit 100 --heap-limit 1000 --max-mentions 10 lf.jsonl

# An input that cannot be read: a message, the rest is processed, exit 2.
expect_rc 2 x empty.txt no-such-file.txt lf.jsonl
has err.txt 'warta: cannot open no-such-file.txt: No such file or directory'
eq "$(lines out.txt)" 3 "the readable inputs are processed"
if [ "$(id -u)" -ne 0 ]; then
    printf 'x' > secret.txt; chmod 000 secret.txt
    expect_rc 2 x secret.txt; has err.txt 'cannot open secret.txt: Permission denied'
else
    echo "(running as root: the permission case is not testable)"
fi
# A corrupt gzip file: what was read is kept, then a read error, exit 2.
gzip -c lf.jsonl > good.jsonl.gz
head -c 30 good.jsonl.gz > cut.jsonl.gz
expect_rc 2 x cut.jsonl.gz
has err.txt 'warta: cut.jsonl.gz: read error at line'
done_tests
