#!/usr/bin/env python3
"""LAPACK's side of scripts/bench-spectra.ts: times numpy.linalg.svd(W, compute_uv=False).

Started by the benchmark as a child process (Debian's /usr/bin/python3 with its numpy):

    /usr/bin/python3 scripts/lapack-svd.py DIR

DIR holds manifest.json, {"sets": {name: ["a.npy", ...]}}, and the matrices as .npy
files (float32, row-major, exactly what the TypeScript side measures). Every matrix is
cast to float64 once, up front (not timed), so each timed call is the LAPACK call
(dgesdd, jobz='N') plus numpy's own copy into Fortran order.

Protocol, one JSON object per line:
  on start           -> {"ready": true, "numpy": ..., "blas": {...}}
  "values SET"       -> writes each matrix's singular values to FILE.s.npy (also a warm-up)
                        -> {"ok": true}
  "time SET REPS"    -> {"totalMs": [...], "perMatrixMs": [[...] per matrix]}
  "quit"             -> exits
"""

import ctypes
import io
import json
import os
import sys
import time
from contextlib import redirect_stdout

import numpy as np


def blas_info():
    """Which BLAS/LAPACK numpy runs on: threadpoolctl if installed, else numpy's config,
    the shared libraries mapped into this process and OpenBLAS's own report."""
    info = {}
    try:
        from threadpoolctl import threadpool_info  # type: ignore

        info["threadpoolctl"] = threadpool_info()
    except ImportError:
        info["threadpoolctl"] = None
    buf = io.StringIO()
    with redirect_stdout(buf):
        np.show_config()
    info["numpy_show_config_libraries"] = sorted(
        {line.split("=", 1)[1].strip() for line in buf.getvalue().splitlines() if line.strip().startswith("libraries")}
    )
    libs = []
    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split()[-1]
            if ("blas" in path or "lapack" in path) and path not in libs:
                libs.append(path)
    info["loaded_libraries"] = libs
    for path in libs:
        if "libopenblas" in os.path.basename(path):
            try:
                lib = ctypes.CDLL(path)
                lib.openblas_get_config.restype = ctypes.c_char_p
                lib.openblas_get_corename.restype = ctypes.c_char_p
                info["openblas_config"] = lib.openblas_get_config().decode()
                info["openblas_core"] = lib.openblas_get_corename().decode()
                info["openblas_threads"] = int(lib.openblas_get_num_threads())
            except (OSError, AttributeError):
                pass
    info["env"] = {k: v for k, v in os.environ.items() if k.startswith(("OPENBLAS", "OMP_", "GOTO"))}
    return info


def main():
    root = sys.argv[1]
    with open(os.path.join(root, "manifest.json")) as f:
        manifest = json.load(f)
    sets = {
        name: [(file, np.ascontiguousarray(np.load(os.path.join(root, file)).astype(np.float64))) for file in files]
        for name, files in manifest["sets"].items()
    }
    print(json.dumps({"ready": True, "numpy": np.__version__, "blas": blas_info()}), flush=True)
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        if words[0] == "quit":
            break
        if words[0] == "values":
            for file, w in sets[words[1]]:
                np.save(os.path.join(root, file + ".s.npy"), np.linalg.svd(w, compute_uv=False))
            print(json.dumps({"ok": True}), flush=True)
        elif words[0] == "time":
            matrices = sets[words[1]]
            reps = int(words[2])
            totals, per = [], [[] for _ in matrices]
            for _ in range(reps):
                t_all = time.perf_counter()
                for k, (_, w) in enumerate(matrices):
                    t0 = time.perf_counter()
                    np.linalg.svd(w, compute_uv=False)
                    per[k].append((time.perf_counter() - t0) * 1e3)
                totals.append((time.perf_counter() - t_all) * 1e3)
            print(json.dumps({"totalMs": totals, "perMatrixMs": per}), flush=True)
        else:
            print(json.dumps({"error": f"unknown command {words[0]}"}), flush=True)


if __name__ == "__main__":
    main()
