# --help, --version, unknown options and bad option values (exit 2).
. "${ROOT:-/nonexistent}/tests/cli/lib.sh" || { echo "run me through tests/run-cli.sh" >&2; exit 2; }

expect_rc 0 "$WARTA" --help;               has out.txt "usage: warta extract"
expect_rc 0 "$WARTA" --version;            has out.txt "warta 0."; has out.txt "warta/1"
expect_rc 0 "$WARTA" extract --help;       has out.txt "--max-line-bytes"
has out.txt "--jobs N"; has out.txt "--stats-json FILE"; has out.txt "jsonl"
expect_rc 0 "$WARTA" extract --version;    has out.txt "warta 0."
expect_rc 2 "$WARTA";                      has err.txt "usage:"
expect_rc 2 "$WARTA" frobnicate;           has err.txt "unknown command 'frobnicate'"
expect_rc 2 x --bogus;                     has err.txt "unknown option '--bogus'"
has err.txt "Try 'warta --help'"
expect_rc 2 x -j;                          has err.txt "option --jobs needs a value"
expect_rc 2 x -j zero;                     has err.txt "--jobs takes a positive number, not 'zero'"
expect_rc 2 x -j 0;                        has err.txt "--jobs takes a positive number"
expect_rc 2 x -j -3;                       has err.txt "--jobs takes a positive number"
expect_rc 2 x --max-line-bytes 12k;        has err.txt "--max-line-bytes takes a positive number, not '12k'"
expect_rc 2 x --match-limit 99999999999;   has err.txt "--match-limit takes a positive number"
expect_rc 2 x --input xml;                 has err.txt "--input takes text or jsonl, not 'xml'"
expect_rc 2 x --date 9/1/2026;             has err.txt "--date takes YYYY-MM-DD"
expect_rc 2 x --format docx /dev/null;     has err.txt "unknown format 'docx'"
# usage errors come before any reading: nothing on standard output
eq "$(lines out.txt)" 0 "no output on a usage error"
# '--' ends the options: a file named like an option
printf 'Halo.\n' > ./--odd
expect_rc 0 x -- --odd;                    has out.txt '"id":"--odd"'
# a missing data folder: a clear message, exit 2
expect_rc 2 "$WARTA" extract --data ./no-such-folder /dev/null
has err.txt "no-such-folder"; has err.txt "point --data at the folder"
expect_rc 2 "$WARTA" check --data ./no-such-folder
done_tests
