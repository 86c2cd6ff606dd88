#!/bin/bash
# Example Slurm job for a large sweep: 8 nodes x 32 ranks, 4 OpenMP threads per rank.
# Submit with: sbatch runs/slurm.sh runs/my_sweep.toml /scratch/$USER/my_sweep.h5
# Slurm sends SIGTERM to every rank 10 minutes before the time limit (--signal); ptmc then
# checkpoints every running task and exits with code 75. The job requeues itself and resumes.
#SBATCH --job-name=ptmc
#SBATCH --nodes=8
#SBATCH --ntasks-per-node=32
#SBATCH --cpus-per-task=4
#SBATCH --time=24:00:00
#SBATCH --signal=TERM@600
#SBATCH --requeue
#SBATCH --output=ptmc-%j.log
set -uo pipefail
file=${1:?parameter file}
out=${2:?output file}
export OMP_NUM_THREADS=$SLURM_CPUS_PER_TASK OMP_PROC_BIND=close OMP_PLACES=cores
resume=()
[[ -e "$out" ]] && resume=(--resume)   # a requeued job continues from its checkpoints
srun --kill-on-bad-exit=1 build/ptmc run "$file" -o "$out" "${resume[@]}" --max-time 23h50m &
wait $!
rc=$?
if [[ $rc -eq 75 ]]; then
  scontrol requeue "$SLURM_JOB_ID"   # stopped at a checkpoint: run again later
fi
exit $rc
