# `ptmc status`: a finished run (every task done, its sweeps, the points that fail the equilibration
# check as summarize flags them), a run killed with SIGKILL (done < total, the rest pending, done as
# the task files say), and a running job (the resumed run, polled: done + running + pending = total,
# sweeps growing, a rate and an ETA, its pid), which then finishes with every sweep counted.
source "$(dirname "$0")/common.bash"
field() {  # field REGEX FILE -> the first capture group of the first matching line
  sed -nE "s/$1/\1/p" "$2" | head -1
}
tasks_line() {  # tasks_line FILE -> "total done running pending"
  sed -nE 's/^tasks: ([0-9]+) total, ([0-9]+) done, ([0-9]+) running, ([0-9]+) pending.*/\1 \2 \3 \4/p' "$1"
}

# A finished run: 2 points x 3 samples of 50 + 400 sweeps.
write_small_sweep small.toml
"$ptmc" run small.toml -o small.h5 -q 2>/dev/null
"$ptmc" status small.h5 > st.txt
grep -q "^small.h5: finished at" st.txt || { cat st.txt; fail "finished run not reported finished"; }
[[ $(tasks_line st.txt) == "6 6 0 0" ]] || { cat st.txt; fail "finished run: tasks"; }
grep -q "^sweeps: 2700 of 2700 (100.0 %)" st.txt || { cat st.txt; fail "finished run: sweeps"; }
grep -q "^eta: done" st.txt || fail "finished run: eta"
"$ptmc" summarize small.h5 > small.csv 2>/dev/null
failing=$("$PTMC_PYTHON" -c "import csv; print(len({r['point'] for r in csv.DictReader(open('small.csv')) if r['equilibrated'] != '1'}))")
grep -q "^equilibration: 2 of 2 point(s) judged (all their samples complete), $failing fail" st.txt ||
  { cat st.txt; fail "finished run: expected $failing failing point(s)"; }
"$ptmc" theory small.toml -o theory.h5 2>/dev/null
"$ptmc" status theory.h5 | grep -q "a theory file" || fail "theory file"

# A longer run, killed with SIGKILL once its first task is done: 2 points x 4 samples of 50 + 200 000
# sweeps (each task long enough that a loaded machine's status polls still catch the resumed job running).
write_small_sweep long.toml 200000 50 4
printf '[output]\nflush_seconds = 0.2\n' >> long.toml
"$ptmc" run long.toml -o long.h5 -q 2>/dev/null & pid=$!
for _ in $(seq 600); do [[ -f long.h5.tasks/p0000-s0001.h5 ]] && break; sleep 0.05; done  # task 0 is done
kill -KILL $pid; wait $pid 2>/dev/null || true
"$ptmc" status long.h5 > killed.txt 2>/dev/null
read -r total done_tasks running pending <<<"$(tasks_line killed.txt)"
complete=$("$PTMC_PYTHON" -c "
import glob, h5py
n = 0
for f in glob.glob('long.h5.tasks/*.h5'):
    try:
        h = h5py.File(f, 'r')
    except OSError:  # created just before the kill, not yet flushed: not complete, as ptmc also judges
        continue
    with h:
        n += sum(int(g.attrs.get('complete', 0)) for p in h['points'].values() for g in p['samples'].values())
print(n)")
grep -q "^long.h5: not running" killed.txt || { cat killed.txt; fail "killed run: state"; }
((total == 8 && done_tasks >= 1 && done_tasks == complete && done_tasks < 8 && running == 0 && pending == 8 - done_tasks)) ||
  { cat killed.txt; fail "killed run: expected 8 total, $complete done, 0 running, the rest pending"; }
grep -q "^eta: not running" killed.txt || fail "killed run: eta"
swept=$(field '^sweeps: ([0-9]+) of 1600400 .*' killed.txt)
[[ -n $swept ]] && ((swept >= done_tasks * 200050 && swept < 1600400)) || { cat killed.txt; fail "killed run: sweeps"; }

# Resumed in the background and polled while it runs.
"$ptmc" run long.toml -o long.h5 --resume -q 2>/dev/null & pid=$!
seen=0 last=$swept
for _ in $(seq 300); do
  "$ptmc" status long.h5 > st.txt 2>/dev/null || true
  if grep -q "^long.h5: running (pid $pid on " st.txt; then
    read -r total d r p <<<"$(tasks_line st.txt)"
    ((total == 8 && d + r + p == 8 && d >= done_tasks && r <= 1)) || { cat st.txt; fail "running job: tasks"; }
    now=$(field '^sweeps: ([0-9]+) of .*' st.txt)
    ((now >= last)) || { cat st.txt; fail "running job: sweeps went back from $last"; }
    last=$now
    if ((r == 1)); then
      grep -qE "^rate: [0-9.e+]+ sweeps/s" st.txt || { cat st.txt; fail "running job: no rate"; }
      grep -qE "^eta: [0-9]+ (s|min)" st.txt || { cat st.txt; fail "running job: no eta"; }
      seen=$((seen + 1))
    fi
  fi
  kill -0 $pid 2>/dev/null || break
  sleep 0.2
done
wait $pid || fail "the resumed run failed"
((seen >= 1)) || fail "never saw the resumed job running"
((seen < 2 || last > swept)) || fail "sweeps did not grow while the job ran ($swept -> $last)"
"$ptmc" status long.h5 > st.txt
[[ $(tasks_line st.txt) == "8 8 0 0" ]] && grep -q "^sweeps: 1600400 of 1600400" st.txt || { cat st.txt; fail "resumed run, finished"; }
echo "status: finished, killed ($done_tasks of 8 done) and running ($seen polls) as the runs did"
