#!/usr/bin/env bash
# Router overhead on loopback: one server over the whole catalog against the router over the same
# catalog's 4 shards, two alternating runs of magpie bench load at the same rate.
#   scripts/router-overhead.sh SINGLE_SNAPSHOT CLUSTER_DIR QUERIES [RATE]
# e.g. scripts/router-overhead.sh /tmp/hd-single /tmp/hd-s4 ../shared/data/homedepot/dev_queries.tsv 20
# (both loaded from one catalog: magpie load ... --out SINGLE, then --shards 4 --out CLUSTER_DIR).
set -euo pipefail
single="$1"; cluster="$2"; queries="$3"; rate="${4:-20}"
cd "$(dirname "$0")/.."
./magpie --version > /dev/null   # build once, before any process starts
export MAGPIE_SKIP_BUILD=1
logs=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2> /dev/null; wait' EXIT
ready() { for _ in $(seq 1 180); do grep -q "$2" "$1" && return 0; sleep 1; done; echo "not ready: $1" >&2; exit 1; }
./magpie serve --snapshot "$single" --port 7701 --no-wal --metrics-port -1 > "$logs/single.log" 2>&1 & pids+=($!)
for i in 0 1 2 3; do
  ./magpie serve --snapshot "$cluster/shard-000$i" --port "771$i" --no-wal --metrics-port -1 \
    > "$logs/shard$i.log" 2>&1 & pids+=($!)
done
for f in "$logs"/single.log "$logs"/shard?.log; do ready "$f" "Magpie serving"; done
./magpie route --port 7720 --metrics-port -1 --shard 0=127.0.0.1:7710 --shard 1=127.0.0.1:7711 \
  --shard 2=127.0.0.1:7712 --shard 3=127.0.0.1:7713 > "$logs/router.log" 2>&1 & pids+=($!)
ready "$logs/router.log" "Magpie routing"
for run in 1 2; do
  for port in 7701 7720; do
    echo "== run $run: $([ "$port" = 7701 ] && echo "one server" || echo "router over 4 shards")"
    ./magpie bench load --port "$port" --rate "$rate" --warmup-s 30 --duration-s 20 --mix search=1 \
      --queries "$queries" 2>&1 | tail -2
  done
done
