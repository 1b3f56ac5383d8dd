#!/usr/bin/env bash
# compare.sh: whole-process timing of `neardup fingerprint` against the peer SimHash libraries
# and the limits of ../shared/bench, plus `neardup scan` on half and all of the corpus, with
# peak memory. Prints a Markdown table of medians and ratios.
#
#   bench/compare.sh [CORPUS_DIR]          (run from the repository root)
#
# Needs hyperfine (apt-get install -y hyperfine), /usr/bin/time (GNU) and jq. Commands are
# alternated: ROUNDS rounds, each timing every command RUNS times in turn, so that a noisy
# neighbour slows all of them alike; the median is over all rounds.
set -euo pipefail

corpus=${1:-../shared/corpora/xinwenlianbo/texts}
bench=${BENCH:-../shared/bench}
rounds=${ROUNDS:-5}
runs=${RUNS:-3}
out=${OUT:-$(mktemp -d)}

for tool in hyperfine jq /usr/bin/time; do
	command -v "$tool" >/dev/null || { echo "compare.sh: $tool is missing" >&2; exit 1; }
done
[ -d "$corpus" ] || { echo "compare.sh: no corpus folder $corpus" >&2; exit 1; }

go build -o "$out/neardup" .
(cd "$bench" && go build -o "$out/peerfp" ./peerfp)

# Half of the corpus: the first half of its files in walk (sorted) order, linked.
mkdir -p "$out/half"
mapfile -t files < <(find "$corpus" -type f -not -name '.*' | LC_ALL=C sort)
half=$(( ${#files[@]} / 2 ))
rm -f "$out/half/"*
for f in "${files[@]:0:$half}"; do ln -s "$(realpath "$f")" "$out/half/"; done
bytes_all=$(cat "${files[@]}" | wc -c)

names=(godedup-char3 limit-murmur3 neardup-fingerprint scan-half scan-all)
cmds=(
	"$out/peerfp -peer godedup-char3 $corpus"
	"$out/peerfp -peer limit-murmur3 $corpus"
	"$out/neardup fingerprint $corpus"
	"$out/neardup scan -q $out/half"
	"$out/neardup scan -q $corpus"
)

# Same output first: neardup and the peer must agree on the number of lines (one per file).
n_peer=$("$out/peerfp" -peer godedup-char3 "$corpus" | wc -l)
n_ours=$("$out/neardup" fingerprint -q "$corpus" | wc -l)
echo "files: ${#files[@]}  bytes: $bytes_all  lines: peer $n_peer, neardup $n_ours" >&2

for r in $(seq "$rounds"); do
	hyperfine -N --style none --warmup 1 --runs "$runs" --export-json "$out/round$r.json" "${cmds[@]}" >/dev/null
	echo "round $r of $rounds done" >&2
done

median() { # name index -> median seconds over all rounds
	jq -s "[.[].results[$1].times[]] | sort | if length % 2 == 1 then .[length/2|floor] else (.[length/2-1] + .[length/2]) / 2 end" "$out"/round*.json
}
declare -A med
for i in "${!names[@]}"; do med[${names[$i]}]=$(median "$i"); done

peak() { # command... -> peak resident set in MB
	/usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident/ {printf "%.0f", $2/1024}'
}
mem_fp=$(peak "$out/neardup" fingerprint -q "$corpus")
mem_half=$(peak "$out/neardup" scan -q "$out/half")
mem_all=$(peak "$out/neardup" scan -q "$corpus")
mem_peer=$(peak "$out/peerfp" -peer godedup-char3 "$corpus")
budget=$(( (3 * bytes_all + 100 * 1024 * 1024) / 1024 / 1024 ))

r() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
s() { awk -v a="$1" 'BEGIN { printf "%.3f", a }'; }
cat <<TABLE

Machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); corpus $corpus: ${#files[@]} files, $((bytes_all / 1024 / 1024)) MB
Median of $((rounds * runs)) runs each, alternated in $rounds rounds (hyperfine $(hyperfine --version | cut -d' ' -f2)).

| command | median (s) | peak RSS (MB) | ratio | target |
| --- | ---: | ---: | --- | --- |
| peerfp -peer godedup-char3 | $(s "${med[godedup-char3]}") | $mem_peer | peer / neardup = $(r "${med[godedup-char3]}" "${med[neardup-fingerprint]}")x | >= 8x |
| peerfp -peer limit-murmur3 | $(s "${med[limit-murmur3]}") | | neardup / limit = $(r "${med[neardup-fingerprint]}" "${med[limit-murmur3]}")x | <= 1.5x |
| neardup fingerprint | $(s "${med[neardup-fingerprint]}") | $mem_fp | | |
| neardup scan, half ($half files) | $(s "${med[scan-half]}") | $mem_half | | |
| neardup scan, all (${#files[@]} files) | $(s "${med[scan-all]}") | $mem_all | all / half = $(r "${med[scan-all]}" "${med[scan-half]}")x | <= 2.4x |
| scan memory budget (3 x corpus + 100 MB) | | $budget | all / budget = $(r "$mem_all" "$budget")x | <= 1x |
TABLE
