#!/usr/bin/env bash
# Runs every go test -fuzz target of the module, one after another, each for
# the given budget: a duration (default 1m) or a count of executions such as
# 20000x. CI runs a count; run it longer before a release:
#   bash scripts/fuzz.sh 10m
# A failing input is written to the package's testdata/fuzz/<Target>/, where
# go test runs it as a seed from then on: commit it with the fix.
#
# With a duration, Go 1.26's fuzzing coordinator can end a run that found
# nothing with "context deadline exceeded" (go.dev/issue/75804, fixed in Go
# 1.27). Such a run wrote no failing input; it is reported and not counted
# as a failure. Counts never meet that race.
set -euo pipefail
cd "$(dirname "$0")/.."
budget="${1:-1m}"

targets=$(grep -rho --include='*_test.go' --exclude-dir=testdata '^func Fuzz[A-Za-z0-9_]*' . |
	sort -u | sed 's/^func //')
[ -n "$targets" ] || { echo "no fuzz targets found"; exit 1; }
# files in a corpus directory (0 if there is none yet)
count() { if [ -d "$1" ]; then ls "$1" | wc -l; else echo 0; fi; }

failed=0
for target in $targets; do
	dir=$(grep -rl --include='*_test.go' "^func $target(" . | head -1 | xargs dirname)
	corpus="$dir/testdata/fuzz/$target"
	before=$(count "$corpus")
	echo "== $dir $target ($budget)"
	log=$(mktemp)
	if go test "$dir" -run '^$' -fuzz "^$target\$" -fuzztime "$budget" >"$log" 2>&1; then
		tail -1 "$log"
	elif [ "$(count "$corpus")" = "$before" ] && grep -q 'context deadline exceeded' "$log"; then
		echo "   ended by Go's fuzztime race (go.dev/issue/75804); no failing input was found"
	else
		cat "$log"
		failed=1
	fi
	rm -f "$log"
done
[ "$failed" = 0 ] || { echo "fuzz: a target failed; its input is in testdata/fuzz"; exit 1; }
echo "fuzz: every target held ($budget each)"
