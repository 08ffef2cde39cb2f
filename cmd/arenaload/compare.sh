#!/usr/bin/env bash
# Measures voting throughput the way the README reports it: alternating runs
# of `arena serve` (demo data, a fresh data dir and database each run) and
# of the bare handler (`arenaload --serve-bare`), under the same arenaload
# settings, so all of them see the same machine at nearly the same time.
# Prints each run (with the server's CPU time per cycle), the medians, each
# contender's share of the bare ceiling, and fails when a run has an error
# or stored votes differ from acknowledged ones.
#
#   cmd/arenaload/compare.sh [runs=5] [seconds=15] [voters=64]
#
# Environment:
#   COMPARE_BEFORE=REV     also build commit REV and run it in the same rotation
#                          (before, now, bare), to show what a change did
#   COMPARE_DB=URL         a postgres:// URL: each run gets a fresh database on
#                          that server (created and dropped with psql) instead
#                          of a SQLite file
#   COMPARE_INSTANCES=N    serve each Arena run from N instances sharing the
#                          database (PostgreSQL only); voters are spread over them
#   COMPARE_PORT=P         first port to use (default 18080): Arena instances
#                          listen on P, P+1, ..., the bare handler on P+50
#   COMPARE_LOCK=FILE      build first, then measure holding an flock on FILE,
#                          so measurements on a shared machine never overlap
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-5} secs=${2:-15} voters=${3:-64}
before=${COMPARE_BEFORE:-} db=${COMPARE_DB:-} instances=${COMPARE_INSTANCES:-1} port=${COMPARE_PORT:-18080}
if [ "$instances" -gt 1 ] && [ -z "$db" ]; then
	echo "COMPARE_INSTANCES needs COMPARE_DB: instances of one arena share a PostgreSQL database" >&2
	exit 2
fi
work=$(mktemp -d)
pids=()
dbname=
stop_all() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
	pids=()
}
drop_db() {
	[ -n "$dbname" ] && psql -q "$db" -c "DROP DATABASE IF EXISTS $dbname" >/dev/null
	dbname=
}
trap 'stop_all; drop_db; rm -rf "$work"' EXIT
go build -o "$work/now" ./cmd/arena
go build -o "$work/arenaload" ./cmd/arenaload
contenders="now"
if [ -n "$before" ]; then
	mkdir "$work/src"
	git archive "$before" | tar -x -C "$work/src"
	(cd "$work/src" && go build -o "$work/before" ./cmd/arena)
	contenders="before now"
fi
if [ -n "${COMPARE_LOCK:-}" ]; then
	exec 9>"$COMPARE_LOCK"
	flock 9
fi

