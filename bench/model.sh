#!/usr/bin/env bash
# Runs the model module's benchmark (or its LoRA demo) on the test classpath, outside surefire.
#   bench/model.sh            throughput table: matmul ceiling, LoRA training step, inference, peak RSS
#   bench/model.sh --quick    fewer repetitions
#   bench/model.sh demo       trains a LoRA adapter on generated data and prints the falling loss
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl model -am install -DskipTests
mvn -B -q -pl model test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/model/target/bench.classpath"
main=dev.streamtune.model.bench.ModelBench
if [[ "${1:-}" == "demo" ]]; then
  main=dev.streamtune.model.demo.LoraDemo
  shift
fi
export OPT_OUT_TRACKING=true DJL_OFFLINE=true
exec java -Xmx2g -Dai.djl.offline=true -cp "model/target/test-classes:model/target/classes:$(cat model/target/bench.classpath)" "$main" "$@"
