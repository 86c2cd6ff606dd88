#!/usr/bin/env bash
# run_where_cpu_has.sh "FLAG FLAG ..." PROGRAM [ARGS...]: runs PROGRAM when /proc/cpuinfo lists every
# flag, else exits 77, which CTest reports as skipped (the kernels' fallback builds need the CPU to
# run the instructions they were compiled for).
set -euo pipefail
for need in $1; do
  grep -qw "$need" /proc/cpuinfo || { echo "skipped: this CPU lacks $need"; exit 77; }
done
shift
exec "$@"
