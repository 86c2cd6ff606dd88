# The final output step loses nothing: a SIGKILL while OUT is assembled from the task files leaves
# a run that `summarize` reads and `--resume` finishes; a SIGTERM there stops with exit 75 (or the
# step finishes); a full disk, during the tasks or in the final step, gives "No space left on device"
# with the path, exit 1 without a signal, no temporary file, and `--resume` finishes once there is room.
source "$(dirname "$0")/common.bash"
cat > many.toml <<'TOML'
[model]
name = "sk"
N = { min = 8, max = 19, count = 12 }
[tempering]
beta = { min = 0.4, max = 2.0, count = 8 }
replicas = 2
[run]
sweeps = 400
thermalization = 50
samples = 5
seed = 3
TOML
tasks=60
OMP_NUM_THREADS=1 "$ptmc" run many.toml -o ref.h5 -q 2>/dev/null
"$ptmc" summarize ref.h5 > ref.csv 2>/dev/null

# Starts a run and returns once every task file exists (its pid in $pid).
start_until_tasks_written() {
  rm -rf f.h5 f.h5.*
  OMP_NUM_THREADS=1 "$ptmc" run many.toml -o f.h5 -q 2>>run.err &
  pid=$!
  for _ in $(seq 3000); do
    [[ $(ls f.h5.tasks/*.h5 2>/dev/null | wc -l) -ge $tasks ]] && return 0
    kill -0 $pid 2>/dev/null || return 0
    sleep 0.01
  done
  fail "the task files never appeared"
}

# SIGKILL at a random moment of the final step (the moment the issue's reproducer hit: 0-0.7 s
# after the last task file appears), twice.
for try in 1 2; do
  start_until_tasks_written
  sleep "0.$((RANDOM % 7))"
  kill -9 $pid 2>/dev/null || true
  wait $pid 2>/dev/null || true
  "$ptmc" summarize f.h5 > killed.csv 2>err.txt || { cat err.txt >&2; fail "try $try: summarize after a kill in the final step"; }
  # A kill after the final file was in place, before the task folder was removed, leaves a complete
  # run: --resume then removes the folder and says so (exit 1, as for any finished run).
  if [[ -e f.h5.tasks ]] && ! OMP_NUM_THREADS=1 "$ptmc" run many.toml -o f.h5 -q --resume 2>err.txt; then
    grep -q "f.h5 is already complete" err.txt || { cat err.txt >&2; fail "try $try: --resume after a kill in the final step"; }
  fi
  "$ptmc" summarize f.h5 > f.csv 2>/dev/null || fail "try $try: summarize of the finished run"
  cmp ref.csv f.csv || fail "try $try: the finished run differs from the uninterrupted one"
  [[ ! -e f.h5.tasks && ! -e f.h5.assembling ]] || fail "try $try: task folder or temporary file left behind"
done

# SIGTERM in the final step: a clean stop (75) or, if it was already done, 0; never a lost run.
start_until_tasks_written
for _ in $(seq 500); do [[ -e f.h5.assembling ]] && break; sleep 0.005; done
kill -TERM $pid 2>/dev/null || true
rc=0
wait $pid || rc=$?
[[ $rc -eq 75 || $rc -eq 0 ]] || fail "SIGTERM in the final step: exit code $rc, expected 75 or 0"
if [[ $rc -eq 75 ]]; then
  grep -q "while writing f.h5" run.err || fail "SIGTERM in the final step: no message"
  [[ ! -e f.h5.assembling ]] || fail "SIGTERM in the final step left f.h5.assembling"
  OMP_NUM_THREADS=1 "$ptmc" run many.toml -o f.h5 -q --resume 2>/dev/null || fail "--resume after SIGTERM in the final step"
fi
"$ptmc" summarize f.h5 > f.csv 2>/dev/null
cmp ref.csv f.csv || fail "after SIGTERM in the final step the run differs"

# A full disk: a small tmpfs in a mount namespace of our own (as root, or as a user through a user
# namespace). Where neither is allowed the check is skipped, and says so.
cat > disk.toml <<'TOML'
[model]
name = "sk"
N = 48
[tempering]
beta = { min = 0.4, max = 2.0, count = 8 }
[run]
sweeps = 20000
thermalization = 100
measure_every = 2
samples = 3
seed = 7
[output]
flush_seconds = 0.3
checkpoint_seconds = 0.5
series = "all"  # every measurement: the files outgrow 3 MB during the first task
TOML
cat > full_disk.sh <<'EOF'
set -u
ptmc=$1 size=$2 mnt=$3
mount -t tmpfs -o size=$size tmpfs "$mnt" || exit 99
cp disk.toml "$mnt/"
cd "$mnt"
rc=0
OMP_NUM_THREADS=1 "$ptmc" run disk.toml -o out.h5 -q 2>err.txt || rc=$?
echo "rc=$rc" > ../result.$size
cp err.txt ../err.$size
ls out.h5.tasks > ../left.$size 2>/dev/null || true
mount -o remount,size=400m "$mnt"
OMP_NUM_THREADS=1 "$ptmc" run disk.toml -o out.h5 -q --resume 2>>../err.$size && echo resumed >> ../result.$size
"$ptmc" summarize out.h5 > ../summary.$size 2>/dev/null || true
cd / && umount -l "$mnt" 2>/dev/null || true
EOF
namespace=()
if unshare -m --propagation private true 2>/dev/null; then namespace=(unshare -m --propagation private)
elif unshare -r -m --propagation private true 2>/dev/null; then namespace=(unshare -r -m --propagation private)
fi
if ((${#namespace[@]} == 0)); then
  echo "final_output: full-disk check skipped (no mount namespace can be made here)"
else
  mkdir -p mnt
  OMP_NUM_THREADS=1 "$ptmc" run disk.toml -o roomy.h5 -q 2>/dev/null
  "$ptmc" summarize roomy.h5 > roomy.csv 2>/dev/null
  roomy=$(stat -c %s roomy.h5)
  # 3 MB: full during the first task; tasks' size + 1/3: the tasks fit, the final file does not.
  for size in 3m "$(( roomy * 4 / 3 / 1024 ))k"; do
    "${namespace[@]}" bash full_disk.sh "$ptmc" "$size" "$PWD/mnt" || fail "tmpfs $size: the test harness failed"
    grep -q "rc=1" "result.$size" || { cat "err.$size" >&2; fail "tmpfs $size: expected exit 1, got $(head -1 result.$size)"; }
    grep -q "No space left on device" "err.$size" || { cat "err.$size" >&2; fail "tmpfs $size: no 'No space left on device'"; }
    grep -q "out.h5" "err.$size" || fail "tmpfs $size: the message does not name the file"
    ! grep -q "\.tmp$" "left.$size" || fail "tmpfs $size: a temporary file was left: $(cat left.$size)"
    grep -q resumed "result.$size" || { cat "err.$size" >&2; fail "tmpfs $size: --resume failed once there was room"; }
    cmp roomy.csv "summary.$size" || fail "tmpfs $size: the resumed run differs from one with room"
  done
fi
echo "final_output: ok"
