"""Load a run.json (from the page's "Download run" or the CLI's --out) and, if given, its CSV,
with Python's standard library only, and check them against each other:
    python3 scripts/check-run-file.py run.json [run.csv]
Every layer's rank must be the count of its singular values above eps * ||s||_2 (the authors'
rank of W / ||W||_F), and every CSV row the snapshot it stands for. Prints 'ok ...' or fails."""
import csv, json, math, sys

run = json.load(open(sys.argv[1]))
for key in ('config', 'query', 'backend', 'stepsPerSecond', 'divergence', 'snapshots', 'writtenBy'):
    assert key in run, f'run.json has no {key}'
eps = run['config']['eps']
for s in run['snapshots']:
    for layer in s['layers']:
        sv = layer['singularValues']
        assert len(sv) == min(layer['shape']), (layer['name'], len(sv), layer['shape'])
        if any(v is None for v in sv):  # NaN in JSON is null: a diverged snapshot has no spectrum
            continue
        norm = math.sqrt(sum(v * v for v in sv))
        counted = 0 if norm == 0 else sum(1 for v in sv if v / norm > eps)
        assert counted == layer['rank'], (s['step'], layer['name'])
if len(sys.argv) > 2:
    rows = list(csv.DictReader(open(sys.argv[2])))
    assert len(rows) == len(run['snapshots']), (len(rows), len(run['snapshots']))
    for row, s in zip(rows, run['snapshots']):
        assert int(row['step']) == s['step']
        assert abs(float(row['mean_rank']) - s['meanRank']) < 1e-9
        for layer in s['layers']:
            assert int(row['rank_' + layer['name']]) == layer['rank']
    if 'comparison' in run:
        steps = {c['step']: c for c in run['comparison']}
        for row in rows:
            c = steps.get(int(row['step']))
            if c: assert abs(float(row['comparison_mean_rank']) - c['meanRank']) < 1e-9
print('ok', len(run['snapshots']), 'snapshots', run['writtenBy'])
