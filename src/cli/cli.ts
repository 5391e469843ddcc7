#!/usr/bin/env node
/**
 * `scenario-lab`: the command-line front end of the index. Readable tables by default (run text
 * with control characters escaped), `--json` with the database guide's snake_case names and exact
 * text, progress on stderr. Exit statuses: see failures.ts and the usage text.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { IndexRoot } from '../core/folderKeys';
import type { IndexProgress } from '../core/indexer/indexer';
import { assertSavable, RefusedFileError } from '../core/db/indexFile';
import { embeddedSizeWarning } from '../core/db/embeddedLimit';
import { isPostgresUrl } from '../core/db/postgres/connection';
import { openScenarioIndex, type ScenarioIndex } from '../core/scenarioIndex';
import { openSharedIndex, type SharedIndex } from '../core/sharedIndex';
import { readWorkerBeside } from '../core/indexer/reader/readerSource';
import { ArgumentError, experimentsCommand, filteredRunsCommand, variationsCommand } from './experimentCommands';
import { CliFailure, UsageError } from './failures';
import { aggregateJson, decisionJson, evolutionJson, metricJson, runJson, statisticsJson } from './jsonNames';
import { formatCost, NO_VALUE } from '../core/analytics/numberFormat';
import { costBreakdowns, figureTable, formatFigure, namedBreakdowns, runFigures } from '../core/analytics/runFigures';
import type { RunStatistics } from '../core/analytics/types';
import { endProgress, endQuietlyOnBrokenPipe, exitAfterOutput, note, print, printData, printJson, printRaw, progress, warn } from './output';
import { notebookCommand } from './notebookCommand';
import { actorStrategyCommand } from './strategyCommand';
import { sqlCommand, SQL_DATA_ROWS, SQL_TABLE_ROWS } from './sqlCommand';
import { textTable } from './textTable';
import { oneLine } from '../core/text/shortText';
import { requireKnown, unknownName } from './knownNames';

const USAGE = `Usage: scenario-lab <command> [arguments] --db <index file | postgresql://user@host:port/db> [--json]

Commands:
  index <folder...> [--include GLOB] [--exclude GLOB]
                               index run folders (incremental) into the --db file;
                               globs match folder paths relative to each folder given;
                               into PostgreSQL with [--source NAME] (default: this
                               host and the folder, e.g. lab1:/home/me/project), the
                               name that makes one batch indexed from two machines
                               the same folders
  runs [--scenario S]          list runs, newest first
  runs --where "M>=0.7" [--max-cost USD] [--experiment E] [--scenario S] [--actor A]
                               run folders whose final metric values and cost meet the
                               thresholds (operators >= <= > < = !=; repeat --where to AND)
  experiments                  batch experiments: variations, runs planned/completed/failed, cost
  variations <experiment> [--metric M] [--actor A] [--include-failed]
                               per variation: runs, costs and the metric's final values
                               (n, mean, sd, 95% CI) compared with variation 1 (Welch's t)
  actor-strategy [<experiment|scenario>] --actor A [--turn N] [--terms K] [--include-failed]
                               one actor's decisions per variation (per run of a scenario,
                               per scenario of the index): counts, distinctive terms of its
                               actions (log-odds z-score), its actions at one turn
  notebook <experiment> [--metric M] [--out FILE.ipynb]
                               a Jupyter notebook that loads the index with sqlite3/pandas
                               and rebuilds the variations table; never overwrites a file
                               (default: a free name beside the --db file)
  stats <run-id | run folder>  run statistics: counts, cost by phase/actor/model, tokens;
                               a run id several folders carry gives one section per folder
  compare <run-id | folder...> statistics of several runs side by side (one column per
                               folder of a run id that several folders carry)
  aggregate <metric> [--scenario S] [--actor A]
                               avg, min, max and count of a metric
  evolution <metric> [--scenario S] [--actor A]
                               per-turn avg/min/max of a metric across runs
  metrics [--name M] [--scenario S] [--actor A]
                               metric records
  decisions <actor> [--scenario S]
                               every decision of one actor, in turn order
  export-csv [--out FILE] [--name M] [--scenario S] [--actor A]
                               metric records as CSV (stdout without --out)
  backup <destination> [--force]
                               a consistent copy of the index; an existing file is
                               replaced only with --force, and only an earlier backup
  sql "<SELECT …>" [--limit N] [--timeout SECONDS] [--csv]
                               read-only SQL on a snapshot of the index: statements
                               that could change anything are refused; at most N rows
                               (default ${SQL_TABLE_ROWS} for a table, ${SQL_DATA_ROWS} for --json/--csv;
                               a note on stderr says when there were more); stopped
                               after SECONDS (default 30, 0 = no limit)
  problems                     files the indexer could not read completely

Output: tables show control characters in run text escaped (\x1b); --json and CSV are exact.

Exit status:
  0  the command did what was asked
  1  a run, metric, actor, scenario or index that is missing or set aside, or a
     command that could not finish (a query stopped by its time limit or memory)
  2  bad arguments, SQL that is refused or does not compile, or a file that
     scenario-lab refuses to touch

The index is a SQLite file with Scenario Lab's own tables (open it with sqlite3 or
Scenario Lab's Database class); it is never a scenario-lab.db that Scenario Lab writes.
Only 'index' writes the --db file, and only a file that is an index (or empty): any other
file is refused and left untouched (exit status 2). The other commands never write.

--db postgresql://user@host:5432/dbname uses a shared PostgreSQL database instead (the same
tables, read by Scenario Lab's Database("postgresql://…") too): several people and machines
index into it at once and see each other's runs. The password comes from the URL, PGPASSWORD
or ~/.pgpass. 'index' creates the tables in an empty database.`;

const OPTIONS = {
  db: { type: 'string' },
  json: { type: 'boolean', default: false },
  scenario: { type: 'string' },
  actor: { type: 'string' },
  name: { type: 'string' },
  out: { type: 'string' },
  csv: { type: 'boolean', default: false },
  limit: { type: 'string' },
  timeout: { type: 'string' },
  include: { type: 'string', multiple: true },
  exclude: { type: 'string', multiple: true },
  force: { type: 'boolean', default: false },
  metric: { type: 'string' },
  experiment: { type: 'string' },
  where: { type: 'string', multiple: true },
  'max-cost': { type: 'string' },
  'include-failed': { type: 'boolean', default: false },
  turn: { type: 'string' },
  terms: { type: 'string' },
  source: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

type Options = ReturnType<typeof parse>['values'];

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export async function main(argv: string[]): Promise<number> {
  try {
    const { values, positionals } = parse(argv);
    const [command, ...args] = positionals;
    if (values.help || !command) {
      if (values.help) printRaw(`${USAGE}\n`);
      else process.stderr.write(`${USAGE}\n`);
      return values.help ? 0 : 2;
    }
    if (!values.db) throw new UsageError(`'${command}' needs --db <index file>.`);
    if (command === 'index') return await indexCommand(args, values);
    if (!COMMANDS[command]) throw new UsageError(`Unknown command '${command}'.`);
    // Every command but 'index' only reads: it never writes, renames or creates the --db file.
    const index: AnyIndex = isPostgresUrl(values.db) ? await openSharedIndex(values.db) : await openScenarioIndex(values.db, { readOnly: true });
    try {
      reportNotices(index);
      return await COMMANDS[command](index, args, values);
    } finally {
      await index.close();
    }
  } catch (error) {
    if (error instanceof UsageError || error instanceof ArgumentError) {
      warn(`${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof RefusedFileError) {
      warn(error.message);
      return 2;
    }
    warn((error as Error).message);
    return error instanceof CliFailure ? error.exitCode : 1;
  }
}

/** An embedded index file or a shared PostgreSQL index: every query command works on both. */
type AnyIndex = ScenarioIndex | SharedIndex;

