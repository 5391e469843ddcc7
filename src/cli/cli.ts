#!/usr/bin/env node
/**
 * `scenario-lab`: the command-line front end of the index. Readable tables by default, `--json`
 * with the database guide's snake_case names, progress on stderr, exit code 2 for bad arguments
 * and 1 for anything else that went wrong (missing database, unknown run, SQL error).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { runReadOnlySql } from '../core/analytics/readOnlySql';
import { nonFiniteAsText } from '../core/db/encoding';
import type { IndexRoot } from '../core/discover/discoverFolders';
import type { IndexProgress } from '../core/indexer/indexer';
import { assertSavable, RefusedFileError } from '../core/db/indexFile';
import { openScenarioIndex, type ScenarioIndex } from '../core/scenarioIndex';
import { readWorkerBeside } from '../core/worker/readerSource';
import { ArgumentError, experimentsCommand, filteredRunsCommand, variationsCommand } from './experimentCommands';
import { aggregateJson, decisionJson, evolutionJson, metricJson, runJson, statisticsJson } from './jsonNames';
import { formatCost } from '../core/analytics/numberFormat';
import { textTable } from './textTable';

const USAGE = `Usage: scenario-lab <command> [arguments] --db <index file> [--json]

Commands:
  index <folder...> [--include GLOB] [--exclude GLOB]
                               index run folders (incremental) into the --db file;
                               globs match folder paths relative to each folder given
  runs [--scenario S]          list runs, newest first
  runs --where "M>=0.7" [--max-cost USD] [--experiment E] [--scenario S] [--actor A]
                               run folders whose final metric values and cost meet the
                               thresholds (operators >= <= > < = !=; repeat --where to AND)
  experiments                  batch experiments: variations, runs planned/completed/failed, cost
  variations <experiment> [--metric M] [--actor A] [--include-failed]
                               per variation: runs, costs and the metric's final values
                               (n, mean, sd, 95% CI) compared with variation 1 (Welch's t)
  stats <run-id>               run statistics: counts, cost by phase/actor/model, tokens
  compare <run-id...>          statistics of several runs side by side
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
  sql "<SELECT …>"             a read-only SQL query against the index
  problems                     files the indexer could not read completely

The index is a SQLite file with Scenario Lab's own tables (open it with sqlite3 or
Scenario Lab's Database class); it is never a scenario-lab.db that Scenario Lab writes.
Only 'index' writes the --db file, and only a file that is an index (or empty): any other
file is refused and left untouched (exit status 2). The other commands never write.`;

class UsageError extends Error {}

const OPTIONS = {
  db: { type: 'string' },
  json: { type: 'boolean', default: false },
  scenario: { type: 'string' },
  actor: { type: 'string' },
  name: { type: 'string' },
  out: { type: 'string' },
  include: { type: 'string', multiple: true },
  exclude: { type: 'string', multiple: true },
  force: { type: 'boolean', default: false },
  metric: { type: 'string' },
  experiment: { type: 'string' },
  where: { type: 'string', multiple: true },
  'max-cost': { type: 'string' },
  'include-failed': { type: 'boolean', default: false },
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
      process.stdout.write(`${USAGE}\n`);
      return values.help ? 0 : 2;
    }
    if (!values.db) throw new UsageError(`'${command}' needs --db <index file>.`);
    if (command === 'index') return await indexCommand(args, values);
    if (!COMMANDS[command]) throw new UsageError(`Unknown command '${command}'.`);
    // Every command but 'index' only reads: it never writes, renames or creates the --db file.
    const index = await openScenarioIndex(values.db, { readOnly: true });
    try {
      reportNotices(index);
      return await COMMANDS[command](index, args, values);
    } finally {
      await index.close();
    }
  } catch (error) {
    if (error instanceof UsageError || error instanceof ArgumentError) {
      process.stderr.write(`scenario-lab: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    if (error instanceof RefusedFileError) {
      process.stderr.write(`scenario-lab: ${error.message}\n`);
      return 2;
    }
    process.stderr.write(`scenario-lab: ${(error as Error).message}\n`);
    return 1;
  }
}

type Command = (index: ScenarioIndex, args: string[], options: Options) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  runs: async (index, _args, o) => {
    if (o.where || o['max-cost'] !== undefined || o.experiment !== undefined) return filteredRunsCommand(index, o, print, printError);
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
    const runId = one(args, 'stats needs a run id');
    const stats = await index.analytics.getRunStatistics(runId);
    if (!stats) return unknownRun(runId);
    if (o.json) return json(statisticsJson(stats));
    print(
      textTable(
        ['run id', 'scenario', 'status', 'turns', 'decisions', 'messages', 'metrics', 'cost', 'tokens'],
        [[stats.runId, stats.scenarioName, stats.status, stats.turnCount, stats.decisionCount, stats.communicationCount, stats.metricCount, formatCost(stats.totalCost), stats.tokens.total]],
      ),
    );
    print('');
    print(textTable(['phase', 'cost'], stats.costByPhase.map((c) => [c.phase, formatCost(c.total)])));
    print('');
    print(textTable(['actor', 'cost'], stats.costByActor.map((c) => [c.actor, formatCost(c.total)])));
    print('');
    print(textTable(['model', 'cost'], stats.costByModel.map((c) => [c.model, formatCost(c.total)])));
    return 0;
  },
  compare: async (index, args, o) => {
    if (args.length === 0) throw new UsageError('compare needs at least one run id');
    const comparison = await index.analytics.compareRuns(args);
    const missing = args.filter((id) => !comparison.runs.some((r) => r.runId === id));
    if (missing.length > 0) return unknownRun(missing.join(', '));
    if (o.json) return json({ runs: comparison.runs.map(statisticsJson) });
    const phases = [...new Set(comparison.runs.flatMap((r) => r.costByPhase.map((c) => c.phase)))].sort();
    print(
      textTable(
        ['run id', 'scenario', 'status', 'turns', 'decisions', 'messages', 'metrics', 'cost', ...phases.map((p) => `${p} cost`)],
        comparison.runs.map((r) => [
          r.runId, r.scenarioName, r.status, r.turnCount, r.decisionCount, r.communicationCount, r.metricCount, formatCost(r.totalCost),
          ...phases.map((p) => formatCost(r.costByPhase.find((c) => c.phase === p)?.total ?? 0)),
        ]),
      ),
    );
    return 0;
  },
  aggregate: async (index, args, o) => {
    const metric = one(args, 'aggregate needs a metric name');
    const result = await index.analytics.aggregateMetrics(metric, { scenario: o.scenario, actor: o.actor });
    if (o.json) return json(aggregateJson(result));
    print(textTable(['metric', 'scenario', 'avg', 'min', 'max', 'count'], [[result.metric, result.scenario ?? '(all)', result.avg, result.min, result.max, result.count]]));
    return 0;
  },
  evolution: async (index, args, o) => {
    const metric = one(args, 'evolution needs a metric name');
    const points = await index.analytics.metricEvolution(metric, { scenario: o.scenario, actor: o.actor });
    if (o.json) return json(evolutionJson(metric, o.scenario, points));
    print(textTable(['turn', 'avg', 'min', 'max', 'count'], points.map((p) => [p.turn, p.avg, p.min, p.max, p.count])));
    return 0;
  },
  metrics: async (index, _args, o) => {
    const metrics = await index.analytics.queryMetrics({ metricName: o.name, scenario: o.scenario, actor: o.actor });
    if (o.json) return json(metrics.map(metricJson));
    print(textTable(['run id', 'turn', 'metric', 'actor', 'value', 'source'], metrics.map((m) => [m.runId, m.turnNum, m.name, m.actor, m.value, sourceText(m.source)])));
    return 0;
  },
  decisions: async (index, args, o) => {
    const actor = one(args, 'decisions needs an actor name (quote names with spaces)');
    const decisions = await index.analytics.queryDecisionsForActor(actor, { scenario: o.scenario });
    if (o.json) return json(decisions.map(decisionJson));
    print(textTable(['run id', 'turn', 'action', 'source'], decisions.map((d) => [d.runId, d.turnNum, excerpt(d.action), sourceText(d.source)])));
    return 0;
  },
  'export-csv': async (index, _args, o) => {
    const csv = await index.exportCsv({ metricName: o.name, scenario: o.scenario, actor: o.actor });
    if (o.out) {
      fs.writeFileSync(o.out, csv);
      process.stderr.write(`wrote ${csv.split('\r\n').length - 2} metric rows to ${o.out}\n`);
    } else process.stdout.write(csv);
    return 0;
  },
  backup: async (index, args, o) => {
    const destination = one(args, 'backup needs a destination file');
    if (index.file && path.resolve(destination) === path.resolve(index.file)) throw new UsageError('backup needs a destination other than the index itself');
    await index.backup(destination, { force: o.force });
    process.stderr.write(`backed up the index to ${destination}\n`);
    return 0;
  },
  sql: async (index, args, o) => {
    const text = one(args, 'sql needs a query, e.g. "SELECT COUNT(*) FROM runs"');
    const result = runReadOnlySql(index.db, text);
    if (o.json) return json(result.rows.map((row) => Object.fromEntries(result.columns.map((c, i) => [c, row[i]]))));
    print(textTable(result.columns, result.rows.map((row) => row.map((v) => (v instanceof Uint8Array ? `<${v.byteLength} bytes>` : v)))));
    return 0;
  },
  experiments: (index, _args, o) => experimentsCommand(index, o, print),
  variations: (index, args, o) => variationsCommand(index, args, o, print, printError),
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
  await assertSavable(o.db!); // refuse before the work, not after it
  const index = await openScenarioIndex(o.db!, { readWorkerScript: readWorkerBeside(__dirname) });
  try {
    reportNotices(index);
    // The command line reads what the user points it at, links included (a trusted context).
    const report = await index.index({ roots, include: o.include, exclude: o.exclude, links: 'follow', onProgress: progressPrinter() });
    await index.save();
    const clashes = await index.analytics.runIdClashes();
    const runs = await index.analytics.listRuns();
    process.stderr.write('\n');
    if (o.json) return json({ ...report, runs: runs.length, run_id_clashes: clashes });
    print(
      `Indexed ${report.foldersIndexed} run folder(s) (${report.foldersUnchanged} unchanged, ${report.foldersRemoved} removed), ` +
        `${report.filesRead} files, ${(report.bytesRead / 1e6).toFixed(1)} MB in ${report.durationMs} ms: ${runs.length} runs in ${o.db}.`,
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
    process.stderr.write(`\r${p.phase} ${p.done}/${p.total}   `);
  };
}

function reportNotices(index: ScenarioIndex): void {
  for (const notice of index.notices) process.stderr.write(`scenario-lab: ${notice}\n`);
}

function one(args: string[], message: string): string {
  if (args.length !== 1) throw new UsageError(message);
  return args[0];
}

function unknownRun(runId: string): number {
  process.stderr.write(`scenario-lab: no run with id ${runId} in the index (list them with: scenario-lab runs --db …)\n`);
  return 1;
}

function json(value: unknown): number {
  // JSON has no Infinity: a stored ±Infinity prints as the string "Infinity" / "-Infinity" (see README).
  process.stdout.write(`${JSON.stringify(value, nonFiniteAsText, 2)}\n`);
  return 0;
}

function print(text: string): void {
  process.stdout.write(`${text}\n`);
}

function printError(text: string): void {
  process.stderr.write(`${text}\n`);
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 80 ? `${flat.slice(0, 77)}...` : flat;
}

function sourceText(source: { file: string; focusLine: number } | undefined): string {
  return source ? `${source.file}:${source.focusLine}` : '';
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
