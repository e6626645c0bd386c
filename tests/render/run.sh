#!/usr/bin/env bash
# The renderer tests against real consumers (make check runs this).
cd "$(dirname "$0")"
fail=0
for t in test-rdf.sh test-html.sh test-annotations.sh; do
	./"$t" || fail=1
done
exit $fail
