# The load cache: the same output cold, warm, without it, with a damaged or
# stale file and with a folder that cannot be written; an edited rule is
# picked up at once; nothing is written with --no-cache or when the load fails.
. "${ROOT:-/nonexistent}/tests/cli/lib.sh" || { echo "run me through tests/run-cli.sh" >&2; exit 2; }
cat > in.txt <<'EOF'
Latihan Militer Gabungan

JAKARTA, 3 Maret 2025 - Menteri Pertahanan Sjafrie Sjamsoeddin mengatakan
hingga 15 ribu prajurit dari Amerika Serikat dan Rusia ikut dalam latihan itu.
EOF
x --no-cache in.txt > plain.json || fail "no-cache run"
has plain.json '"Sjafrie Sjamsoeddin"'

x --cache-dir c in.txt > cold.json || fail "cold run"
n=$(ls c | wc -l | tr -d ' ')
eq "$n" 1 "one cache file after a cold run"
cmp -s plain.json cold.json || fail "cold output differs from --no-cache"
f=$(ls c/*.cache)
before=$(cksum < "$f")
x --cache-dir c in.txt > warm.json || fail "warm run"
cmp -s plain.json warm.json || fail "warm output differs from --no-cache"
eq "$(cksum < "$f")" "$before" "a warm run rewrote the cache"

# a damaged file (one byte flipped in the middle) reads as empty and is rewritten
python3 - "$f" <<'PY'
import sys
p = sys.argv[1]
b = bytearray(open(p, "rb").read())
b[len(b) // 2] ^= 0xFF
open(p, "wb").write(bytes(b))
PY
x --cache-dir c in.txt > damaged.json || fail "run over a damaged cache"
cmp -s plain.json damaged.json || fail "output differs over a damaged cache"
eq "$(cksum < "$f")" "$before" "the damaged cache was not rewritten as it was"
# a truncated one too
head -c 100 "$f" > t && mv t "$f"
x --cache-dir c in.txt > short.json || fail "run over a truncated cache"
cmp -s plain.json short.json || fail "output differs over a truncated cache"

# an edited rule takes effect at once: a copy of the data with one rule changed
mkdir data && cp -r "$DATA/rules" "$DATA/gazetteers" data/
x --data data --cache-dir c in.txt > copy.json || fail "run on the copy"
cmp -s plain.json copy.json || fail "the copy of the data gives other output"
python3 - <<'PY'
p = "data/rules/claim.rules"
s = open(p).read()
old = "pattern \\G[ \\t]*(?<unit>"
assert old in s, "claim.rules changed: update this test"
open(p, "w").write(s.replace(old, "pattern \\G[ \\t]*(?!prajurit)(?<unit>", 1))
PY
x --data data --cache-dir c in.txt > edited.json || fail "run on the edited copy"
x --data data --no-cache in.txt > edited-plain.json || fail "no-cache run on the edited copy"
cmp -s edited.json edited-plain.json || fail "the cache hid a rule edit"
cmp -s plain.json edited.json && fail "the rule edit changed nothing (test is void)"

# a failing load writes nothing
echo 'rule broken' >> data/rules/person.rules
echo 'pattern (' >> data/rules/person.rules
rm -rf c2
expect_rc 3 x --data data --cache-dir c2 in.txt
[ -e c2 ] && fail "a failed load created the cache"

# --no-cache writes nothing; an unwritable place is not an error
rm -rf c3
x --no-cache --cache-dir c3 in.txt > /dev/null || fail "--no-cache with --cache-dir"
[ -e c3 ] && fail "--no-cache wrote a cache"
: > file
expect_rc 0 x --cache-dir file/sub in.txt
cmp -s plain.json out.txt || fail "output differs when the cache cannot be written"
eq "$(cat err.txt)" "" "a cache that cannot be written printed something"

# WARTA_CACHE_DIR is the default folder
rm -rf c4
WARTA_CACHE_DIR=$PWD/c4 x in.txt > env.json || fail "run with WARTA_CACHE_DIR"
[ -d c4 ] || fail "WARTA_CACHE_DIR was not used"
done_tests
