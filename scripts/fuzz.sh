#!/usr/bin/env bash
# Coverage-guided fuzzing with Jazzer, one target at a time (Jazzer fuzzes one @FuzzTest per run), each
# for the maxDuration its annotation gives (2 minutes): about 12 minutes for all five on 2 cores.
#
#   scripts/fuzz.sh [PATTERN]      # only targets whose Class#method matches PATTERN (grep -E)
#
# A finding fails the run; Jazzer writes the input that triggered it into the target's seed corpus
# (MODULE/src/test/resources/<package>/<Class>Inputs/<method>/crash-...), where every later build
# replays it: fix the bug, keep the input (rename it finding-...), add a unit test naming it.
# The corpus Jazzer grows while fuzzing stays in MODULE/.cifuzz-corpus/ (ignored by git).
set -euo pipefail
cd "$(dirname "$0")/.."
PATTERN=${1:-.}
TARGETS=(
  "engine QueryFuzzTest#understandsAnyQuery"
  "engine QueryFuzzTest#searchesAnyQuery"
  "ingest ParserFuzzTest#readsAnyCatalog"
  "ingest ParserFuzzTest#readsAnyEventLog"
  "server RequestFuzzTest#anyRequest"
)
./mvnw -q -B install -DskipTests
failed=0
for target in "${TARGETS[@]}"; do
  read -r module test <<<"$target"
  echo "$test" | grep -Eq "$PATTERN" || continue
  echo "== fuzzing $module $test"
  log=$module/target/fuzz-${test//#/-}.log
  if JAZZER_FUZZ=1 ./mvnw -B -o test -pl "$module" -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false >"$log" 2>&1; then
    grep -E '^Done [0-9]+ runs' "$log" || true
    grep -E '#[0-9]+[[:space:]]+DONE' "$log" | tail -1 || true
  else
    failed=1
    echo "   FINDING or failure: see $log"
    grep -E 'FuzzTestFindingException|Caused by|crash-|ERROR\]   ' "$log" | head -10 || true
  fi
done
exit $failed
