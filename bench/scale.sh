#!/usr/bin/env bash
# scale.sh: whole-process cost of `neardup scan` as the corpus grows (1x, 4x, 16x, 64x, made
# by bench/replicate with heavy edits), -j 1 against -j 2, and jscpd 5.3.2 (exact clones) on
# the same files, all measured in one run. Prints a Markdown table of medians, ratios and
# peak RSS (issue 15).
#
#   bench/scale.sh [CORPUS_DIR]          (run from the repository root)
#
# Needs hyperfine, GNU /usr/bin/time, jq, npm (for jscpd) and, for 64x, about 2 GB of free
# disk under TMPDIR and 12 GB of memory. Knobs (environment):
#   ROUNDS, RUNS  small commands (1x, 4x, jscpd): ROUNDS rounds of RUNS runs each, every
#                 command in turn, so a noisy neighbour slows all of them alike (default 3, 2)
#   WARMUP        warm-up runs of each small command per round (default 1)
#   BIG_RUNS      runs of the 16x scans under /usr/bin/time, alternated likewise (default 2)
#   TIMES         the replicas made (default "4 16 64"; 64 is timed once; empty: none)
#   REPLICAS      a folder already holding the replicas as xN (bench/replicate, default seed),
#                 used instead of making them
#   BASELINE      another neardup binary (say, of main) whose 1x scans join the small ones
#   MEMORY        the budget of the extra 16x scan with --memory, if scan has the flag
#                 (default 500MiB)
#   JSCPD         a jscpd binary to use instead of installing 5.3.2 in a temporary folder
# The replicas and every output go to a temporary folder, removed at the end.
set -euo pipefail

corpus=${1:-../shared/corpora/xinwenlianbo/texts}
rounds=${ROUNDS:-3}
runs=${RUNS:-2}
big_runs=${BIG_RUNS:-2}
times=${TIMES-4 16 64} # TIMES= (empty) makes no replicas
memory=${MEMORY:-500MiB}

for tool in hyperfine jq /usr/bin/time; do
	command -v "$tool" >/dev/null || { echo "scale.sh: $tool is missing" >&2; exit 1; }
done
[ -d "$corpus" ] || { echo "scale.sh: no corpus folder $corpus" >&2; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

go build -o "$out/neardup" .
go build -o "$out/replicate" ./bench/replicate
jscpd=${JSCPD:-}
if [ -z "$jscpd" ]; then
	(cd "$out" && npm i -E --silent --no-audit --no-fund jscpd@5.3.2 >/dev/null)
	jscpd=$out/node_modules/.bin/jscpd
fi
replicas=${REPLICAS:-$out}
for n in $times; do
	[ -d "$replicas/x$n" ] || "$out/replicate" -times "$n" -out "$replicas/x$n" "$corpus"
done
corpus_of() { if [ "$1" = 1 ]; then echo "$corpus"; else echo "$replicas/x$1"; fi; }
bytes_of() { find "$(corpus_of "$1")" -type f -not -name '.*' -print0 | du -cb --files0-from=- | tail -1 | cut -f1; }
files=$(find "$corpus" -type f -not -name '.*' | wc -l)
has_memory=no
"$out/neardup" scan --help 2>&1 | grep -q -- '--memory' && has_memory=yes

scan() { echo "$out/neardup scan -q -f json -o $out/r.json $*"; }
small_names=(scan-j1-1x scan-j2-1x jscpd-1x)
small_cmds=("$(scan -j 1 "$corpus")" "$(scan -j 2 "$corpus")"
	"$jscpd --format txt --min-lines 1 --min-tokens 10 --reporters silent $corpus")
if [ -n "${BASELINE:-}" ]; then
	small_names+=(base-j1-1x base-j2-1x)
	small_cmds+=("$BASELINE scan -q -f json -o $out/b.json -j 1 $corpus" "$BASELINE scan -q -f json -o $out/b.json -j 2 $corpus")
fi
big_names=()
big_cmds=()
for n in $times; do
	case $n in
	64) ;; # timed once below
	16)
		big_names+=(scan-j2-16x)
		big_cmds+=("$(scan -j 2 "$replicas/x16")")
		if [ "$has_memory" = yes ]; then
			big_names+=(scan-j2-16x-memory)
			big_cmds+=("$(scan -j 2 --memory "$memory" "$replicas/x16")")
		fi
		;;
	*)
		small_names+=("scan-j2-${n}x")
		small_cmds+=("$(scan -j 2 "$replicas/x$n")")
		;;
	esac
done

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for r in $(seq "$rounds"); do
	hyperfine -N --style none --warmup "${WARMUP:-1}" --runs "$runs" --export-json "$out/small$r.json" "${small_cmds[@]}" >/dev/null
	echo "round $r of $rounds done" >&2
done

