#!/usr/bin/env python3
"""Replay a RankLab run in PyTorch and report how far the two engines are apart.

    npm run train -- --steps 50 --snapshotEvery 1 --out runs/x
    /usr/bin/python3 scripts/replay.py runs/x [--mnist public/data/mnist.bin] [--fixture DIR] [--per-step]
    npx tsx scripts/gradient-check.ts runs/x && /usr/bin/python3 scripts/replay.py runs/x --gradients

Rebuilds the network from runs/x/init/*.npy, feeds it exactly the batches in
runs/x/batches.npy, trains with torch.optim.SGD(lr=mu, momentum=m,
weight_decay=2*lambda) -- the paper's W <- (1 - 2*mu*lambda) W - mu*G -- and prints
the largest relative difference of every final parameter (final/*.npy) and of
every recorded training loss (run.json). numpy and torch only.

Each run is replayed twice, in float32 and in float64: next to each difference the
script prints torch float32's own distance from float64, the error a float32 engine
can be expected to have on that run (on a chaotic run, BatchNorm at B <= 4, far more
than on a tame one).

With --fixture DIR it also writes what RankLab's tests compare against: the torch
per-step losses and final parameters in float32 and float64 (DIR/torch.json,
DIR/final/*.npy, DIR/final64/*.npy).
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
    # In float64, rounded once to float32: exactly RankLab's inputs (normalizeMnistByte in
    # src/core/data/loadMnist.ts), so every engine and the float64 yardstick see the same numbers.
    x = ((pixels[split].astype(np.float64) / 255 - mean) / std).astype(np.float32)
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


def train(net, c, batches, x_train, y_train):
    """torch.optim.SGD over exactly RankLab's batches; returns the loss of every step."""
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
    return losses


def weight_gradients(net, x, y):
    """The loss gradient of every weight matrix on one batch, in training mode, with no step taken."""
    net.zero_grad()
    net.train()
    nn.CrossEntropyLoss()(net(x), y).backward()
    grads = {k[:-len('.weight')]: p.grad.detach().numpy().copy() for k, p in net.named_parameters() if k.endswith('.weight') and p.dim() >= 2}
    # Training mode moved the running statistics: put them back, every batch starts from the same state.
    return grads


def compare_gradients(folder, c, net, net64, batches, x_train, y_train, orders=6):
    """Each engine's gradients against float64, batch by batch from the initial weights, next to
    torch float32's own: as torch computes it, and with the input pixels summed in `orders` other
    (random) orders, which is as legitimate. Over BatchNorm with batches of 2 a feature whose two
    values nearly coincide makes the gradients hang on the last bits of the first matmul, so float32's
    error spans ~10x with nothing but the summation order: the yardstick is that spread."""
    if c['model'] != 'mlp':
        sys.exit('--gradients compares MLPs (a conv kernel is laid out differently in RankLab)')
    base = os.path.join(folder, 'gradients')
    engines = sorted(os.listdir(base))
    state32 = {k: v.clone() for k, v in net.state_dict().items()}
    state64 = {k: v.clone() for k, v in net64.state_dict().items()}
    rng = np.random.default_rng(0)
    perms = [torch.from_numpy(rng.permutation(x_train.shape[1])) for _ in range(orders)]
    errors = {}  # (who, layer) -> per-batch errors
    batches_done = 0
    for b, idx in enumerate(batches):
        if not all(os.path.exists(os.path.join(base, e, f'{b}_fc1.npy')) for e in engines):
            break
        batches_done += 1
        idx = torch.from_numpy(idx.astype(np.int64))
        net64.load_state_dict(state64)
        g64 = weight_gradients(net64, x_train[idx].double(), y_train[idx])
        found = {e: {layer: np.load(os.path.join(base, e, f'{b}_{layer}.npy')).T for layer in g64} for e in engines}  # tfjs layout [dIn, dOut]
        net.load_state_dict(state32)
        found['torch32'] = weight_gradients(net, x_train[idx], y_train[idx])
        reordered = []
        for perm in perms:
            net.load_state_dict(state32)
            with torch.no_grad():
                net.fc1.weight.copy_(net.fc1.weight[:, perm])
            g = weight_gradients(net, x_train[idx][:, perm], y_train[idx])
            g['fc1'] = g['fc1'][:, np.argsort(perm.numpy())]
            reordered.append(g)
        for layer, exact in g64.items():
            scale = max(float(np.max(np.abs(exact))), 1e-300)
            err = lambda g: float(np.max(np.abs(g.astype(np.float64) - exact))) / scale
            for who, g in found.items():
                errors.setdefault((who, layer), []).append(err(g[layer]))
            errors.setdefault(('torch32 any order', layer), []).append(max(err(g[layer]) for g in reordered))
    who_all = engines + ['torch32', 'torch32 any order']
    print(f'gradients of every weight matrix at the initial weights, {batches_done} batches of {c["batchSize"]}'
          f'{" with BatchNorm" if c["batchNorm"] else ""}: max |g - g64| / max |g64|, median and worst over the batches')
    print(f'  torch32 any order: the worst of torch float32 with the input pixels summed in {orders} random orders')
    print(f'  {"layer":8s} ' + ' '.join(f'{w:>21s}' for w in who_all))
    for layer in g64:
        print(f'  {layer:8s} ' + ' '.join(f'{np.median(errors[(w, layer)]):10.2e} {max(errors[(w, layer)]):10.2e}' for w in who_all))


