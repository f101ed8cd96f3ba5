#!/bin/sh
# One shard of a sweep, as one task of a cluster job runs it (SLURM array task, Kubernetes
# Indexed Job pod): run-shard.sh I N OUT [sweep flags...] trains cells I, I+N, ... into OUT/shard-I.
# Run from the repository (npm ci done). merge.sh OUT then writes OUT/sweep.json and sweep.csv.
set -eu
if [ "$#" -lt 3 ]; then echo "usage: run-shard.sh I N OUT --grid \"...\" [sweep flags]" >&2; exit 2; fi
i=$1; n=$2; out=$3; shift 3
exec npm run -s sweep -- "$@" --shard "$i/$n" --out "$out/shard-$i"
