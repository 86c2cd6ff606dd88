#!/usr/bin/env bash
# First command: install what is missing, build in Release, run the quick-start sweeps (Curie–Weiss
# and SK) on 2 MPI ranks, compute their exact/RS curves, and plot them into out/quickstart.png.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
source scripts/env.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$(nproc)" --target ptmc
mkdir -p out
for f in quickstart quickstart-sk; do
  mpirun -np 2 build/ptmc run "runs/$f.toml" -o "out/$f.h5" --overwrite  # out/ holds what these scripts regenerate
  build/ptmc theory "runs/$f.toml" -o "out/$f-theory.h5"
done
"$PTMC_PYTHON" analysis/plot/quickstart.py out/quickstart.h5 out/quickstart-theory.h5 \
  out/quickstart-sk.h5 out/quickstart-sk-theory.h5 -o out/quickstart.png
build/ptmc summarize out/quickstart.h5 > out/quickstart.csv
cut -d, -f1-9 out/quickstart.csv | sed -n 1,6p  # the first rows and columns; all of them in out/quickstart.csv
echo "ptmc: wrote out/quickstart.h5, out/quickstart-sk.h5, out/quickstart.csv and out/quickstart.png"
