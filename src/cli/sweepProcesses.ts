// --jobs K: K child processes of this same CLI, each running one cell at a time from a
// shared queue (a slow cell holds up one process, not a whole shard). The children run the
// same runCell as a single process does, so a cell's result does not depend on K.

import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { SweepCell, SweepSpec } from '../core/sweep/cells';
import type { CellResult } from '../core/sweep/result';
import type { NodeBackend } from '../node/tfNode';

import { TSX_LOADER } from '../node/tsxLoader';

// The CLI's own entry, run through tsx's loader.
export const ENTRY = fileURLToPath(new URL('./sweep.ts', import.meta.url));

/** The flag that makes src/cli/sweep.ts a child waiting for cells. */
export const CHILD_FLAG = '--sweep-child';

type ToChild = { type: 'init'; spec: SweepSpec; backend: NodeBackend } | { type: 'cell'; cell: SweepCell } | { type: 'done' };
type FromChild = { type: 'result'; result: CellResult } | { type: 'error'; message: string };

export async function runCellsInProcesses(cells: SweepCell[], spec: SweepSpec, backend: NodeBackend, jobs: number, onResult: (r: CellResult) => void): Promise<void> {
  const queue = [...cells];
  const children: ChildProcess[] = [];
  /** Children sent 'done': the only ones that may exit. */
  const finished = new Set<ChildProcess>();
  try {
    await new Promise<void>((resolve, reject) => {
      let running = 0;
      const feed = (child: ChildProcess) => {
        const cell = queue.shift();
        if (!cell) {
          finished.add(child);
          child.send({ type: 'done' } satisfies ToChild);
          if (--running === 0) resolve();
          return;
        }
        child.send({ type: 'cell', cell } satisfies ToChild);
      };
      for (let k = 0; k < jobs; k++) {
        const child = fork(ENTRY, [CHILD_FLAG], { execArgv: ['--import', TSX_LOADER], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
        children.push(child);
        running++;
        child.on('message', (m: FromChild) => {
          if (m.type === 'error') return reject(new Error(`a sweep process failed: ${m.message}`));
          onResult(m.result);
          feed(child);
        });
        child.on('exit', (code, signal) => {
          if (!finished.has(child)) reject(new Error(`a sweep process stopped before its cells were done (${signal ? `signal ${signal}` : `exit code ${code}`})`));
        });
        child.on('error', (err) => reject(new Error(`a sweep process failed: ${err.message}`)));
        child.send({ type: 'init', spec, backend } satisfies ToChild);
        feed(child);
      }
    });
  } finally {
    for (const c of children) if (c.exitCode === null) c.kill();
  }
}

/** The child's side: run each cell it is sent, reply with its result, until told it is done. */
export function serveCells(run: (cells: SweepCell[], spec: SweepSpec, backend: NodeBackend, onResult: (r: CellResult) => void) => Promise<void>) {
  let setup: { spec: SweepSpec; backend: NodeBackend } | null = null;
  let work = Promise.resolve();
  process.on('message', (m: ToChild) => {
    if (m.type === 'init') setup = { spec: m.spec, backend: m.backend };
    else if (m.type === 'done') work = work.then(() => process.exit(0));
    else {
      work = work.then(() => run([m.cell], setup!.spec, setup!.backend, (result) => process.send!({ type: 'result', result } satisfies FromChild)))
        .catch((err) => { process.send!({ type: 'error', message: err instanceof Error ? err.message : String(err) } satisfies FromChild); });
    }
  });
}
