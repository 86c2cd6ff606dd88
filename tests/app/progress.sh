# The progress line shows the whole run: on one rank it ends at 100 % of every task's sweeps; under
# mpirun -np 2 only rank 0 prints, and its line counts the other rank's sweeps too (the run's share
# exceeds what rank 0's own tasks can account for), with a rate and an ETA.
source "$(dirname "$0")/common.bash"
write_small_sweep p.toml 30000 10
"$ptmc" run p.toml -o one.h5 2> one.err
tr '\r' '\n' < one.err | grep '^\[ptmc\] run' > one.lines || { cat one.err; fail "no progress line"; }
tail -1 one.lines | grep -q '^\[ptmc\] run 100.0% of 1.8e+05 sweeps, .* sweeps/s, ETA 0 s | task 6/6' ||
  { tail -2 one.lines; fail "one rank: the last line is not the whole run at 100 %"; }
mpirun -np 2 "$ptmc" run p.toml -o two.h5 -t 1 2> two.err
tr '\r' '\n' < two.err | grep '^\[ptmc\] run' > two.lines || { cat two.err; fail "no progress line under mpirun"; }
[[ $(grep -c '^\[ptmc\] sk: ' two.err) == 1 ]] || fail "the header printed by more than one rank"
"$PTMC_PYTHON" - two.lines <<'PY' || fail "under mpirun the line does not show the whole run"
import re, sys
best, mine = 0.0, []  # mine: the tasks rank 0 ran (k is the global task number)
for line in open(sys.argv[1]):
    m = re.match(r"\[ptmc\] run +([0-9.]+)% of .* ETA .* \| task (\d+)/6 .* +(\d+)%", line)
    assert m, line
    run, k, own = float(m[1]), int(m[2]), float(m[3])
    if k not in mine:
        mine.append(k)
    best = max(best, run - 100 * (len(mine) - 1 + own / 100) / 6)  # beyond what rank 0 did itself
assert best > 2, f"the run's share never exceeded rank 0's own tasks (by {best:.1f} %)"
PY
echo "progress: one rank ends at 100 %; under mpirun rank 0's line counts the other rank"
