#!/bin/sh
# make rule-profile: the instructions each rule costs per pass over a slice of
# news (its callouts and tests included), from callgrind, with the build of
# one function per rule (WARTA_RULE_PROFILE, build-prof/). A pass is the run
# over the slice twice minus the run over it once, so that loading and the
# JIT compiles, paid once, drop out. Instructions do not move with the
# machine's load, as --rule-times' seconds do: use it to compare two versions
# of a rule. RULE_PROFILE_CORPUS=FILE (JSONL) picks the text, DATA=DIR the rules.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$root/${1:-build-prof/warta}
data=${DATA:-$root}
corpus=${RULE_PROFILE_CORPUS:-$root/../shared/corpus/news.jsonl}
for tool in valgrind callgrind_annotate python3; do
    command -v $tool >/dev/null || { echo "rule-profile: $tool is not installed (apt-get install valgrind python3)"; exit 0; }
done
[ -f "$corpus" ] || { echo "rule-profile: no corpus at $corpus; set RULE_PROFILE_CORPUS=FILE (JSONL)"; exit 0; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/warta-rprof.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# about 1.5 MB of JSONL, whole lines
awk '{n += length($0) + 1; if (n > 1500000) exit; print}' "$corpus" > "$tmp/one.jsonl"
cat "$tmp/one.jsonl" "$tmp/one.jsonl" > "$tmp/two.jsonl"
run() {
    valgrind --tool=callgrind --callgrind-out-file="$tmp/$1.out" "$bin" extract -j1 --quiet \
        --cache-dir "$tmp/cache" --data "$data" --input jsonl "$tmp/$1.jsonl" >/dev/null 2>&1
}
"$bin" extract -j1 --quiet --cache-dir "$tmp/cache" --data "$data" --input jsonl /dev/null
echo "rule-profile: $(wc -c < "$tmp/one.jsonl") bytes of $corpus, once and twice (a few minutes)"
run one
run two
python3 - "$tmp" "$data" <<'PY'
import glob, os, re, subprocess, sys
tmp, data = sys.argv[1], sys.argv[2]
def per_rule(name):
    out = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100",
                          os.path.join(tmp, name + ".out")], capture_output=True, text=True).stdout
    cost, total = {}, 0
    for line in out.splitlines():
        m = re.match(r"\s*([\d,]+) \([^)]*\)\s+\S*:S_rule_([0-9a-f]{2})\b", line)
        if m:
            k = int(m.group(2), 16)
            cost[k] = cost.get(k, 0) + int(m.group(1).replace(",", ""))
        m = re.match(r"\s*([\d,]+) \([^)]*\)\s+PROGRAM TOTALS", line)
        if m:
            total = int(m.group(1).replace(",", ""))
    return cost, total
# rules in load order: files by name, rules in file order
rules = []
for f in sorted(glob.glob(os.path.join(data, "rules", "*.rules"))):
    for n, line in enumerate(open(f, encoding="utf-8"), 1):
        m = re.match(r"rule\s+(\S+)", line)
        if m:
            rules.append(f"rules/{os.path.basename(f)}:{n} {m.group(1)}")
(one, t1), (two, t2) = per_rule("one"), per_rule("two")
print(f"rule-profile: {(t2 - t1) / 1e6:.1f} M instructions per pass in all")
if len(rules) > 256:
    print("rule-profile: more than 256 rules: indexes mod 256 share a line below")
print("  M/pass  rule")
for k in sorted(two, key=lambda k: -(two[k] - one.get(k, 0)))[:25]:
    print(f"{(two[k] - one.get(k, 0)) / 1e6:8.2f}  {rules[k] if k < len(rules) else k}")
PY