type Command = (index: AnyIndex, args: string[], options: Options) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  runs: async (index, _args, o) => {
    await requireKnown(index, { scenario: o.scenario, actor: o.actor });
    if (o.where || o['max-cost'] !== undefined || o.experiment !== undefined) return filteredRunsCommand(index, o, print, note);
    const runs = await index.analytics.listRuns({ scenarioId: o.scenario });
    if (o.json) return json(runs.map(runJson));
    print(
      textTable(
        ['run id', 'scenario', 'status', 'turns', 'cost', 'folder'],
        runs.map((r) => [r.id, r.scenarioName, r.status, r.totalTurns, formatCost(r.totalCost), r.folders.map((f) => f.path).join(', ')]),
      ),
    );
    return 0;
  },
  stats: async (index, args, o) => {
    const key = one(args, 'stats needs a run id or a run folder');
    const sections = await index.analytics.runStatisticsPerFolder(key);
    if (sections.length === 0) return unknownRun(index, key);
    if (o.json) return json(sections.length === 1 ? statisticsJson(sections[0]) : sections.map(statisticsJson));
    if (sections.length > 1) note(`run id ${key} is carried by ${sections.length} folders: one section per folder (pass a folder path for one)`);
    sections.forEach((stats, i) => {
      if (i > 0) print('');
      if (sections.length > 1) print(`== folder ${stats.folder}`);
      printStatistics(stats);
    });
    return 0;
  },
  compare: async (index, args, o) => {
    if (args.length === 0) throw new UsageError('compare needs at least one run id');
    const perArg = await Promise.all(args.map((key) => index.analytics.runStatisticsPerFolder(key)));
    const missing = args.filter((_, i) => perArg[i].length === 0);
    if (missing.length > 0) return unknownRun(index, missing[0]);
    const comparison = await index.analytics.compareRuns(args);
    if (o.json) return json({ runs: comparison.runs.map(statisticsJson) });
    const shared = new Set(perArg.filter((s) => s.length > 1).map((s) => s[0].runId));
    print(compareTable(comparison.runs));
    for (const runId of shared) note(`run id ${runId} is carried by several folders: one row per folder`);
    return 0;
  },
  aggregate: async (index, args, o) => {
    const metric = one(args, 'aggregate needs a metric name');
    await requireKnown(index, { metric, scenario: o.scenario, actor: o.actor });
    const result = await index.analytics.aggregateMetrics(metric, { scenario: o.scenario, actor: o.actor });
    if (o.json) return json(aggregateJson(result));
    print(textTable(['metric', 'scenario', 'avg', 'min', 'max', 'count'], [[result.metric, result.scenario ?? '(all)', result.avg, result.min, result.max, result.count]]));
    return 0;
  },
  evolution: async (index, args, o) => {
    const metric = one(args, 'evolution needs a metric name');
    await requireKnown(index, { metric, scenario: o.scenario, actor: o.actor });
    const points = await index.analytics.metricEvolution(metric, { scenario: o.scenario, actor: o.actor });
    if (o.json) return json(evolutionJson(metric, o.scenario, points));
    print(textTable(['turn', 'avg', 'min', 'max', 'count'], points.map((p) => [p.turn, p.avg, p.min, p.max, p.count])));
    return 0;
  },
  metrics: async (index, _args, o) => {
    await requireKnown(index, { metric: o.name, scenario: o.scenario, actor: o.actor });
    const metrics = await index.analytics.queryMetrics({ metricName: o.name, scenario: o.scenario, actor: o.actor });
    if (o.json) return json(metrics.map(metricJson));
    print(textTable(['run id', 'turn', 'metric', 'actor', 'value', 'source'], metrics.map((m) => [m.runId, m.turnNum, m.name, m.actor, m.value, sourceText(m.source)])));
    return 0;
  },
  decisions: async (index, args, o) => {
    const actor = one(args, 'decisions needs an actor name (quote names with spaces)');
    await requireKnown(index, { actor, scenario: o.scenario });
    const decisions = await index.analytics.queryDecisionsForActor(actor, { scenario: o.scenario });
    if (o.json) return json(decisions.map(decisionJson));
    print(textTable(['run id', 'turn', 'action', 'source'], decisions.map((d) => [d.runId, d.turnNum, excerpt(d.action), sourceText(d.source)])));
    return 0;
  },
  'export-csv': async (index, _args, o) => {
    await requireKnown(index, { metric: o.name, scenario: o.scenario, actor: o.actor });
    const csv = await index.exportCsv({ metricName: o.name, scenario: o.scenario, actor: o.actor });
    if (o.out) {
      fs.writeFileSync(o.out, csv);
      note(`wrote ${csv.split('\r\n').length - 2} metric rows to ${o.out}`);
    } else printData(csv);
    return 0;
  },
  backup: async (index, args, o) => {
    const destination = one(args, 'backup needs a destination file');
    if (index.engine === 'postgres') throw new UsageError('backup copies an index file; back up a PostgreSQL index with pg_dump');
    if (index.file && path.resolve(destination) === path.resolve(index.file)) throw new UsageError('backup needs a destination other than the index itself');
    await index.backup(destination, { force: o.force });
    note(`backed up the index to ${destination}`);
    return 0;
  },
  sql: async (index, args, o) => {
    const text = one(args, 'sql needs a query, e.g. "SELECT COUNT(*) FROM runs"');
    return sqlCommand(index, text, o);
  },
  experiments: (index, _args, o) => experimentsCommand(index, o, print),
  variations: (index, args, o) => variationsCommand(index, args, o, print, note),
  'actor-strategy': (index, args, o) => actorStrategyCommand(index, args, o),
  notebook: (index, args, o) => notebookCommand(index, args, o),
  problems: async (index, _args, o) => {
    const problems = await index.analytics.listProblems();
    if (o.json) return json(problems);
    print(textTable(['severity', 'file', 'line', 'message'], problems.map((p) => [p.severity, p.file, p.line, p.message])));
    return 0;
  },
};

