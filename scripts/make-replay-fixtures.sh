#!/usr/bin/env bash
# Regenerate the PyTorch replay fixtures that `npm test` checks our engine against
# (src/core/replay/fixtures/): three tame 50-step runs and a chaotic one (BatchNorm over
# batches of 2, where rounding errors grow ~10x a step: 14 steps keep torch float32's own
# distance from float64 measurable, ~1e-2, before the runs decorrelate), each trained by
# RankLab's CLI and replayed in PyTorch in float32 and float64 by scripts/replay.py.
# Needs Debian's python3-torch and python3-numpy.
set -euo pipefail
cd "$(dirname "$0")/.."
py=/usr/bin/python3
out=src/core/replay/fixtures
common=(--snapshotEvery 1 --quiet --seed 3)
declare -A runs=(
  [mlp]="--steps 50 --model mlp --depth 3 --width 32 --batchSize 8 --learningRate 0.1 --weightDecay 0.02"
  [mlp-bn]="--steps 50 --model mlp --depth 4 --width 32 --batchNorm true --batchSize 8 --learningRate 0.1 --weightDecay 0.01 --momentum 0.9"
  [cnn]="--steps 50 --model cnn --depth 2 --width 8 --batchNorm true --batchSize 8 --learningRate 0.05 --weightDecay 0.01"
  [mlp-bn-chaotic]="--steps 14 --model mlp --depth 4 --width 32 --batchNorm true --batchSize 2 --learningRate 0.1 --weightDecay 0.01"
)
for name in mlp mlp-bn cnn mlp-bn-chaotic; do
  tmp=$(mktemp -d)
  # shellcheck disable=SC2086
  npx tsx src/cli/train.ts "${common[@]}" ${runs[$name]} --out "$tmp" 2>/dev/null
  rm -rf "${out:?}/$name"
  $py scripts/replay.py "$tmp" --fixture "$out/$name" | tail -2
  rm -rf "$tmp"
done
