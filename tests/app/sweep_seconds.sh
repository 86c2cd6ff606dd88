#!/usr/bin/env bash
# Each task records its time in sweeps, `sweep_seconds`, beside its whole time `seconds` (what
# bench/ladder.sh reads to give the share of a run spent outside sweeps: swaps, measurements, output).
source "$(dirname "$0")/common.bash" "$@"
write_small_sweep sweep.toml
"$ptmc" run sweep.toml -o out.h5 -q -t 1 >/dev/null 2>err.txt || { cat err.txt >&2; fail "run failed"; }
"$PTMC_PYTHON" - <<'PY' || fail "sweep_seconds attributes"
import h5py
with h5py.File("out.h5", "r") as f:
    n = 0
    for p in f["points"].values():
        for s in p["samples"].values():
            sec, sweep = s.attrs["seconds"], s.attrs["sweep_seconds"]
            assert 0 < sweep <= sec, (s.name, sweep, sec)
            n += 1
    assert n == 6, n
PY
echo "sweep_seconds: ok"