async function indexCommand(folders: string[], o: Options): Promise<number> {
  if (folders.length === 0) throw new UsageError('index needs at least one folder');
  const roots: IndexRoot[] = folders.map((folder) => ({ name: path.basename(path.resolve(folder)), absPath: path.resolve(folder) }));
  const missing = roots.filter((r) => !fs.existsSync(r.absPath) || !fs.statSync(r.absPath).isDirectory());
  if (missing.length > 0) throw new UsageError(`not a folder: ${missing.map((r) => r.absPath).join(', ')}`);
  const shared = isPostgresUrl(o.db);
  if (!shared) await assertSavable(o.db!); // refuse before the work, not after it
  else if (o.source !== undefined && o.source.trim() === '') throw new UsageError('--source needs a name, e.g. lab-batches');
  if (!shared && o.source !== undefined) throw new UsageError('--source names folders in a shared PostgreSQL index (--db postgresql://…)');
  const readWorkerScript = readWorkerBeside(__dirname);
  const index: AnyIndex = shared ? await openSharedIndex(o.db!, { readWorkerScript, create: true }) : await openScenarioIndex(o.db!, { readWorkerScript });
  try {
    reportNotices(index);
    // The command line reads what the user points it at, links included (a trusted context).
    const options = { roots, include: o.include, exclude: o.exclude, links: 'follow' as const, onProgress: progressPrinter() };
    const report = index.engine === 'postgres' ? await index.index({ ...options, source: o.source }) : await index.index(options);
    if (index.engine === 'sqlite') {
      await index.save();
      const advice = embeddedSizeWarning(index.sizeBytes(), 'index into --db postgresql://user@host:5432/dbname');
      if (advice) warn(advice);
    }
    const clashes = await index.analytics.runIdClashes();
    const runs = await index.analytics.listRuns();
    endProgress();
    if (o.json) return json({ ...report, runs: runs.length, run_id_clashes: clashes });
    print(
      `Indexed ${report.foldersIndexed} run folder(s) (${report.foldersUnchanged} unchanged, ${report.foldersRemoved} removed), ` +
        `${report.filesRead} files, ${(report.bytesRead / 1e6).toFixed(1)} MB in ${report.durationMs} ms: ${runs.length} runs in ${index.engine === 'postgres' ? index.url : o.db}.`,
    );
    if (report.problems > 0) print(`${report.problems} problem(s) recorded; see: scenario-lab problems --db ${o.db}`);
    for (const c of clashes) print(`Run id ${c.runId} is used by ${c.folders.length} folders (${c.folders.join(', ')}); they are merged into one run, as Scenario Lab's database does.`);
    return 0;
  } finally {
    await index.close();
  }
}

