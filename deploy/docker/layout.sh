#!/usr/bin/env bash
# Lays the built services out for the image: one lib/ holding every jar once (the PyTorch native jar alone is
# ~200 MB and three services need it), and per service classpath/<service>.txt naming its jars in the order the
# build resolved them (module jar first), which is the order the launcher uses too.
# Usage: deploy/docker/layout.sh <repository root, after mvn package> <destination>
set -euo pipefail

repo=${1:?usage: layout.sh <repository root> <destination>}
dest=${2:?usage: layout.sh <repository root> <destination>}
mkdir -p "$dest/lib" "$dest/classpath"

for service in ingest trainer evaluator serving; do
  target="$repo/$service/target"
  classpath_file="$target/runtime-classpath.txt"
  module_jars=("$target/$service"-*.jar)
  if [ ! -f "$classpath_file" ] || [ "${#module_jars[@]}" -ne 1 ] || [ ! -f "${module_jars[0]}" ]; then
    echo "layout.sh: $service is not packaged (want $classpath_file and one $target/$service-*.jar);" \
      "run mvn package first" >&2
    exit 1
  fi
  module_jar=${module_jars[0]}
  list="$dest/classpath/$service.txt"
  # The classpath file ends without a newline: "|| [ -n "$jar" ]" keeps its last entry.
  : > "$list"
  { echo "$module_jar"; tr ':' '\n' < "$classpath_file"; } | while IFS= read -r jar || [ -n "$jar" ]; do
    [ -n "$jar" ] || continue
    if [ ! -f "$jar" ]; then
      echo "layout.sh: $service classpath entry $jar is not a jar file" >&2
      exit 1
    fi
    name=$(basename "$jar")
    if [ -e "$dest/lib/$name" ]; then
      # Two different artifacts with one file name would silently shadow each other in lib/.
      if ! cmp -s "$jar" "$dest/lib/$name"; then
        echo "layout.sh: two different jars are named $name (one is $jar)" >&2
        exit 1
      fi
    else
      cp "$jar" "$dest/lib/$name"
    fi
    echo "$name" >> "$list"
  done
  expected=$(( $(tr ':' '\n' < "$classpath_file" | grep -c .) + 1 ))
  if [ "$(wc -l < "$list")" -ne "$expected" ]; then
    echo "layout.sh: $service: laid out $(wc -l < "$list") jars, expected $expected" >&2
    exit 1
  fi
  echo "layout.sh: $service: $expected jars" >&2
done
