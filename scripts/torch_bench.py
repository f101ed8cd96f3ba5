#!/usr/bin/env python3
"""PyTorch speed baseline for `npm run bench -- --vs-torch` (scripts/torchBaseline.ts runs it).

    echo '[{"label": "mlp B=8", "seconds": 2, "config": {"model": "mlp", "depth": 4, "width": 128,
           "batchNorm": false, "activation": "relu", "batchSize": 8, "learningRate": 0.1,
           "weightDecay": 0.025, "momentum": 0}}]' | /usr/bin/python3 scripts/torch_bench.py

Reads a JSON array of {label, config, seconds} rows on stdin. For each row it trains the
network of scripts/replay.py (same layers as RankLab) on real MNIST digits with the update
replay.py checks RankLab against, on one thread, and prints one JSON line
{label, stepsPerSecond, threads, torch, blas}: the median of 3 timed windows of `seconds`
each, after a ~0.5 s warm-up. Nothing else goes to stdout; progress goes to stderr.
"""
import ctypes
import json
import os
import re
import statistics
import sys
import time

# torch.set_num_threads() sizes only torch's own OpenMP pool. Debian's torch calls the system
# OpenBLAS (pthread build) for Linear layers, which starts one thread per core unless told
# otherwise before it loads -- so the one-thread baseline must say so here, before `import torch`.
os.environ['OPENBLAS_NUM_THREADS'] = '1'

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

from replay import RankLabNet, load_mnist  # noqa: E402  the network and data replay.py verifies

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MNIST_BIN = os.path.join(ROOT, 'public', 'data', 'mnist.bin')
# MNIST_MEAN / MNIST_STD of src/core/data/loadMnist.ts (run.json's replay.data.normalise).
MNIST_MEAN, MNIST_STD = 0.1307, 0.3081
TRAIN_SIZE = 8000  # RankLab's training split: 80% of the 10000 digits in mnist.bin
WARMUP_SECONDS = 0.5
REPEATS = 3


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def training_set(seed=0):
    """8000 digits chosen at random (mnist.bin is sorted by class), as one float32 tensor."""
    count = int(np.fromfile(MNIST_BIN, '<u4', 1, offset=8)[0])
    split = np.random.default_rng(seed).permutation(count)[:TRAIN_SIZE]
    return load_mnist(MNIST_BIN, split, MNIST_MEAN, MNIST_STD)


def blas_summary():
    """Which BLAS this process really runs: Debian's torch and numpy both link libblas.so.3,
    which update-alternatives points at some implementation; Linear layers use it, convolutions
    use oneDNN. E.g. 'OpenBLAS 0.3.21 SkylakeX, 1 thread; conv: oneDNN v2.6.3'."""
    cfg = torch.__config__.show()
    dnnl = re.search(r'MKL-DNN (v[\d.]+)', cfg)
    conv = f'; conv: oneDNN {dnnl.group(1)}' if dnnl and torch.backends.mkldnn.is_available() else ''
    try:
        from threadpoolctl import threadpool_info
        return '; '.join(f"{p['internal_api']} {p['version']} {p.get('architecture', '')}, "
                         f"{p['num_threads']} thread(s)" for p in threadpool_info()) + conv
    except ImportError:
        pass
    with open('/proc/self/maps') as f:
        paths = sorted({line.split()[-1] for line in f if re.search(r'blas|mkl_', line)})
    try:  # OpenBLAS says which kernels (core) and how many threads it runs
        ob = ctypes.CDLL(next(p for p in paths if 'openblas' in p))  # the copy already loaded
        ob.openblas_get_config.restype = ob.openblas_get_corename.restype = ctypes.c_char_p
        version = ' '.join(ob.openblas_get_config().decode().split()[:2])
        return f'{version} {ob.openblas_get_corename().decode()}, {ob.openblas_get_num_threads()} thread(s){conv}'
    except (StopIteration, OSError, AttributeError):
        pass
    blas_info = re.search(r'BLAS_INFO=(\w+)', cfg)
    return f'torch BLAS_INFO={blas_info and blas_info.group(1)}, loaded {" ".join(map(os.path.basename, paths)) or "none"}{conv}'


def steps_per_second(row, x, y, seed=0):
    c = row['config']
    if c.get('dataset', 'mnist') != 'mnist':
        sys.exit(f'{row["label"]}: this baseline trains on MNIST only, not {c["dataset"]}')
    torch.manual_seed(seed)
    net = RankLabNet(c)
    net.train()
    lam, mu, m = c['weightDecay'], c['learningRate'], c['momentum']
    opt = torch.optim.SGD(net.parameters(), lr=mu, momentum=m, weight_decay=2 * lam)
    loss_fn = nn.CrossEntropyLoss()
    batches = torch.Generator().manual_seed(seed)
    n, b = x.shape[0], c['batchSize']

    def run(seconds):
        """Steps until `seconds` have passed; returns (steps, elapsed seconds)."""
        steps, t0 = 0, time.perf_counter()
        while True:
            # A fresh index tensor and gathered batch every step, as a data loader would give.
            idx = torch.randint(n, (b,), generator=batches)
            loss = loss_fn(net(x[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()  # no loss.item(): nothing to sync, CPU torch has finished the step already
            steps += 1
            elapsed = time.perf_counter() - t0
            if elapsed >= seconds:
                return steps, elapsed

    run(WARMUP_SECONDS)  # first calls allocate buffers and pick kernels
    rates = [s / t for s, t in (run(row['seconds']) for _ in range(REPEATS))]
    log(f'{row["label"]}: {", ".join(f"{r:.1f}" for r in rates)} steps/s')
    return statistics.median(rates)


def main():
    rows = json.load(sys.stdin)
    torch.set_num_threads(1)
    x, y = training_set()
    blas = blas_summary()
    log(f'torch {torch.__version__}, 1 thread, {x.shape[0]}x{x.shape[1]} MNIST; BLAS: {blas}')
    for row in rows:
        rate = steps_per_second(row, x, y)
        print(json.dumps({'label': row['label'], 'stepsPerSecond': round(rate, 2), 'threads': 1,
                          'torch': torch.__version__, 'blas': blas}), flush=True)


if __name__ == '__main__':
    main()
