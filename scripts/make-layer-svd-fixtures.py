#!/usr/bin/env python3
"""Layer-sized LAPACK references for src/core/spectra's Gram route.

Run from the repository root with Debian's Python (it has numpy):

    /usr/bin/python3 scripts/make-layer-svd-fixtures.py

Writes, in src/core/spectra/fixtures/:
  layer_<name>.npy     the matrix, float32 (what tfjs hands back), row-major
  layer_<name>.s.npy   numpy.linalg.svd(W.astype(float64), compute_uv=False)

The small fixtures of scripts/make-svd-fixtures.py cannot show how the Gram route's
error grows with the size of the matrix; these are the size of a hidden layer and
have singular values on both sides of 1e-7 * sigma_max, where its accuracy contract
(1e-9 * sigma_max above that line) is tightest. Deterministic: one seeded generator.
"""

import os

import numpy as np

SEED = 20250314
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "src", "core", "spectra", "fixtures")


def orthonormal_columns(rng, m, r):
    q, r_factor = np.linalg.qr(rng.standard_normal((m, r)))
    return q * np.sign(np.diag(r_factor))


def main():
    rng = np.random.default_rng(SEED)
    cases = []
    # Trained-like, stored as the trainer stores a dense weight ([d_in, d_out]): 12 strong
    # directions over He-sized noise at 1e-6, whose singular values straddle 1e-7 sigma_max.
    d_in, d_out, r = 300, 120, 12
    std = np.sqrt(2.0 / d_in)
    w = (rng.standard_normal((d_in, r)) @ rng.standard_normal((r, d_out))) * (std / np.sqrt(r))
    w += 1e-6 * std * rng.standard_normal((d_in, d_out))
    cases.append(("trained_like_300x120", w))
    # Clusters from 1 down to 1e-9 and exact zeros (wide: the transposed path), 12 values each.
    levels = [1.0, 1e-3, 1e-5, 1e-6, 2e-7, 1.1e-7, 1e-9, 0.0]
    spectrum = np.repeat(levels, 12)
    m, n = 96, 256
    w = (orthonormal_columns(rng, m, len(spectrum)) * spectrum) @ orthonormal_columns(rng, n, len(spectrum)).T
    cases.append(("clustered_96x256", w))
    os.makedirs(FIXTURES, exist_ok=True)
    for name, w64 in cases:
        w32 = w64.astype(np.float32)
        s = np.linalg.svd(w32.astype(np.float64), compute_uv=False)
        np.save(os.path.join(FIXTURES, f"layer_{name}.npy"), w32)
        np.save(os.path.join(FIXTURES, f"layer_{name}.s.npy"), s)
        above = int(np.sum(s > 1e-7 * s[0]))
        print(f"  layer_{name}: {w32.shape}, {above} of {len(s)} values above 1e-7 sigma_max, smallest above {s[above - 1] / s[0]:.2e}")


if __name__ == "__main__":
    main()
