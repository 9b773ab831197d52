#!/usr/bin/env bash
# Step benchmark on Home Depot (docs/benchmarks.md), the query-vector cache on (default) vs off, in one
# session. Needs /tmp/hd-vec (magpie load of the Home Depot titles, embedded) and /tmp/search-ranker.bin
# (magpie train search): see docs/benchmarks.md.
set -u
cd "$(dirname "$0")/.."
./magpie --version > /dev/null   # build once, before any process starts
export MAGPIE_SKIP_BUILD=1
for cache in 10000 0; do
  ./magpie serve --snapshot /tmp/hd-vec --port 7421 --no-wal --cache-ttl-ms 0 --query-vector-cache $cache \
     --search-model /tmp/search-ranker.bin --metrics-port -1 > /tmp/serve-$cache.log 2>&1 &
  pid=$!
  for i in $(seq 1 120); do grep -q "Magpie serving" /tmp/serve-$cache.log && break; sleep 1; done
  grep "Kept:" /tmp/serve-$cache.log
  ./magpie bench load --port 7421 --mode step --rate 50 --step-factor 1.5 --step-s 10 --warmup-s 5 --p99-bound-ms 50 \
     --queries ../shared/data/homedepot/dev_queries.tsv --json /tmp/step-$cache.json > /tmp/step-$cache.out 2>&1
  tail -12 /tmp/step-$cache.out
  kill $pid; wait $pid 2>/dev/null
done
