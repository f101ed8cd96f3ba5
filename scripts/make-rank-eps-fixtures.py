#!/usr/bin/env python3
"""numpy's matrix_rank of every committed SVD fixture at every eps the lab allows a decade of.

Run from the repository root with Debian's Python (it has numpy):

    /usr/bin/python3 scripts/make-rank-eps-fixtures.py

Reads  src/core/spectra/fixtures/svd-fixtures.json (scripts/make-svd-fixtures.py) and
       src/core/spectra/fixtures/layer_*.npy (scripts/make-layer-svd-fixtures.py)
Writes src/core/spectra/fixtures/rank-eps-fixtures.json, a list of
    {name, eps: [...], matrixRank: [...], margin: [...]}
where matrixRank[k] = numpy.linalg.matrix_rank(W / ||W||_F, tol=eps[k]) (0 for the zero
matrix, whose margin is null) and margin[k] = min_i |s_i / ||W||_F - eps[k]| / eps[k], how far the nearest
singular value sits from the threshold (a test that needs the rank exactly at a
threshold a value touches would be testing rounding, not the method).
"""

import json
import os

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "src", "core", "spectra", "fixtures")
EPS = [1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1]


LAYER_FIXTURES = ["trained_like_300x120", "clustered_96x256"]


def matrices():
    """(name, float64 matrix) of every fixture: the JSON ones, then the layer-sized ones."""
    with open(os.path.join(FIXTURES, "svd-fixtures.json")) as f:
        for case in json.load(f):
            w = np.array(case["data"], dtype=np.float32).astype(np.float64).reshape(case["rows"], case["cols"])
            yield case["name"], w
    for name in LAYER_FIXTURES:
        yield name, np.load(os.path.join(FIXTURES, f"layer_{name}.npy")).astype(np.float64)


def main():
    out = []
    for name, w in matrices():
        fro = np.linalg.norm(w)
        ranks, margins = [], []
        for eps in EPS:
            if fro == 0:
                ranks.append(0)
                margins.append(None)  # no threshold to be near
                continue
            ranks.append(int(np.linalg.matrix_rank(w / fro, tol=eps)))
            s = np.linalg.svd(w / fro, compute_uv=False)
            margins.append(float(np.min(np.abs(s - eps)) / eps))
        out.append({"name": name, "eps": EPS, "matrixRank": ranks, "margin": margins})
    path = os.path.join(FIXTURES, "rank-eps-fixtures.json")
    with open(path, "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {len(out)} cases to {os.path.relpath(path, ROOT)}")
    for r in out:
        print(f"  {r['name']:32s} ranks {r['matrixRank']}  min margin {min((m for m in r['margin'] if m is not None), default=float('inf')):.1e}")


if __name__ == "__main__":
    main()
