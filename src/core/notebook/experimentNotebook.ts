/**
 * The notebook hand-off: a Jupyter notebook (nbformat 4.5) that opens our index file (a plain SQLite
 * file) with Python's sqlite3 + pandas, read-only, and reproduces an experiment's per-variation table:
 * the same figures as `scenario-lab variations <experiment> --metric M --json` (counts from
 * sl_batch_runs, costs from sl_batch_costs, final values from metrics via sl_folder_rows, Student's t
 * interval and Welch's test from SciPy). Every value the notebook puts into SQL is a bound parameter;
 * names from run files reach the code only as JSON string literals (valid Python literals) and the
 * markdown only escaped.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { markdownInline } from '../text/markdownText';

export interface NotebookSpec {
  /** Absolute path of the index file the notebook opens. */
  indexFile: string;
  /** The experiment's folder key (sl_experiments.folder), e.g. `experiments/model-comparison`. */
  experimentFolder: string;
  experimentName: string;
  /** The metric of the final-value statistics; null for counts and costs only. */
  metric: string | null;
}

/** A string as a Python literal: JSON's escapes are Python's (\\uXXXX, \\", \\\\, \\n). */
const py = (value: string | null): string => (value === null ? 'None' : JSON.stringify(value));

const code = (lines: string[]) => ({ cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source: withNewlines(lines) });
const markdown = (lines: string[]) => ({ cell_type: 'markdown', metadata: {}, source: withNewlines(lines) });

/** nbformat keeps a cell's source as lines, each but the last ending in a newline. */
function withNewlines(lines: string[]): string[] {
  return lines.map((l, i) => (i < lines.length - 1 ? `${l}\n` : l));
}

