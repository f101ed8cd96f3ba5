#!/bin/bash
# submit-slurm.sh N: submit sweep.slurm as an array of N shards and a merge that runs once all
# N have succeeded. GRID, OUT and SWEEP_ARGS are passed on from the environment.
set -euo pipefail
n=${1:?usage: submit-slurm.sh N (number of shards)}
cd "$(dirname "$0")/../.." # the repository: the jobs run from where they were submitted
job=$(sbatch --parsable --export=ALL --array=0-$((n - 1)) scripts/cluster/sweep.slurm)
sbatch --dependency=afterok:"$job" --job-name=ranklab-sweep-merge --export=ALL --wrap "scripts/cluster/merge.sh \"$OUT\""
echo "submitted array job $job ($n shards) and its merge; results in $OUT/sweep.json"
