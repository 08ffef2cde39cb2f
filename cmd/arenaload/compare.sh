#!/usr/bin/env bash
# Measures voting throughput the way the README reports it: alternating runs
# of `arena serve` (SQLite, demo data, a fresh data dir each run) and of the
# bare handler (`arenaload --serve-bare`), under the same arenaload settings,
# so both see the same machine at nearly the same time. Prints each run, the
# medians, Arena's share of the bare ceiling, and fails when a run has an
# error or stored votes differ from acknowledged ones.
#
#   cmd/arenaload/compare.sh [runs=5] [seconds=15] [voters=64]
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-5} secs=${2:-15} voters=${3:-64}
work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
go build -o "$work/arena" ./cmd/arena
go build -o "$work/arenaload" ./cmd/arenaload

field() { sed -E "s/.*\"$1\":([0-9.]+).*/\1/" <<<"$2"; }
median() { sort -g | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
wait_up() { for _ in $(seq 100); do curl -sf "$1" >/dev/null && return; sleep 0.1; done; echo "no answer from $1"; exit 1; }
stored_votes() { curl -sf http://127.0.0.1:18080/metrics | sed -nE 's/^arena_votes_stored ([0-9]+)$/\1/p'; }
load() { "$work/arenaload" --target "$1" --voters "$voters" --duration "${secs}s" --json | tail -n 1; }

: >"$work/arena.txt"
: >"$work/bare.txt"
for i in $(seq "$runs"); do
	rm -rf "$work/data"
	# One machine plays every voter from one address: the per-address
	# budgets are lifted (the vote budget so high it is still counted on
	# every vote), and arenaload does not download clips.
	ARENA_MIN_WATCH_MS=0 ARENA_RATE_LIMIT=off ARENA_NEW_VOTERS_PER_HOUR=off ARENA_ADDRESS_VOTES_PER_DAY=100000000 ARENA_REQUIRE_CLIP_FETCH=false "$work/arena" serve --demo \
		--data-dir "$work/data" --addr 127.0.0.1:18080 >/dev/null 2>&1 &
	pid=$!
	wait_up http://127.0.0.1:18080/healthz
	before=$(stored_votes) # the demo's made-up votes
	out=$(load http://127.0.0.1:18080)
	stored=$(( $(stored_votes) - before ))
	kill "$pid"; wait "$pid" 2>/dev/null || true
	cps=$(field cycles_per_s "$out") p50=$(field p50_ms "$out") p99=$(field p99_ms "$out")
	errors=$(field errors "$out") acked=$(field acknowledged "$out")
	printf 'arena run %d: %.0f cycles/s  p50 %s ms  p99 %s ms  errors %s  acknowledged %s  stored %s\n' \
		"$i" "$cps" "$p50" "$p99" "$errors" "$acked" "$stored"
	echo "$cps $p50 $p99" >>"$work/arena.txt"
	if [ "$errors" != 0 ] || [ "$acked" != "$stored" ]; then
		echo "run $i: errors or lost votes"; exit 1
	fi

	"$work/arenaload" --serve-bare 127.0.0.1:19090 >/dev/null 2>&1 &
	pid=$!
	wait_up http://127.0.0.1:19090/healthz
	out=$(load http://127.0.0.1:19090)
	kill "$pid"; wait "$pid" 2>/dev/null || true
	cps=$(field cycles_per_s "$out") p50=$(field p50_ms "$out") p99=$(field p99_ms "$out")
	printf 'bare  run %d: %.0f cycles/s  p50 %s ms  p99 %s ms\n' "$i" "$cps" "$p50" "$p99"
	echo "$cps $p50 $p99" >>"$work/bare.txt"
done
pid=
for who in arena bare; do
	printf '%s median of %d: %.0f cycles/s  p50 %s ms  p99 %s ms\n' "$who" "$runs" \
		"$(cut -d' ' -f1 "$work/$who.txt" | median)" \
		"$(cut -d' ' -f2 "$work/$who.txt" | median)" \
		"$(cut -d' ' -f3 "$work/$who.txt" | median)"
done
awk -v a="$(cut -d' ' -f1 "$work/arena.txt" | median)" -v b="$(cut -d' ' -f1 "$work/bare.txt" | median)" \
	'BEGIN { printf "arena / bare: %.2f\n", a / b }'
