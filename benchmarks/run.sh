#!/usr/bin/env bash
# Runs the benchmark suite and writes benchmarks/results/<date>.{json,md} and the SVG charts.
#   benchmarks/run.sh                          the quick suite (under 10 minutes on 2 cores)
#   benchmarks/run.sh -Dbench.mode=full        five interleaved JMH rounds, longer harness runs
#   benchmarks/run.sh -Dbench.only=stampede    a subset (written as <date>-partial.*)
set -euo pipefail
cd "$(dirname "$0")/.."
source bin/jdk25.sh
./mvnw -B -ntp -pl benchmarks -am -Pbench -DskipTests verify "$@"
