#!/bin/sh
# After every shard of a sweep has finished: merge.sh OUT merges OUT/shard-* into OUT/sweep.json
# and OUT/sweep.csv, the same files one machine running the whole grid writes. It refuses
# (exit 2, saying which cells are missing) if a shard did not finish.
set -eu
if [ "$#" -ne 1 ]; then echo "usage: merge.sh OUT" >&2; exit 2; fi
exec npm run -s sweep -- --merge "$1"/shard-* --out "$1"
