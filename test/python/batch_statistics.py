"""An independent oracle for `scenario-lab variations --metric`: reads a batch output folder's
files directly (batch-state.json, batch-costs.json, each run's scenario-state(-v2).json) and
computes the issue's definitions with SciPy (t quantile, Welch's t-test). Prints canonical JSON.

usage: batch_statistics.py BATCH_DIR WORKSPACE_RELATIVE_BATCH_DIR METRIC [--include-failed] [--actor A]
"""
import json
import os
import re
import sys
from statistics import mean, stdev

from scipy import stats

batch_dir, rel, metric = sys.argv[1:4]
include_failed = '--include-failed' in sys.argv
actor = sys.argv[sys.argv.index('--actor') + 1] if '--actor' in sys.argv else None


def load(name):
    path = os.path.join(batch_dir, name)
    return json.load(open(path)) if os.path.exists(path) else None


state = load('batch-state.json') or {}
costs = load('batch-costs.json') or {}
completed = set(state.get('completed_runs', []))
failed = [f['run_id'] for f in state.get('failed_runs', [])]


def final_value(folder):
    """Mean of the folder's records of the metric at the highest persisted turn that has any (spec 10.1: V.metrics, turn <= S.turn)."""
    try:
        last = json.load(open(os.path.join(folder, 'scenario-state.json')))['turn']
        records = json.load(open(os.path.join(folder, 'scenario-state-v2.json')))['metrics']
    except (OSError, KeyError, ValueError):
        return None
    records = [r for r in records if r['name'] == metric and r['turn'] <= last and (actor is None or r.get('actor') == actor)]
    if not records:
        return None
    top = max(r['turn'] for r in records)
    return mean(r['value'] for r in records if r['turn'] == top)


def summary(values):
    n = len(values)
    if n == 0:
        return {'n': 0, 'mean': None, 'sd': None, 'min': None, 'max': None, 'ci95_low': None, 'ci95_high': None}
    m = mean(values)
    if n < 2:
        return {'n': n, 'mean': m, 'sd': None, 'min': min(values), 'max': max(values), 'ci95_low': m, 'ci95_high': m}
    sd = stdev(values)
    half = stats.t.ppf(0.975, n - 1) * sd / n ** 0.5
    return {'n': n, 'mean': m, 'sd': sd, 'min': min(values), 'max': max(values), 'ci95_low': m - half, 'ci95_high': m + half}


runs_dir = os.path.join(batch_dir, 'runs')
# Run folders with files: an empty folder (a run the budget refused in sequential mode) is no run folder.
names = sorted(n for n in os.listdir(runs_dir) if os.listdir(os.path.join(runs_dir, n))) if os.path.isdir(runs_dir) else []
variations = []
samples = {}
for v in state.get('variations', []):
    vid = v['variation_id']
    own = [n for n in names if re.fullmatch(r'var-0*%d-run-\d{3,}' % vid, n)]
    scope = [n for n in own if include_failed or n in completed]
    values = [x for x in (final_value(os.path.join(runs_dir, n)) for n in scope) if x is not None]
    samples[vid] = values
    entries = [c['cost'] for c in costs.get('run_costs', []) if c['variation_id'] == vid]
    total = 0.0
    for c in entries:
        total += c
    variations.append({
        'variation_id': vid,
        'run_folders': [f'{rel}/runs/{n}' for n in own],
        'runs_completed': sum(1 for n in completed if re.fullmatch(r'var-0*%d-run-\d{3,}' % vid, n)),
        'runs_failed': sum(1 for n in failed if re.fullmatch(r'var-0*%d-run-\d{3,}' % vid, n)),
        'total_cost': total,
        'avg_cost_per_run': total / len(entries) if entries else None,
        'final': summary(values),
    })

comparisons = []
base = variations[0]['variation_id']
for v in variations[1:]:
    a, b = samples[v['variation_id']], samples[base]
    diff = mean(a) - mean(b) if a and b else None
    t = p = None
    if len(a) >= 2 and len(b) >= 2 and (stdev(a) > 0 or stdev(b) > 0):
        result = stats.ttest_ind(a, b, equal_var=False)
        t, p = float(result.statistic), float(result.pvalue)
    comparisons.append({'variation_id': v['variation_id'], 'baseline_variation_id': base, 'mean_difference': diff, 'welch_t': t, 'p_value': p})

print(json.dumps({'variations': variations, 'comparisons': comparisons}))
