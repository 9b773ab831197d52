#!/usr/bin/env bash
# Runs a peer of bench/peers (built with ./mvnw -Ppeers install -DskipTests): its classes, its
# dependencies and the k-NN plugin's jars (unpacked from their zip at build time) on one class path.
#   bench/peers/run.sh --snapshot /tmp/hd-vec --queries ../shared/data/homedepot/dev_queries.tsv \
#       --qrels ../shared/data/homedepot/dev_qrels.tsv
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
JDK="${JAVA_HOME:-$(ls -d /usr/lib/jvm/temurin-25* 2>/dev/null | head -1)}"
if [ ! -f "$here/target/classpath.txt" ]; then
  echo "bench/peers is not built: ./mvnw -Ppeers install -DskipTests" >&2
  exit 2
fi
cp="$here/target/classes:$(cat "$here/target/classpath.txt")"
for jar in "$here"/target/knn-plugin/*.jar; do cp="$cp:$jar"; done
exec "$JDK/bin/java" --enable-native-access=ALL-UNNAMED --add-modules=jdk.incubator.vector \
  ${PEER_JAVA_OPTS:--Xmx6g} -cp "$cp" dev.magpie.bench.peers.OpenSearchPeerCommand "$@"
