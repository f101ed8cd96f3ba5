// The cluster scripts in scripts/cluster, run here as a cluster would run them: SLURM's
// sbatch is stood in for by a script that runs an array's tasks at once on this machine.
// What a cluster relies on: N shard processes, merged, give exactly the unsharded sweep.

import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runSweepCommand } from './sweepCommand';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const GRID = 'learningRate=0.05,0.1;weightDecay=0,0.02';
const SWEEP_ARGS = '--steps 100 --seeds 2 --width 32 --quiet';

/** sbatch for one machine: an --array=0-K job runs its K+1 tasks in parallel, --wrap runs its command; prints a job id. */
const FAKE_SBATCH = `#!/bin/bash
set -e
array=; wrap=; script=
while [ $# -gt 0 ]; do
  case "$1" in
    --array=*) array=\${1#--array=} ;;
    --wrap) wrap=$2; shift ;;
    --*) ;;
    *) script=$1 ;;
  esac
  shift
done
export SLURM_SUBMIT_DIR=$PWD
if [ -n "$wrap" ]; then bash -c "$wrap" >&2; echo 2; exit 0; fi
last=\${array#0-}; pids=()
for i in $(seq 0 "$last"); do
  SLURM_ARRAY_TASK_ID=$i SLURM_ARRAY_TASK_COUNT=$((last + 1)) bash "$script" >&2 &
  pids+=($!)
done
for p in "\${pids[@]}"; do wait "$p"; done
echo 1
`;

const withoutTimes = (text: string) => text.replace(/"seconds":[0-9.e+-]+/g, '"seconds":0');

describe('scripts/cluster', () => {
  it('submit-slurm.sh: 3 array tasks and the merge job write exactly the sweep one process writes', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'ranklab-fake-slurm-'));
    writeFileSync(join(bin, 'sbatch'), FAKE_SBATCH);
    chmodSync(join(bin, 'sbatch'), 0o755);
    // A folder that does not exist yet: the shards must not race to make it.
    const out = join(mkdtempSync(join(tmpdir(), 'ranklab-cluster-')), 'runs', 'lr-wd');
    const submitted = await new Promise<string>((done, fail) => {
      execFile('bash', [join(REPO, 'scripts/cluster/submit-slurm.sh'), '3'], {
        cwd: tmpdir(), // the script finds the repository itself
        env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, GRID, SWEEP_ARGS, OUT: out },
      }, (err, stdout, stderr) => (err ? fail(new Error(`${err.message}\n${stderr}`)) : done(stdout)));
    });
    expect(submitted).toMatch(/3 shards/);
    expect(JSON.parse(readFileSync(join(out, 'shard-2', 'sweep.json'), 'utf8')).shard).toBe('2/3');

    const whole = mkdtempSync(join(tmpdir(), 'ranklab-whole-'));
    expect(await runSweepCommand(['--grid', GRID, ...SWEEP_ARGS.split(' '), '--out', whole], () => {})).toBe(0);
    for (const name of ['sweep.json', 'sweep.csv']) {
      const [merged, single] = [join(out, name), join(whole, name)].map((p) => readFileSync(p, 'utf8'));
      if (name === 'sweep.json') expect(withoutTimes(merged)).toBe(withoutTimes(single));
      else expect(merged.split('\n').map((l) => l.split(',').filter((_, i) => i !== 9).join())).toEqual(single.split('\n').map((l) => l.split(',').filter((_, i) => i !== 9).join()));
    }
  }, 120_000);
});

describe('the Kubernetes Indexed Job', () => {
  it('runs shard JOB_COMPLETION_INDEX of as many shards as it has completions, through the same run-shard.sh', () => {
    const job = readFileSync(join(REPO, 'scripts/cluster/sweep-job.yaml'), 'utf8');
    expect(job).toMatch(/completionMode: Indexed/);
    const completions = Number(/completions: (\d+)/.exec(job)?.[1]);
    const shards = Number(/run-shard\.sh "\$JOB_COMPLETION_INDEX" (\d+) /.exec(job)?.[1]);
    expect(completions).toBeGreaterThan(0);
    expect(shards).toBe(completions);
    expect(readFileSync(join(REPO, 'scripts/cluster/sweep-merge-job.yaml'), 'utf8')).toMatch(/merge\.sh", "\/results\/sweep"/);
    expect(job).toMatch(/\/results\/sweep\n/);
  });
});
