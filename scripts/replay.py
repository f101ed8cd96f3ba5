#!/usr/bin/env python3
"""Replay a RankLab run in PyTorch and report how far the two engines are apart.

    npm run train -- --steps 50 --snapshotEvery 1 --out runs/x
    /usr/bin/python3 scripts/replay.py runs/x [--mnist public/data/mnist.bin] [--fixture DIR]

Rebuilds the network from runs/x/init/*.npy, feeds it exactly the batches in
runs/x/batches.npy, trains with torch.optim.SGD(lr=mu, momentum=m,
weight_decay=2*lambda) -- the paper's W <- (1 - 2*mu*lambda) W - mu*G -- and prints
the largest relative difference of every final parameter (final/*.npy) and of
every recorded training loss (run.json). numpy and torch only.

With --fixture DIR it also writes what RankLab's tests compare against: the torch
per-step losses and final parameters (DIR/torch.json, DIR/final/*.npy).
"""
import argparse
import json
import os
import sys

import numpy as np
import torch
from torch import nn


def load_mnist(path, split, mean, std):
    raw = open(path, 'rb').read()
    if raw[:4] != b'RLMN':
        sys.exit(f'{path}: not a RankLab MNIST file (run npm install)')
    count, rows, cols = np.frombuffer(raw, '<u4', 3, 8)
    pixels = np.frombuffer(raw, np.uint8, count * rows * cols, 20).reshape(count, rows * cols)
    labels = np.frombuffer(raw, np.uint8, count, 20 + count * rows * cols)
    x = (pixels[split].astype(np.float32) / np.float32(255) - np.float32(mean)) / np.float32(std)
    return torch.from_numpy(x), torch.from_numpy(labels[split].astype(np.int64))


class RankLabNet(nn.Module):
    """The same layers, names and order as src/core/models (mlp.ts, cnn.ts)."""

    def __init__(self, c, in_size=784, classes=10):
        super().__init__()
        self.c = c
        act = nn.ReLU if c['activation'] == 'relu' else nn.Tanh
        self.blocks = []
        if c['model'] == 'mlp':
            for i in range(c['depth']):
                last = i == c['depth'] - 1
                d_in = in_size if i == 0 else c['width']
                d_out = classes if last else c['width']
                setattr(self, f'fc{i + 1}', nn.Linear(d_in, d_out))
                self.blocks.append(f'fc{i + 1}')
                if not last:
                    if c['batchNorm']:
                        setattr(self, f'bn{i + 1}', nn.BatchNorm1d(d_out, eps=1e-5, momentum=0.1))
                        self.blocks.append(f'bn{i + 1}')
                    self.blocks.append(act())
        else:
            size, ch = 28, 1
            for i in range(c['depth']):
                setattr(self, f'conv{i + 1}', nn.Conv2d(ch, c['width'], 3, stride=2, padding=1))
                self.blocks.append(f'conv{i + 1}')
                if c['batchNorm']:
                    setattr(self, f'bn{i + 1}', nn.BatchNorm2d(c['width'], eps=1e-5, momentum=0.1))
                    self.blocks.append(f'bn{i + 1}')
                self.blocks.append(act())
                size, ch = (size + 2 - 3) // 2 + 1, c['width']
            self.blocks.append('flatten')  # NCHW order; RankLab exports fc.weight permuted to match
            self.fc = nn.Linear(ch * size * size, classes)
            self.blocks.append('fc')

    def forward(self, x):
        if self.c['model'] == 'cnn':
            x = x.reshape(-1, 1, 28, 28)
        for b in self.blocks:
            if b == 'flatten':
                x = torch.flatten(x, 1)
            elif isinstance(b, str):
                x = getattr(self, b)(x)
            else:
                x = b(x)
        return x


def load_tensors(folder):
    return {f[:-4]: np.load(os.path.join(folder, f)) for f in sorted(os.listdir(folder)) if f.endswith('.npy')}


