// Prints, for every committed LAPACK fixture, our rank next to numpy's
// matrix_rank(W/||W||_F, tol=1e-3) computed on the same matrix (the README's table;
// src/core/spectra/rank.test.ts asserts they are equal).
//   npx tsx scripts/authors-rank-table.ts

import { loadSvdFixtures } from '../src/core/spectra/fixtures/svdFixtures';
import { measureLayer } from '../src/core/spectra';

console.log('| fixture | shape | RankLab rank_eps (eps = 1e-3) | numpy.linalg.matrix_rank(W/‖W‖_F, tol=1e-3) | stable rank |');
console.log('| --- | --- | --- | --- | --- |');
for (const f of loadSvdFixtures()) {
  const ours = measureLayer(f.name, f.data, f.rows, f.cols, 1e-3);
  console.log(`| ${f.name} | ${f.rows} x ${f.cols} | ${ours.rank} | ${f.matrixRank} | ${ours.stableRank.toFixed(3)} |`);
}