/** The notebook as nbformat 4 JSON (an object; JSON.stringify it to write the .ipynb). */
export function experimentNotebook(spec: NotebookSpec) {
  const cells = [
    markdown([
      `# Experiment: ${markdownInline(spec.experimentName)}`,
      '',
      `Batch output folder ${markdownInline(spec.experimentFolder)}. The Scenario Lab index is a plain SQLite file: Scenario Lab's own tables`,
      '(`runs`, `turns`, `decisions`, `communications`, `metrics`, `costs`) plus the extension\'s `sl_*` tables',
      '(batch experiments in `sl_experiments`, `sl_variations`, `sl_batch_runs`, `sl_batch_costs`).',
      'The cells below open it read-only and rebuild the table of `scenario-lab variations --metric`.',
    ]),
    code([
      'import sqlite3',
      'from pathlib import Path',
      '',
      'import pandas as pd',
      '',
      `INDEX_FILE = ${py(spec.indexFile)}`,
      `EXPERIMENT = ${py(spec.experimentFolder)}`,
      `METRIC = ${py(spec.metric)}`,
      'INCLUDE_FAILED = False  # True: statistics over every run of a variation, as --include-failed',
      '',
      '# Read-only: the notebook never changes the index (the extension rewrites it as runs change).',
      'con = sqlite3.connect(Path(INDEX_FILE).as_uri() + "?mode=ro", uri=True)',
      'pd.read_sql_query("SELECT * FROM sl_experiments WHERE folder = ?", con, params=(EXPERIMENT,))',
    ]),
    markdown([
      "**Or with Scenario Lab's own `Database` class** (the database guide's API), if Scenario Lab is installed in this kernel.",
      'It takes an SQLAlchemy URL and calls `create_all()`, which finds every table already there:',
      '',
      '```python',
      'from scenario_lab.database import Database',
      'db = Database(f"sqlite:///{INDEX_FILE}")',
      'runs = db.list_runs()',
      'pd.DataFrame([db.get_run_statistics(r.id) for r in runs])',
      '```',
    ]),
    code([
      '# Per variation: runs by batch status (batch-state.json) and costs (batch-costs.json).',
      'variations = pd.read_sql_query(',
      '    "SELECT variation_id, description, modifications FROM sl_variations WHERE experiment = ? ORDER BY variation_id",',
      '    con, params=(EXPERIMENT,))',
      'counts = pd.read_sql_query(',
      '    "SELECT variation_id, SUM(completed) AS runs_completed, SUM(failed_count) AS runs_failed"',
      '    " FROM sl_batch_runs WHERE experiment = ? GROUP BY variation_id", con, params=(EXPERIMENT,))',
      'costs = pd.read_sql_query(',
      '    "SELECT variation_id, SUM(cost) AS total_cost, COUNT(*) AS cost_entries"',
      '    " FROM sl_batch_costs WHERE experiment = ? GROUP BY variation_id", con, params=(EXPERIMENT,))',
      'table = variations.merge(counts, on="variation_id", how="left").merge(costs, on="variation_id", how="left")',
      'table[["runs_completed", "runs_failed", "cost_entries"]] = table[["runs_completed", "runs_failed", "cost_entries"]].fillna(0).astype(int)',
      'table["total_cost"] = table["total_cost"].fillna(0.0)',
      'table["avg_cost_per_run"] = table["total_cost"] / table["cost_entries"].where(table["cost_entries"] > 0)',
      'table',
    ]),
    markdown([
      "A run's **final value** of the metric is the mean of that run folder's records of it at the highest turn that has any.",
      'Rows are taken per folder (the turn ids it wrote, `sl_folder_rows`), so parallel runs sharing a run id stay apart.',
      'Statistics use the completed runs (`success`) that recorded the metric: n, mean, sample sd, min, max and the',
      "95 % confidence interval of the mean with Student's t; every variation is compared with variation 1 by Welch's t-test.",
    ]),
    code([
      'import math',
      'from scipy import stats',
      '',
      'records = pd.read_sql_query("""',
      '    SELECT b.variation_id, b.folder, b.status AS batch_status, t.turn_num, m.value',
      '    FROM sl_batch_runs b',
      '    JOIN sl_folders f ON f.path = b.folder',
      "    JOIN sl_folder_rows r ON r.folder_id = f.id AND r.tbl = 'turns'",
      '    JOIN metrics m ON m.name = ? AND m.turn_id BETWEEN r.first_id AND r.last_id',
      '    JOIN turns t ON t.id = m.turn_id',
      '    WHERE b.experiment = ?""", con, params=(METRIC, EXPERIMENT))',
      'last = records.groupby("folder")["turn_num"].transform("max")',
      'finals = (records[records["turn_num"] == last]',
      '          .groupby(["variation_id", "folder", "batch_status"], dropna=False)["value"].mean()',
      '          .reset_index(name="final_value"))',
      'in_scope = finals if INCLUDE_FAILED else finals[finals["batch_status"] == "success"]',
      '',
      'def summary(values):',
      '    n = len(values)',
      '    if n == 0:',
      '        return dict(n=0, mean=None, sd=None, min=None, max=None, ci95_low=None, ci95_high=None)',
      '    mean = float(values.mean())',
      '    sd = float(values.std(ddof=1)) if n > 1 else None',
      '    half = stats.t.ppf(0.975, n - 1) * sd / math.sqrt(n) if n > 1 else 0.0',
      '    return dict(n=n, mean=mean, sd=sd, min=float(values.min()), max=float(values.max()), ci95_low=mean - half, ci95_high=mean + half)',
      '',
      'final = pd.DataFrame([dict(variation_id=v, **summary(in_scope.loc[in_scope["variation_id"] == v, "final_value"]))',
      '                      for v in table["variation_id"]])',
      'table = table.merge(final, on="variation_id")',
      'table',
    ]),
    code([
      "# Welch's t-test of every variation against the first (variation 1).",
      'def welch(a, b):',
      '    if len(a) < 2 or len(b) < 2 or (a.std(ddof=1) == 0 and b.std(ddof=1) == 0):',
      '        return None, None',
      '    result = stats.ttest_ind(a, b, equal_var=False)',
      '    return float(result.statistic), float(result.pvalue)',
      '',
      'baseline = table["variation_id"].iloc[0]',
      'values = lambda v: in_scope.loc[in_scope["variation_id"] == v, "final_value"]',
      'rows = []',
      'for v in table["variation_id"].iloc[1:]:',
      '    t, p = welch(values(v), values(baseline))',
      '    a, b = values(v), values(baseline)',
      '    difference = float(a.mean() - b.mean()) if len(a) and len(b) else None',
      '    rows.append(dict(variation_id=v, baseline_variation_id=baseline, mean_difference=difference, welch_t=t, p_value=p))',
      'comparisons = pd.DataFrame(rows, columns=["variation_id", "baseline_variation_id", "mean_difference", "welch_t", "p_value"])',
      'comparisons',
    ]),
  ];
  return {
    cells: cells.map((c, i) => ({ id: `scenario-lab-${i + 1}`, ...c })),
    metadata: { kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' }, language_info: { name: 'python' } },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

/**
 * A file name beside `directory` that does not exist yet: `<base>.ipynb`, else `<base>-2.ipynb`, ….
 * The base is the experiment folder's last part, reduced to safe file-name characters.
 */
export function freeNotebookPath(directory: string, experimentFolder: string): string {
  const base = (experimentFolder.split('/').pop() ?? 'experiment').replace(/[^\p{L}\p{N}._-]+/gu, '-').replace(/^[.-]+/, '') || 'experiment';
  for (let i = 1; ; i++) {
    const candidate = path.join(directory, `${base}${i === 1 ? '' : `-${i}`}.ipynb`);
    if (!fs.existsSync(candidate)) return candidate;
  }
}

/**
 * Writes the notebook to `file`, never over an existing file (exclusive create, so a file made
 * between a check and the write is not replaced either).
 * @throws Error with code EEXIST when `file` exists
 */
export function writeNotebook(file: string, notebook: ReturnType<typeof experimentNotebook>): void {
  fs.writeFileSync(file, `${JSON.stringify(notebook, null, 1)}\n`, { flag: 'wx' });
}