def rel_diff(name, ours, theirs):
    """Largest absolute difference of a tensor, relative to the largest magnitude in its layer.
    A layer's bias is measured against the layer's weights too: a bias in front of BatchNorm
    gets no gradient and holds only rounding noise near 0, whose own relative error means nothing."""
    b = theirs[name]
    scale = float(np.max(np.abs(b)))
    weight = name[:-len('bias')] + 'weight'
    if name.endswith('.bias') and weight in theirs and theirs[weight].ndim >= 2:
        scale = max(scale, float(np.max(np.abs(theirs[weight]))))
    return float(np.max(np.abs(ours[name] - b))) / max(scale, 1e-30)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('run')
    ap.add_argument('--mnist', help='path of mnist.bin (default: the one named in run.json)')
    ap.add_argument('--fixture', help='also write the torch results here (for RankLab tests)')
    args = ap.parse_args()
    torch.set_num_threads(1)
    run = json.load(open(os.path.join(args.run, 'run.json')))
    c = run['config']
    split = np.load(os.path.join(args.run, 'split_train.npy'))
    if c['dataset'] == 'mnist':
        d = run['replay']['data']
        x_train, y_train = load_mnist(args.mnist or d['source'], split, d['normalise']['mean'], d['normalise']['std'])
    else:
        x_train = torch.from_numpy(np.load(os.path.join(args.run, 'train_x.npy')))
        y_train = torch.from_numpy(np.load(os.path.join(args.run, 'train_y.npy')).astype(np.int64))
    batches = np.load(os.path.join(args.run, 'batches.npy'))

    net = RankLabNet(c)
    init = load_tensors(os.path.join(args.run, 'init'))
    state = net.state_dict()
    missing = set(state) - set(init) - {k for k in state if k.endswith('num_batches_tracked')}
    if missing:
        sys.exit(f'init/ lacks {sorted(missing)}')
    net.load_state_dict({k: torch.from_numpy(init[k]) if k in init else v for k, v in state.items()})

    mu, lam, m = c['learningRate'], c['weightDecay'], c['momentum']
    opt = torch.optim.SGD(net.parameters(), lr=mu, momentum=m, weight_decay=2 * lam)
    loss_fn = nn.CrossEntropyLoss()
    losses = []
    net.train()
    for t, idx in enumerate(batches):
        lr = mu * c['lrDecayFactor'] ** sum(1 for s in c['lrDecaySteps'] if s <= t) if c['lrSchedule'] == 'step' else mu
        for g in opt.param_groups:
            g['lr'] = lr
        idx = torch.from_numpy(idx.astype(np.int64))
        loss = loss_fn(net(x_train[idx]), y_train[idx])
        losses.append(loss.item())
        opt.zero_grad()
        loss.backward()
        opt.step()

    # Losses: each snapshot's trainLoss is the mean over the steps since the previous one.
    worst_loss, prev = 0.0, 0
    for s in run['snapshots']:
        if s['step'] > prev:
            ours = s['trainLoss']
            theirs = float(np.mean(losses[prev:s['step']]))
            worst_loss = max(worst_loss, abs(ours - theirs) / abs(theirs))
            prev = s['step']
    final = load_tensors(os.path.join(args.run, 'final'))
    theirs_final = {k: v.detach().numpy() for k, v in net.state_dict().items() if not k.endswith('num_batches_tracked')}
    diffs = {k: rel_diff(k, final, theirs_final) for k in theirs_final}
    print(f'replayed {len(batches)} steps of {c["model"]} depth {c["depth"]} width {c["width"]}'
          f'{" +BN" if c["batchNorm"] else ""}: B={c["batchSize"]} mu={mu} lambda={lam} (torch weight_decay={2 * lam})')
    for k, v in diffs.items():
        print(f'  {k:24s} max |ours - torch| / max |torch| = {v:.2e}')
    print(f'largest relative difference: final parameters {max(diffs.values()):.2e}, recorded losses {worst_loss:.2e}')

    if args.fixture:
        os.makedirs(os.path.join(args.fixture, 'final'), exist_ok=True)
        for k, v in theirs_final.items():
            np.save(os.path.join(args.fixture, 'final', f'{k}.npy'), v.astype(np.float32))
        json.dump({'config': c, 'steps': len(batches), 'losses': losses,
                   'torch': torch.__version__, 'ranklabBackend': run['backend']},
                  open(os.path.join(args.fixture, 'torch.json'), 'w'), indent=1)
        print(f'wrote {args.fixture}/torch.json and final/*.npy')


if __name__ == '__main__':
    main()
