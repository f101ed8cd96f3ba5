// The worker's door: every message from the page is checked here against the protocol and the
// settings table before the session acts on it. The page only sends valid commands, but a worker
// is reachable by any script on the page (and by a page of another version), so a command that
// would train with a learning rate of 1e9 or a batch of 3.5 samples is refused with the reason,
// and nothing about the run changes.

import { BACKEND_CHOICES, type BackendCache, type BackendMeasurement, type Command, type SweepCommand } from './protocol';
import { FIELD_NAMES, isRunAdjustable, parseConfig, checkField, type Config, type FieldName } from '../core/config';

export type CheckedCommand = { command: Command } | { refused: string };

const COMMAND_TYPES = ['start', 'step', 'reset', 'resume', 'pause', 'update', 'drawing-signal'] as const;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Why `raw` is not a complete, valid Config ("" when it is). */
function configProblems(raw: unknown, what: string): string[] {
  if (!isRecord(raw)) return [`${what} is not an object`];
  const missing = FIELD_NAMES.filter((f) => !Object.hasOwn(raw, f)).map((f) => `${what} lacks ${f}`);
  return [...missing, ...parseConfig(raw).problems.map((p) => `${what}: ${p.message}`)];
}

/** What is wrong with each run-adjustable value in `changes`, taken alone. */
function adjustmentProblems(changes: Record<string, unknown>): string[] {
  return Object.entries(changes).flatMap(([key, value]) =>
    !(FIELD_NAMES as string[]).includes(key) ? [`${key} is not a setting`]
      : !isRunAdjustable(key as FieldName) ? [`${key} cannot change while a run goes on`]
        : [checkField(key as FieldName, value)?.message ?? []].flat());
}

/** Why applying `changes` to a run with `config` is refused (an empty list when it is not). */
export function updateProblems(config: Config, changes: Record<string, unknown>): string[] {
  const alone = adjustmentProblems(changes);
  // Valid alone, they must also fit the run (BatchNorm needs two samples per batch, say).
  return alone.length ? alone : parseConfig({ ...config, ...changes }).problems.map((p) => p.message);
}

/** A stored speed measurement the worker may trust, or null (a damaged one is dropped and the backends timed again). */
function measurement(v: unknown): BackendMeasurement | null {
  if (!isRecord(v) || typeof v.key !== 'string' || !Array.isArray(v.figures) || typeof v.measuredAt !== 'number') return null;
  return (BACKEND_CHOICES as readonly unknown[]).includes(v.backend) && v.backend !== 'auto' ? (v as unknown as BackendMeasurement) : null;
}

function backendCache(v: unknown): BackendCache | undefined {
  if (!isRecord(v)) return undefined;
  return Object.fromEntries(Object.entries(v).flatMap(([k, m]) => (measurement(m) ? [[k, measurement(m)!]] : [])));
}

/** The command `data` is, checked, or why it is refused. */
export function checkCommand(data: unknown): CheckedCommand {
  if (!isRecord(data)) return { refused: `a message that is not a command (${data === null ? 'null' : typeof data})` };
  const type = data.type;
  if (!(COMMAND_TYPES as readonly unknown[]).includes(type)) return { refused: `no command is called ${JSON.stringify(type)?.slice(0, 40)}` };
  const refuse = (problems: string[]) => ({ refused: `${type as string}: ${problems.slice(0, 4).join('; ')}${problems.length > 4 ? ` (and ${problems.length - 4} more)` : ''}` });
  switch (type) {
    case 'pause':
      return { command: { type } };
    case 'update': {
      if (!isRecord(data.changes)) return refuse(['the changes are not an object']);
      // Each value alone here; against the run's other settings where the run is (updateProblems).
      const problems = adjustmentProblems(data.changes);
      return problems.length ? refuse(problems) : { command: { type, changes: data.changes } };
    }
    case 'drawing-signal':
      return data.buffer instanceof SharedArrayBuffer ? { command: { type, buffer: data.buffer } } : refuse(['the buffer is not a SharedArrayBuffer']);
    default: {
      const problems: string[] = [];
      if (!Number.isSafeInteger(data.runId) || (data.runId as number) < 0) problems.push('runId is not a whole number >= 0');
      problems.push(...configProblems(data.config, 'config'));
      if (data.backend !== undefined && !(BACKEND_CHOICES as readonly unknown[]).includes(data.backend)) problems.push(`backend ${JSON.stringify(data.backend)?.slice(0, 40)} is not one of ${BACKEND_CHOICES.join(', ')}`);
      if (data.compare != null) {
        if (!isRecord(data.compare)) problems.push('compare is not an object');
        else if (isRecord(data.config)) problems.push(...configProblems({ ...data.config, ...data.compare }, 'the comparison'));
      }
      if (type === 'resume' && !isRecord(data.checkpoint)) problems.push('the checkpoint is not an object');
      if (problems.length) return refuse(problems);
      // The checkpoint's own contents are checked where it is restored (a bad one gives a fresh run and says why).
      return { command: { ...(data as unknown as Command), backendCache: backendCache(data.backendCache) } as Command };
    }
  }
}

/** A sweep worker's command (one cell of the page's grid), checked the same way, or why it is refused. */
export function checkSweepCommand(data: unknown): { command: SweepCommand } | { refused: string } {
  if (!isRecord(data) || data.type !== 'cell' || !isRecord(data.cell)) return { refused: 'a message that is not a sweep cell' };
  const { cell, points } = data;
  const problems = configProblems(cell.config, 'the cell\'s config');
  if (!Number.isSafeInteger(cell.index) || (cell.index as number) < 0) problems.push('the cell\'s index is not a whole number >= 0');
  if (!Number.isSafeInteger(cell.seed) || (cell.seed as number) < 0) problems.push('the cell\'s seed is not a whole number >= 0');
  if (!isRecord(cell.params)) problems.push('the cell\'s params are not an object');
  if (!Number.isSafeInteger(points) || (points as number) < 1) problems.push('points is not a whole number >= 1');
  return problems.length ? { refused: problems.slice(0, 4).join('; ') } : { command: data as unknown as SweepCommand };
}
