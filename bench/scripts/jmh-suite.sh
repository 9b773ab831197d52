#!/usr/bin/env bash
# The short benchmark suite: each Magpie path beside its baseline in the same JMH run, written as JSON
# (one file per benchmark class) under OUT (default bench/target/jmh-suite). About 15 minutes on 2 cores.
#
#   bench/scripts/jmh-suite.sh [OUT]
#
# Snapshots: the bundled sample (loaded into var/snapshots when absent) for the gRPC round trips and
# recommendations; MAGPIE_BENCH_HYBRID=DIR (a store loaded with embeddings, e.g. Home Depot titles:
# magpie load --catalog ../shared/data/homedepot/products.tsv --columns id,title --out /tmp/hd-vec)
# for hybrid search, fusion and rerank, the sample when unset. TextSearchBenchmark (Magpie's BM25 vs raw
# Lucene on the same segment) builds its own index from ../shared/data/homedepot when that exists and
# is skipped otherwise. ANN against hnswlib-core and brute force is `magpie bench ann` (recall vs QPS,
# not a JMH benchmark); this script runs a short sweep of it too.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:-bench/target/jmh-suite}
mkdir -p "$OUT"
SAMPLE=var/snapshots
HYBRID=${MAGPIE_BENCH_HYBRID:-$SAMPLE}
[ -f "$SAMPLE/CURRENT" ] || ./magpie load --show 0 >/dev/null
export MAGPIE_SKIP_BUILD=1

# Three forks (a figure quoted in the docs comes from at least three, with their spread), each with
# short iterations: 2 warm-up and 3 measured of 1 s. bench/scripts/jmh-table.py OUT/*.json prints
# every result with its 99.9% interval and the spread of the forks' means.
SHORT=(-f 3 -wi 2 -w 1s -i 3 -r 1s)

run() { # NAME SNAPSHOT PATTERN
  echo "== $1 ($3) on $2"
  MAGPIE_JAVA_OPTS="-Dmagpie.bench.snapshot=$2 ${MAGPIE_JAVA_OPTS:-}" \
    ./magpie jmh "$3" "${SHORT[@]}" -rf json -rff "$OUT/$1.json" | grep -E '^(Benchmark|[A-Za-z]+Benchmark\.)' || true
}

run grpc "$SAMPLE" 'GrpcBenchmark'
run recommend "$SAMPLE" 'RecommendBenchmark'
run hybrid "$HYBRID" 'HybridSearchBenchmark\.(hybrid|hybridEmbedded|vector|rerank|hybridReranked)$'
run vector-dot "$SAMPLE" 'VectorDotBenchmark'
run id-lookup "$SAMPLE" 'IdLookupBenchmark'
if [ -d ../shared/data/homedepot ]; then
  run text "$SAMPLE" 'TextSearchBenchmark'
fi

echo "== ann (Magpie HNSW vs hnswlib-core vs brute force) on $HYBRID"
./magpie bench ann --snapshot "$HYBRID" --out "$OUT/ann" --query-count 200 --ef 20,80,160 | tail -n 12
echo "results in $OUT"
python3 bench/scripts/jmh-table.py "$OUT"/*.json
