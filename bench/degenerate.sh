#!/usr/bin/env bash
# degenerate.sh: neardup scan on the degenerate corpora of the robustness issue, with wall
# time, peak memory (RSS of the process tree) and output size. Prints a Markdown table.
#
#   bench/degenerate.sh                    (run from the repository root)
#   COPIES=2000 SHARED=5000 bench/degenerate.sh
#
# The corpora are generated in a temporary folder (bench/degenerate): COPIES identical
# copies of one story, and SHARED files of distinct text that share one 60-character
# paragraph. Each scan runs under an address-space limit (AS_LIMIT, default 8 GiB), so that
# a corpus that still blows up stops with neardup's out-of-memory message (exit 3) instead of
# taking the machine; the exit status is in the table. Needs GNU time and jq.
set -euo pipefail

copies=${COPIES:-10000}
shared=${SHARED:-20000}
as_limit=${AS_LIMIT:-8G}
out=${OUT:-$(mktemp -d)}

for tool in jq /usr/bin/time prlimit; do
	command -v "$tool" >/dev/null || { echo "degenerate.sh: $tool is missing" >&2; exit 1; }
done
go build -o "$out/neardup" .
go run ./bench/degenerate -copies "$copies" -shared "$shared" "$out/corpora"

echo "| corpus | files | input | exit | wall s | peak RSS MiB | JSON | duplicates | passages |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
for name in copies shared; do
	dir="$out/corpora/$name"
	files=$(find "$dir" -type f | wc -l)
	input=$(du -sh --apparent-size "$dir" | cut -f1)
	set +e
	prlimit --as="$(numfmt --from=iec "$as_limit")" /usr/bin/time -o "$out/time" -f "%e %M" \
		"$out/neardup" scan -q --format json "$dir" -o "$out/$name.json" 2>"$out/$name.err"
	code=$?
	set -e
	read -r wall rss_kb < <(tail -1 "$out/time")
	json="-" dups="-" passages="-"
	if [ "$code" -eq 0 ]; then
		json=$(du -h --apparent-size "$out/$name.json" | cut -f1)
		dups=$(jq '.duplicates | length' "$out/$name.json")
		passages=$(jq '.passages | length' "$out/$name.json")
	fi
	echo "| $name | $files | $input | $code | $wall | $((rss_kb / 1024)) | $json | $dups | $passages |"
	[ "$code" -eq 0 ] || sed 's/^/    /' "$out/$name.err" | head -3 >&2
done
rm -rf "$out/corpora"