median() { # index files... -> median seconds of command index over the files
	local i=$1
	shift
	jq -s "[.[].results[$i].times[]] | sort | if length % 2 == 1 then .[length/2|floor] else (.[length/2-1] + .[length/2]) / 2 end" "$@"
}
spread() { # index files... -> "min-max" seconds
	local i=$1
	shift
	jq -rs "[.[].results[$i].times[]] | \"\(min*100|round/100)-\(max*100|round/100)\"" "$@"
}
declare -A med rng rss
for i in "${!small_names[@]}"; do
	med[${small_names[$i]}]=$(median "$i" "$out"/small*.json)
	rng[${small_names[$i]}]=$(spread "$i" "$out"/small*.json)
done

peak() { # name command... -> records peak RSS (MB) and, for a command not timed above, its time
	local name=$1
	shift
	/usr/bin/time -f '%e %M' -o "$out/time" "$@" >/dev/null 2>&1
	read -r secs kb <"$out/time"
	rss[$name]=$((kb / 1024))
	if [ -z "${med[$name]:-}" ]; then med[$name]=$secs rng[$name]="1 run"; fi
}
for i in "${!small_names[@]}"; do
	# shellcheck disable=SC2086 # the commands are word lists
	peak "${small_names[$i]}" ${small_cmds[$i]}
done
# The large scans: BIG_RUNS alternated runs under /usr/bin/time, the median time and the
# largest peak RSS.
declare -A big_times
for r in $(seq "$big_runs"); do
	for i in "${!big_names[@]}"; do
		# shellcheck disable=SC2086
		/usr/bin/time -f '%e %M' -o "$out/time" ${big_cmds[$i]} >/dev/null 2>&1
		read -r secs kb <"$out/time"
		big_times[${big_names[$i]}]+="$secs "
		rss[${big_names[$i]}]=$(( $(( kb / 1024 )) > ${rss[${big_names[$i]}]:-0} ? kb / 1024 : ${rss[${big_names[$i]}]:-0} ))
	done
	echo "large round $r of $big_runs done" >&2
done
for name in "${big_names[@]}"; do
	med[$name]=$(echo "${big_times[$name]}" | tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}')
	rng[$name]=$(echo "${big_times[$name]}" | tr ' ' '\n' | grep . | sort -g | awk 'NR==1 {lo=$1} {hi=$1} END {print lo "-" hi}')
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

r() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
s() { awk -v a="$1" 'BEGIN { printf "%.2f", a }'; }
bytes1=$(bytes_of 1)
row() { # name label size-multiple [ratio text]
	local name=$1 label=$2 n=$3 note=${4:-}
	[ -n "${med[$name]:-}" ] || return 0
	local bytes=$((bytes1 * n))
	echo "| $label | $(s "${med[$name]}") | ${rng[$name]} | ${rss[$name]} | $(r "$((rss[$name] * 1048576))" "$bytes") | $note |"
}
cat <<HEAD

Machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GB; $(date -u +%Y-%m-%d)
Corpus $corpus: $files files, $((bytes1 / 1000000)) MB of text at 1x; replicas by bench/replicate.
Load average (1, 5, 15 min) before: $load_before; after: $load_after.
1x, 4x and jscpd: median of $((rounds * runs)) runs, alternated in $rounds rounds by hyperfine $(hyperfine --version | cut -d' ' -f2), peak RSS
from one more run under /usr/bin/time; 16x: median of $big_runs alternated runs under /usr/bin/time; 64x: one run.

| command | median (s) | min-max (s) | peak RSS (MB) | RSS / text | ratio |
| --- | ---: | ---: | ---: | ---: | --- |
HEAD
row scan-j1-1x "scan -j 1, 1x" 1
row scan-j2-1x "scan -j 2, 1x" 1 "j1 / j2 = $(r "${med[scan-j1-1x]}" "${med[scan-j2-1x]}")x"
row jscpd-1x "jscpd 5.3.2, 1x" 1 "scan -j 2 / jscpd = $(r "${med[scan-j2-1x]}" "${med[jscpd-1x]}")x"
if [ -n "${BASELINE:-}" ]; then
	row base-j1-1x "baseline scan -j 1, 1x" 1 "baseline j1 / this j1 = $(r "${med[base-j1-1x]}" "${med[scan-j1-1x]}")x"
	row base-j2-1x "baseline scan -j 2, 1x" 1 "baseline j1 / j2 = $(r "${med[base-j1-1x]}" "${med[base-j2-1x]}")x"
fi
for n in $times; do
	row "scan-j2-${n}x" "scan -j 2, ${n}x" "$n" "${n}x / 1x = $(r "${med[scan-j2-${n}x]:-0}" "${med[scan-j2-1x]}")x"
done
row scan-j2-16x-memory "scan -j 2 --memory $memory, 16x" 16 "/ 16x = $(r "${med[scan-j2-16x-memory]:-0}" "${med[scan-j2-16x]:-1}")x"
# 64x last, after the table so far is out: one run takes minutes and most of the memory.
for n in $times; do
	if [ "$n" = 64 ]; then
		# shellcheck disable=SC2086
		peak scan-j2-64x $(scan -j 2 "$replicas/x64")
		row scan-j2-64x "scan -j 2, 64x (1 run; load then $(cut -d' ' -f1 /proc/loadavg))" 64 "64x / 1x = $(r "${med[scan-j2-64x]}" "${med[scan-j2-1x]}")x"
	fi
done
