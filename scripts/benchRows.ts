// The networks and batch sizes the benchmarks measure, shared by scripts/bench.ts (Node against
// PyTorch) and scripts/bench-browser.ts (the page against Node).

import { configToQuery, parseConfig, type Config } from '../src/core/config';

export const BENCH_ROWS: { label: string; overrides: Partial<Config> }[] = [
  { label: 'default MLP 4x128, B=8', overrides: { batchSize: 8 } },
  { label: 'default MLP 4x128, B=32', overrides: { batchSize: 32 } },
  { label: 'MLP-BN-10-100, B=8', overrides: { depth: 10, width: 100, batchNorm: true, batchSize: 8, weightDecay: 0.02 } },
  { label: 'MLP-BN-10-100, B=32', overrides: { depth: 10, width: 100, batchNorm: true, batchSize: 32, weightDecay: 0.02 } },
  { label: 'CNN 3 conv x 64, B=32', overrides: { model: 'cnn', depth: 3, width: 64, batchSize: 32 } },
];

export const rowConfig = (row: (typeof BENCH_ROWS)[number]): Config => parseConfig(row.overrides).config;
/** The row as a share link's query, trained for long enough that it never finishes inside a benchmark. */
export const rowQuery = (row: (typeof BENCH_ROWS)[number]) => configToQuery({ ...rowConfig(row), steps: 1_000_000 });