def final_state(net):
    return {k: v.detach().numpy() for k, v in net.state_dict().items() if not k.endswith('num_batches_tracked')}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('run')
    ap.add_argument('--mnist', help='path of mnist.bin (default: the one named in run.json)')
    ap.add_argument('--fixture', help='also write the torch results here (for RankLab tests)')
    ap.add_argument('--per-step', action='store_true', help='print every step\'s loss against float64, ours and torch float32\'s')
    ap.add_argument('--gradients', action='store_true',
                    help='compare the gradients scripts/gradient-check.ts wrote (RUN/gradients/ENGINE/) with torch float32 and float64')
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

    # The same run twice: in float32 (what RankLab computes in) and in float64, the yardstick. How far
    # torch's own float32 run lands from float64 is the error any float32 engine can be expected to
    # have on this run; on a chaotic one (BatchNorm at B <= 4) that is far more than on a tame one.
    net64 = RankLabNet(c).double()
    net64.load_state_dict({k: v.double() if v.is_floating_point() else v for k, v in net.state_dict().items()})
    if args.gradients:
        return compare_gradients(args.run, c, net, net64, batches, x_train, y_train)
    losses = train(net, c, batches, x_train, y_train)
    losses64 = train(net64, c, batches, x_train.double(), y_train)

    # Losses: each snapshot's trainLoss is the mean over the steps since the previous one.
    worst_loss, worst_loss64, worst_loss32, prev = 0.0, 0.0, 0.0, 0
    for s in run['snapshots']:
        if s['step'] > prev:
            ours = s['trainLoss']
            theirs = float(np.mean(losses[prev:s['step']]))
            exact = float(np.mean(losses64[prev:s['step']]))
            worst_loss = max(worst_loss, abs(ours - theirs) / abs(theirs))
            worst_loss64 = max(worst_loss64, abs(ours - exact) / abs(exact))
            worst_loss32 = max(worst_loss32, abs(theirs - exact) / abs(exact))
            prev = s['step']
    final = load_tensors(os.path.join(args.run, 'final'))
    theirs_final, exact_final = final_state(net), final_state(net64)
    diffs = {k: rel_diff(k, final, theirs_final) for k in theirs_final}
    diffs64 = {k: rel_diff(k, final, exact_final) for k in exact_final}
    own64 = {k: rel_diff(k, theirs_final, exact_final) for k in exact_final}
    mu, lam = c['learningRate'], c['weightDecay']
    print(f'replayed {len(batches)} steps of {c["model"]} depth {c["depth"]} width {c["width"]}'
          f'{" +BN" if c["batchNorm"] else ""}: B={c["batchSize"]} mu={mu} lambda={lam} (torch weight_decay={2 * lam})')
    print(f'  {"":24s} {"ours - torch32":>15s} {"ours - torch64":>15s} {"torch32 - torch64":>18s} {"ratio":>7s}  (max |a - b| / max |b| per tensor)')
    for k in diffs:
        print(f'  {k:24s} {diffs[k]:15.2e} {diffs64[k]:15.2e} {own64[k]:18.2e} {diffs64[k] / max(own64[k], 1e-300):7.1f}')
    print(f'  {"recorded losses":24s} {worst_loss:15.2e} {worst_loss64:15.2e} {worst_loss32:18.2e}')
    if args.per_step:
        ours_by_step = {s['step']: s['trainLoss'] for s in run['snapshots']}
        for t in range(1, len(losses) + 1):
            if t in ours_by_step:
                e64 = losses64[t - 1]
                print(f'  step {t:4d} loss |ours - torch64| {abs(ours_by_step[t] - e64) / abs(e64):9.2e}   |torch32 - torch64| {abs(losses[t - 1] - e64) / abs(e64):9.2e}')
    print(f'largest relative difference: final parameters {max(diffs.values()):.2e}, recorded losses {worst_loss:.2e}')
    print(f'against float64: ours {max(diffs64.values()):.2e}, torch float32 {max(own64.values()):.2e} '
          f'(ours / torch32 worst tensor ratio {max(diffs64[k] / max(own64[k], 1e-300) for k in diffs64):.1f})')

    if args.fixture:
        os.makedirs(os.path.join(args.fixture, 'final'), exist_ok=True)
        os.makedirs(os.path.join(args.fixture, 'final64'), exist_ok=True)
        for k, v in theirs_final.items():
            np.save(os.path.join(args.fixture, 'final', f'{k}.npy'), v.astype(np.float32))
            np.save(os.path.join(args.fixture, 'final64', f'{k}.npy'), exact_final[k].astype(np.float64))
        json.dump({'config': c, 'steps': len(batches), 'losses': losses, 'losses64': losses64,
                   'torch': torch.__version__, 'ranklabBackend': run['backend']},
                  open(os.path.join(args.fixture, 'torch.json'), 'w'), indent=1)
        print(f'wrote {args.fixture}/torch.json and final/*.npy')


if __name__ == '__main__':
    main()
