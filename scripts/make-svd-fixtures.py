#!/usr/bin/env python3
"""Reference fixtures for src/core/spectra and src/core/npy.ts.

Run from the repository root with Debian's Python (it has numpy):

    /usr/bin/python3 scripts/make-svd-fixtures.py

Writes
  src/core/spectra/fixtures/svd-fixtures.json  a list of cases
      {name, rows, cols, data, singularValues, matrixRank, stableRank}
  src/core/fixtures/*.npy                      tiny arrays saved by np.save

Every matrix is generated in float64, rounded to float32 (what tfjs hands
back), and the references are computed from those float32 values cast to
float64, so the TypeScript side sees exactly the matrix numpy saw. The JSON
numbers are Python reprs of float64s, which parse back to the same double.

matrixRank is numpy.linalg.matrix_rank(W / ||W||_F, tol=1e-3) (0 for the zero
matrix, where W / ||W||_F is undefined); stableRank is ||W||_F^2 / ||W||_2^2
from numpy's singular values (0 for the zero matrix). The output is
deterministic: one seeded generator, cases drawn in a fixed order.
"""

import json
import os

import numpy as np

SEED = 20240607
RANK_TOL = 1e-3
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SPECTRA_FIXTURES = os.path.join(ROOT, "src", "core", "spectra", "fixtures")
NPY_FIXTURES = os.path.join(ROOT, "src", "core", "fixtures")


def orthonormal_columns(rng, m, r):
    """An m x r matrix with orthonormal columns (QR of a Gaussian, signs fixed)."""
    q, r_factor = np.linalg.qr(rng.standard_normal((m, r)))
    return q * np.sign(np.diag(r_factor))


def planted(rng, m, n, spectrum):
    """U diag(spectrum) V^T with random orthonormal U (m x r) and V (n x r)."""
    s = np.asarray(spectrum, dtype=np.float64)
    r = len(s)
    return (orthonormal_columns(rng, m, r) * s) @ orthonormal_columns(rng, n, r).T


def make_cases(rng):
    """(name, float64 matrix) pairs, in a fixed order."""
    cases = []
    cases.append(("gaussian_tall_50x20", rng.standard_normal((50, 20))))
    cases.append(("gaussian_wide_20x50", rng.standard_normal((20, 50))))
    cases.append(("gaussian_square_40x40", rng.standard_normal((40, 40))))
    cases.append(("row_1x30", rng.standard_normal((1, 30))))
    cases.append(("column_30x1", rng.standard_normal((30, 1))))
    cases.append(("zero_5x7", np.zeros((5, 7))))
    cases.append(("rank3_product_40x30", rng.standard_normal((40, 3)) @ rng.standard_normal((3, 30))))
    cases.append(("rank1_outer_25x15", np.outer(rng.standard_normal(25), rng.standard_normal(15))))
    # Geometric decay from 1 to 1e-7: about 17 of 40 values exceed 1e-3 * ||s||.
    cases.append(("planted_geometric_60x40", planted(rng, 60, 40, np.logspace(0, -7, 40))))
    # The same kind of spectrum on a wide matrix (the transposed path).
    cases.append(("planted_geometric_wide_40x90", planted(rng, 40, 90, np.logspace(0, -7, 40))))
    # Clusters of equal values (and two split by 1e-9 relative).
    clustered = [1.0] * 5 + [0.5] * 5 + [0.1] * 4 + [0.01, 0.01, 0.01 * (1 + 1e-9)] + [1e-3] * 3 + [1e-5] * 4
    cases.append(("clustered_30x30", planted(rng, 30, 30, clustered)))
    # A conv layer's kernel as a matrix: 16 filters x (8 channels * 3 * 3), He-scaled.
    cases.append(("conv_like_16x72", rng.standard_normal((16, 72)) * np.sqrt(2.0 / 72)))
    # Tall enough for the QR-first path, with a planted decay.
    cases.append(("planted_tall_200x30", planted(rng, 200, 30, 0.7 ** np.arange(30))))
    cases.append(("decaying_100x100", planted(rng, 100, 100, 0.9 ** np.arange(100))))
    return cases


def reference(name, w64):
    """The fixture record for the float32 rounding of w64."""
    w = w64.astype(np.float32).astype(np.float64)
    s = np.linalg.svd(w, compute_uv=False)
    fro = np.linalg.norm(w)
    if fro == 0:
        rank, stable = 0, 0.0
    else:
        rank = int(np.linalg.matrix_rank(w / fro, tol=RANK_TOL))
        stable = float(np.sum(s**2) / s[0] ** 2)
        # A value sitting on the threshold would make the rank test flaky.
        margin = np.min(np.abs(s / fro - RANK_TOL)) / RANK_TOL
        assert margin > 1e-6, f"{name}: a singular value is within {margin} of the rank threshold"
    rows, cols = w.shape
    return {
        "name": name,
        "rows": int(rows),
        "cols": int(cols),
        "data": [float(v) for v in w.ravel()],
        "singularValues": [float(v) for v in s],
        "matrixRank": rank,
        "stableRank": stable,
    }


def write_npy_fixtures():
    """Tiny arrays saved by numpy itself, to check src/core/npy.ts byte for byte."""
    os.makedirs(NPY_FIXTURES, exist_ok=True)
    arrays = {
        "float32_2x3.npy": np.array([[1.5, -2.0, 3.25], [0.1, 1e-8, -7.0]], dtype=np.float32),
        "int32_4.npy": np.array([1, -2, 300000, -2147483648], dtype=np.int32),
        "float64_2x2.npy": np.array([[np.pi, -1e-300], [2.0, 0.0]], dtype=np.float64),
        "uint8_5.npy": np.array([0, 1, 127, 128, 255], dtype=np.uint8),
    }
    for file_name, array in arrays.items():
        np.save(os.path.join(NPY_FIXTURES, file_name), array)


def main():
    rng = np.random.default_rng(SEED)
    records = [reference(name, w) for name, w in make_cases(rng)]
    os.makedirs(SPECTRA_FIXTURES, exist_ok=True)
    path = os.path.join(SPECTRA_FIXTURES, "svd-fixtures.json")
    with open(path, "w") as f:
        json.dump(records, f, separators=(",", ":"))
        f.write("\n")
    write_npy_fixtures()
    print(f"wrote {len(records)} cases to {os.path.relpath(path, ROOT)} ({os.path.getsize(path)} bytes)")
    for r in records:
        print(f"  {r['name']:32s} rank@{RANK_TOL:g}={r['matrixRank']:3d} stableRank={r['stableRank']:.4f}")


if __name__ == "__main__":
    main()