field() { sed -E "s/.*\"$1\":([0-9.]+).*/\1/" <<<"$2"; }
median() { sort -g | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
wait_up() { for _ in $(seq 300); do curl -sf "$1" >/dev/null && return; sleep 0.1; done; echo "no answer from $1"; exit 1; }
stored_votes() { curl -sf "http://127.0.0.1:$port/metrics" | sed -nE 's/^arena_votes_stored ([0-9]+)$/\1/p'; }
# cpu_ticks sums the user and system time of the given processes, in clock ticks.
cpu_ticks() { local t=0 p; for p in "$@"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done; echo "$t"; }
hz=$(getconf CLK_TCK)
keys=$(printf '11%.0s' $(seq 32)),$(printf '22%.0s' $(seq 32)) # one pair for every instance
load() { "$work/arenaload" --target "$1" --voters "$voters" --duration "${secs}s" --json | tail -n 1; }

# start_arena BINARY starts the instances of one Arena run and leaves their
# pids in pids and their URLs in targets.
start_arena() {
	rm -rf "$work/data"*
	local dsn=()
	if [ -n "$db" ]; then
		dbname=arena_compare_$$_$RANDOM
		psql -q "$db" -c "CREATE DATABASE $dbname" >/dev/null
		local base=${db%%\?*}
		dsn=(--db "${base%/*}/$dbname${db#"$base"}")
	fi
	targets=
	for n in $(seq 0 $((instances - 1))); do
		# One machine plays every voter from one address: the per-address
		# budgets are lifted (the vote budget so high it is still counted
		# on every vote), and arenaload does not download clips.
		ARENA_MIN_WATCH_MS=0 ARENA_RATE_LIMIT=off ARENA_NEW_VOTERS_PER_HOUR=off ARENA_ADDRESS_VOTES_PER_DAY=100000000 \
			ARENA_REQUIRE_CLIP_FETCH=false ARENA_SESSION_KEYS="$keys" \
			"$1" serve --demo --data-dir "$work/data$n" "${dsn[@]}" --addr "127.0.0.1:$((port + n))" >"$work/serve$n.log" 2>&1 &
		pids+=($!)
		wait_up "http://127.0.0.1:$((port + n))/healthz" # the first seeds the demo; the rest find it seeded
		targets+="${targets:+,}http://127.0.0.1:$((port + n))"
	done
}

for who in $contenders bare; do : >"$work/$who.txt"; done
for i in $(seq "$runs"); do
	for who in $contenders; do
		start_arena "$work/$who"
		before_votes=$(stored_votes) # the demo's made-up votes
		cpu0=$(cpu_ticks "${pids[@]}")
		out=$(load "$targets")
		cpu=$(( $(cpu_ticks "${pids[@]}") - cpu0 ))
		stored=$(( $(stored_votes) - before_votes ))
		stop_all
		drop_db
		cps=$(field cycles_per_s "$out") p50=$(field p50_ms "$out") p99=$(field p99_ms "$out")
		errors=$(field errors "$out") acked=$(field acknowledged "$out") cycles=$(field cycles "$out")
		us=$(awk -v t="$cpu" -v hz="$hz" -v c="$cycles" 'BEGIN { printf "%.0f", c ? t / hz * 1e6 / c : 0 }')
		printf '%-6s run %d: %.0f cycles/s  p50 %s ms  p99 %s ms  server CPU %s us/cycle  errors %s  acknowledged %s  stored %s  load %s\n' \
			"$who" "$i" "$cps" "$p50" "$p99" "$us" "$errors" "$acked" "$stored" "$(cut -d' ' -f1 /proc/loadavg)"
		echo "$cps $p50 $p99 $us" >>"$work/$who.txt"
		if [ "$errors" != 0 ] || [ "$acked" != "$stored" ]; then
			echo "run $i: errors or lost votes; server log:"
			tail -n 20 "$work/serve0.log"
			exit 1
		fi
	done

	"$work/arenaload" --serve-bare "127.0.0.1:$((port + 50))" >/dev/null 2>&1 &
	pids+=($!)
	wait_up "http://127.0.0.1:$((port + 50))/healthz"
	cpu0=$(cpu_ticks "${pids[@]}")
	out=$(load "http://127.0.0.1:$((port + 50))")
	cpu=$(( $(cpu_ticks "${pids[@]}") - cpu0 ))
	stop_all
	cps=$(field cycles_per_s "$out") p50=$(field p50_ms "$out") p99=$(field p99_ms "$out") cycles=$(field cycles "$out")
	us=$(awk -v t="$cpu" -v hz="$hz" -v c="$cycles" 'BEGIN { printf "%.0f", c ? t / hz * 1e6 / c : 0 }')
	printf '%-6s run %d: %.0f cycles/s  p50 %s ms  p99 %s ms  server CPU %s us/cycle  load %s\n' "bare" "$i" "$cps" "$p50" "$p99" "$us" "$(cut -d' ' -f1 /proc/loadavg)"
	echo "$cps $p50 $p99 $us" >>"$work/bare.txt"
done
for who in $contenders bare; do
	printf '%-6s median of %d: %.0f cycles/s  p50 %s ms  p99 %s ms  server CPU %s us/cycle\n' "$who" "$runs" \
		"$(cut -d' ' -f1 "$work/$who.txt" | median)" \
		"$(cut -d' ' -f2 "$work/$who.txt" | median)" \
		"$(cut -d' ' -f3 "$work/$who.txt" | median)" \
		"$(cut -d' ' -f4 "$work/$who.txt" | median)"
done
bare=$(cut -d' ' -f1 "$work/bare.txt" | median)
for who in $contenders; do
	awk -v a="$(cut -d' ' -f1 "$work/$who.txt" | median)" -v b="$bare" -v w="$who" \
		'BEGIN { printf "%s / bare: %.3f\n", w, a / b }'
done
if [ -n "$before" ]; then
	awk -v a="$(cut -d' ' -f1 "$work/now.txt" | median)" -v b="$(cut -d' ' -f1 "$work/before.txt" | median)" \
		'BEGIN { printf "now / before: %.3f\n", a / b }'
fi
