#!/usr/bin/env bash
# degenerate.sh: peak memory, time and output size of `neardup scan` on degenerate corpora
# (issue 16): N identical copies of one story, and M random stories sharing one 60-character
# paragraph; the identical corpus also with --all-pairs at a tenth of N, the quadratic
# baseline. Prints a Markdown table.
#
#   bench/degenerate.sh [N] [M]          (run from the repository root; default 10000 20000)
#
# Needs GNU /usr/bin/time. The corpora are written to a temporary folder, removed at the end.
set -euo pipefail

n=${1:-10000}
m=${2:-20000}
base=$(( n / 10 ))
[ -x /usr/bin/time ] || { echo "degenerate.sh: GNU /usr/bin/time is missing" >&2; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

go build -o "$out/neardup" .
go run ./bench/degenerate identical "$n" "$out/identical"
go run ./bench/degenerate identical "$base" "$out/identical-base"
go run ./bench/degenerate paragraph "$m" "$out/paragraph"

echo "| corpus | flags | seconds | peak RSS (MB) | JSON output (MB) | pairs | families (largest) | identical groups |"
echo "|---|---|---:|---:|---:|---:|---:|---:|"
run() { # name dir flags...
	local name=$1 dir=$2
	shift 2
	/usr/bin/time -f '%e %M' -o "$out/time" "$out/neardup" scan -q -f json -o "$out/r.json" "$@" "$dir"
	read -r secs kb <"$out/time"
	local bytes summary
	bytes=$(stat -c %s "$out/r.json")
	summary=$(go run ./bench/degenerate summary "$out/r.json")
	printf '| %s | %s | %s | %d | %.1f | %s |\n' "$name" "${*:-(default)}" "$secs" $((kb / 1024)) \
		"$(echo "$bytes" | awk '{print $1/1e6}')" "$summary"
}
run "$n identical copies" "$out/identical"
run "$base identical copies" "$out/identical-base"
run "$base identical copies" "$out/identical-base" --all-pairs
run "$m stories sharing a paragraph" "$out/paragraph"
