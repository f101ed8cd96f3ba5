// PyTorch steps/s for `npm run bench -- --vs-torch`: runs scripts/torch_bench.py (one thread,
// the same networks and SGD update as scripts/replay.py) in whichever Python has torch.

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface TorchRow { label: string; config: Record<string, unknown>; seconds: number }

const SCRIPT = fileURLToPath(new URL('./torch_bench.py', import.meta.url));
// Debian's python first: that is where torch is installed here (python3 may be a pyenv shim).
const PYTHONS = ['/usr/bin/python3', 'python3'];

/** Our environment minus the OpenBLAS overrides an older OpenBLAS needs: they pin a current one
 *  to slower kernels (OPENBLAS_CORETYPE) or blocking, and the baseline should be PyTorch at its best. */
function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  return env;
}

interface Result { code: number | null; stdout: string; stderr: string; error?: Error }

/** Runs a command to completion with `input` on stdin; with `showStderr` its stderr (progress) also goes to ours as it comes. */
function run(cmd: string, args: string[], input: string, showStderr = false): Promise<Result> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env: childEnv(), stdio: 'pipe' });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => { stderr += d; if (showStderr) process.stderr.write(d); });
    child.on('error', (error) => resolve({ code: null, stdout, stderr, error })); // e.g. no such executable
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.on('error', () => {}); // a child that exits without reading stdin is reported by 'close'
    child.stdin.end(input);
  });
}

/** Label -> PyTorch steps/s for each row, or why there is no PyTorch to compare with.
 *  Throws if a Python with torch is found but the benchmark itself fails. */
export async function torchStepsPerSecond(rows: TorchRow[]): Promise<Map<string, number> | { unavailable: string }> {
  const tried: string[] = [];
  let python: string | undefined;
  for (const candidate of PYTHONS) {
    const probe = await run(candidate, ['-c', 'import torch'], '');
    if (probe.code === 0) { python = candidate; break; }
    const why = probe.error?.message ?? probe.stderr.trim().split('\n').pop() ?? `exit code ${probe.code}`;
    tried.push(`${candidate}: ${why}`);
  }
  if (!python) return { unavailable: `no Python with torch (${tried.join('; ')})` };

  const result = await run(python, [SCRIPT], JSON.stringify(rows), true);
  if (result.code !== 0) throw new Error(`${python} ${SCRIPT} failed (exit code ${result.code}): ${result.error?.message ?? result.stderr.trim().split('\n').pop()}`);
  const rates = new Map<string, number>();
  for (const line of result.stdout.split('\n').filter((l) => l.trim())) {
    const r = JSON.parse(line) as { label: string; stepsPerSecond: number };
    rates.set(r.label, r.stepsPerSecond);
  }
  const missing = rows.filter((r) => !rates.has(r.label)).map((r) => r.label);
  if (missing.length) throw new Error(`torch_bench.py gave no figure for ${missing.join(', ')}`);
  return rates;
}
