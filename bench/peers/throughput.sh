#!/usr/bin/env bash
# Magpie and OpenSearch under the same open-loop generator, one after the other on this machine:
# each loaded with the same snapshot, then `magpie bench load --mode step` against it (the same
# queries, rates, warm-up and bound; refused, timed-out and degraded answers count as failures),
# then its resident set read from /proc, and the CPU seconds the system's process and the generator
# used over the run (warm-up included; the generator embeds OpenSearch's queries, Magpie embeds its
# own). Needs ./mvnw -Ppeers install -DskipTests first.
#   bench/peers/throughput.sh SNAPSHOT QUERIES OUT_DIR [extra magpie serve options...]
# Environment: HEAP (both JVMs' -Xmx, default 1g), STEP (bench load's step options), SYSTEMS
# ("opensearch magpie" by default; either alone to rerun one).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
snapshot="$1"; queries="$2"; out="$3"; shift 3
heap="${HEAP:-1g}"
step="${STEP:---mode step --rate 50 --step-factor 1.25 --step-s 10 --warmup-s 10 --p99-bound-ms 50}"
mkdir -p "$out"
export MAGPIE_SKIP_BUILD=1

# Waits until $2 appears in the log $1 (at most $3 seconds), or fails.
wait_for() {
  for _ in $(seq 1 "$3"); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    sleep 1
  done
  echo "throughput.sh: '$2' not in $1 after $3 s" >&2
  return 1
}

# Prints the resident set of process $1: current and peak.
rss() {
  grep -E '^(VmRSS|VmHWM)' "/proc/$1/status" | tr -s ' \t' ' ' | tr '\n' ' '
  echo
}

# CPU seconds (user + system) process $1 has used so far.
cpu_seconds() {
  awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"
}

# Runs bench load with the arguments given under /usr/bin/time, the system's process $1 being
# measured too; prints both processes' CPU seconds over the run.
measured_load() {
  local pid="$1" name="$2"; shift 2
  local before after
  before=$(cpu_seconds "$pid")
  /usr/bin/time -f "%U %S" -o "$out/$name-generator-cpu.txt" "$root/magpie" bench load "$@" \
    --json "$out/$name-step.json" | tee "$out/$name-step.txt"
  after=$(cpu_seconds "$pid")
  echo "$name process (pid $pid): $(rss "$pid") CPU $(awk -v a="$after" -v b="$before" \
    'BEGIN { printf "%.2f", a - b }') s; generator CPU $(awk '{ printf "%.2f", $1 + $2 }' \
    "$out/$name-generator-cpu.txt") s" | tee -a "$out/$name-step.txt"
}

stop() {
  kill "$1" 2>/dev/null || true
  for _ in $(seq 1 30); do kill -0 "$1" 2>/dev/null || return 0; sleep 1; done
  kill -9 "$1" 2>/dev/null || true
}

systems="${SYSTEMS:-opensearch magpie}"

if [[ " $systems " == *" opensearch "* ]]; then
echo "== OpenSearch: load, then step"
PEER_JAVA_OPTS="-Xmx$heap" "$here/run.sh" --snapshot "$snapshot" --serve-s 1200 \
  >"$out/opensearch-peer.log" 2>&1 &
peer=$!
trap 'stop $peer' EXIT
# OpenSearch takes over System.out: the peer's lines come back as its log's [stdout] lines
wait_for "$out/opensearch-peer.log" "stdout *\] serving http" 600
grep -E "stdout *\] (OpenSearch up|loaded)" "$out/opensearch-peer.log"
measured_load "$peer" opensearch --target opensearch --port 9291 --queries "$queries" $step
stop $peer
trap - EXIT
fi

if [[ " $systems " == *" magpie "* ]]; then
echo "== Magpie: serve, then step"
MAGPIE_JAVA_OPTS="-Xmx$heap" "$root/magpie" serve --snapshot "$snapshot" --port 7491 --no-wal \
  --cache-ttl-ms 0 --query-vector-cache 0 --metrics-port -1 "$@" >"$out/magpie-serve.log" 2>&1 &
server=$!
trap 'stop $server' EXIT
wait_for "$out/magpie-serve.log" "^Magpie serving" 300
# the launcher execs java, so $server is the JVM
measured_load "$server" magpie --port 7491 --queries "$queries" $step
stop $server
trap - EXIT
fi
