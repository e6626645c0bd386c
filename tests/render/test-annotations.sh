#!/usr/bin/env bash
# The labelstudio and brat formats, checked as the tools read them by
# check-annotations.py (python3, standard library only): Label Studio's field
# names and code point offsets; brat's .txt/.ann pairs and annotation.conf.
source "$(dirname "$0")/lib.sh"
echo "== tests/render/test-annotations.sh"
if ! command -v python3 >/dev/null 2>&1; then
	echo "  skip: python3 is not installed"
	exit 0
fi
check() { # check KIND PATH NAME
	if python3 tests/render/check-annotations.py "$1" "$2" >"$TMP/out" 2>&1; then
		ok "$3: $(tail -1 "$TMP/out")"
	else
		bad "$3:"; sed 's/^/       /' "$TMP/out" | head -10
	fi
}

"$DRIVER" render labelstudio "$FIXTURE" >"$TMP/ls.json"
check labelstudio "$TMP/ls.json" "labelstudio fixture"
mkdir "$TMP/brat"
"$DRIVER" render brat "$FIXTURE" - "$TMP/brat" >/dev/null
check brat "$TMP/brat" "brat fixture"

if [ "$CLI_FORMATS" = 1 ]; then
	dir_opt=-o
	"$WARTA" extract --help 2>&1 | grep -q -- '--out-dir' && dir_opt=--out-dir
	for f in $(real_inputs); do
		"$WARTA" extract --quiet --date 2026-01-10 --format labelstudio "$f" >"$TMP/ls.json" 2>/dev/null || [ $? -eq 1 ] ||
			bad "warta extract --format labelstudio $f failed"
		check labelstudio "$TMP/ls.json" "labelstudio $f"
		rm -rf "$TMP/brat" && mkdir "$TMP/brat"
		"$WARTA" extract --quiet --date 2026-01-10 --format brat "$dir_opt" "$TMP/brat" "$f" >/dev/null 2>&1 || [ $? -eq 1 ] ||
			bad "warta extract --format brat $dir_opt DIR $f failed"
		check brat "$TMP/brat" "brat $f"
	done
else
	echo "  skip: ./warta has no --format yet; only the fixture was rendered"
fi
done_ test-annotations
