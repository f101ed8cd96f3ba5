#!/bin/bash
# submit-slurm.sh N: submit sweep.slurm as an array of N shards and a merge that runs once all
# N have succeeded. GRID, OUT and SWEEP_ARGS are passed on from the environment.
set -euo pipefail
n=${1:-}
if ! [[ "$n" =~ ^[1-9][0-9]*$ ]]; then echo "usage: GRID=... OUT=... [SWEEP_ARGS=...] submit-slurm.sh N (N shards, N >= 1)" >&2; exit 2; fi
: "${GRID:?set GRID, e.g. GRID=\"weightDecay=0,0.005,0.01,0.02\"}"
: "${OUT:?set OUT, the folder the shards and the merged sweep go in}"
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd) # absolute: the jobs run from the repository
export OUT SHARDS=$n # the shard count, passed on (SLURM_ARRAY_TASK_COUNT is wrong for a resubmitted subset)
cd "$(dirname "$0")/../.." # the repository: the jobs run from where they were submitted
job=$(sbatch --parsable --export=ALL --array=0-$((n - 1)) scripts/cluster/sweep.slurm)
sbatch --dependency=afterok:"$job" --job-name=ranklab-sweep-merge --export=ALL --wrap "scripts/cluster/merge.sh \"$OUT\""
echo "submitted array job $job ($n shards) and its merge; results in $OUT/sweep.json"