function progressPrinter(): (p: IndexProgress) => void {
  let last = 0;
  return (p) => {
    const now = Date.now();
    if (now - last < 200 && p.done !== p.total) return;
    last = now;
    progress(`${p.phase} ${p.done}/${p.total}`);
  };
}

function reportNotices(index: AnyIndex): void {
  for (const notice of index.notices) warn(notice);
}

/** One run's (or one folder's) figures (core/analytics/runFigures), then cost by phase, actor and model, each summing to the total. */
function printStatistics(stats: RunStatistics): void {
  const figures = runFigures(stats);
  print(textTable(['run id', 'scenario', 'status', ...figures.map((f) => f.label)], [[stats.runId, stats.scenarioName, stats.status, ...figures.map((f) => formatFigure(f.value, f.unit))]]));
  // Each breakdown adds up to the run's total: what the costs table lacks is its own line.
  for (const b of costBreakdowns(namedBreakdowns(stats))) {
    print('');
    print(textTable([b.label, 'cost'], b.lines.map((c) => [c.name, formatCost(c.total)])));
  }
}

/**
 * One row per run (per folder when several carry its id): the figures, then cost by phase (cost by
 * actor and model would make the line too wide: the comparison panel and `--json` have them).
 */
function compareTable(runs: readonly RunStatistics[]): string {
  const rows = figureTable(runs.map((r) => ({ ...r, ...namedBreakdowns(r) }))).filter((row) => !row.key.startsWith('actor:') && !row.key.startsWith('model:'));
  return textTable(
    ['run id', 'folder', 'scenario', 'status', ...rows.map((row) => row.label)],
    runs.map((r, i) => [r.runId, r.folder ?? NO_VALUE, r.scenarioName, r.status, ...rows.map((row) => formatFigure(row.values[i], row.unit))]),
  );
}

function one(args: string[], message: string): string {
  if (args.length !== 1) throw new UsageError(message);
  return args[0];
}

async function unknownRun(index: AnyIndex, runId: string): Promise<never> {
  const known = (await index.analytics.listRuns()).map((r) => r.id);
  throw unknownName('run', runId, known, 'list them with: scenario-lab runs --db …');
}

function json(value: unknown): number {
  printJson(value);
  return 0;
}

/** Run text in a table cell: one line of at most 80 characters, in ASCII ('...') as the CLI writes. */
function excerpt(text: string): string {
  return oneLine(text, 80, '...');
}

function sourceText(source: { file: string; focusLine: number } | undefined): string {
  return source ? `${source.file}:${source.focusLine}` : '';
}

if (require.main === module) {
  endQuietlyOnBrokenPipe();
  void main(process.argv.slice(2)).then(exitAfterOutput);
}
