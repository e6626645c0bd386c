#!/usr/bin/env bash
# The ntriples format against real consumers: every output parses with rapper
# (raptor2-utils) without an error or warning, and the README's SPARQL query
# (claims-about-korea-utara.rq) returns the expected rows under rdflib.
source "$(dirname "$0")/lib.sh"
echo "== tests/render/test-rdf.sh"
if ! command -v rapper >/dev/null 2>&1; then
	echo "  skip: rapper is not installed (apt-get install raptor2-utils)"
	exit 0
fi

# Parses $1 strictly; $2 names it.
parse() {
	local n
	if ! rapper -i ntriples -c "$1" >"$TMP/rapper.out" 2>&1 || grep -qi 'warning\|error' "$TMP/rapper.out"; then
		bad "$2 does not parse:"; sed 's/^/       /' "$TMP/rapper.out" | head -5; return
	fi
	n=$(sed -n 's/.*returned \([0-9]*\) triples.*/\1/p' "$TMP/rapper.out")
	if [ "${n:-0}" -gt 0 ]; then ok "$2: $n triples"; else bad "$2: no triples"; fi
}

"$DRIVER" render ntriples "$FIXTURE" >"$TMP/fixture.nt"
parse "$TMP/fixture.nt" "fixture (default base IRI)"
"$DRIVER" render ntriples "$FIXTURE" "urn:example:kg:" >"$TMP/urn.nt"
parse "$TMP/urn.nt" "fixture (--base-iri urn:example:kg:)"
grep -q '^<urn:example:kg:entity/iso3166:KP> ' "$TMP/urn.nt" && ok "base IRI applied" || bad "base IRI not applied"

if [ "$CLI_FORMATS" = 1 ]; then
	for f in $(real_inputs); do
		if "$WARTA" extract --quiet --date 2026-01-10 --format ntriples "$f" >"$TMP/real.nt" 2>"$TMP/err"; then :; else
			[ $? -eq 1 ] || { bad "warta extract --format ntriples $f failed"; cat "$TMP/err"; continue; }
		fi
		parse "$TMP/real.nt" "warta extract --format ntriples $f"
	done
else
	echo "  skip: ./warta has no --format yet; only the fixture was rendered"
fi

PY=
for p in python3 /usr/bin/python3; do
	if "$p" -c 'import rdflib' 2>/dev/null; then PY=$p; break; fi
done
if [ -z "$PY" ]; then
	echo "  skip: rdflib is not installed (apt-get install python3-rdflib)"
else
	"$PY" tests/render/sparql.py tests/render/claims-about-korea-utara.rq "$TMP/fixture.nt" >"$TMP/rows"
	if diff -u tests/render/claims-about-korea-utara.expected "$TMP/rows" >"$TMP/diff"; then
		ok "SPARQL: claims about Korea Utara by source ($(wc -l <"$TMP/rows") rows)"
	else
		bad "SPARQL rows differ:"; cat "$TMP/diff"
	fi
fi
done_ test-rdf
