/**
 * Hovers in a run's markdown: a metric's name or a value its extraction pattern pulled from the
 * line shows that metric at this run and turn, its change, its trend, and the scenario's
 * cross-run aggregate; an actor's name shows that actor's action this turn. Everything comes from
 * the index (never a file scan); per-file context and scenario summaries are cached until the
 * index changes, so a hover costs one or two indexed queries.
 */
import * as vscode from 'vscode';
import { formatNumber, plural } from '../core/analytics/numberFormat';
import type { MetricPoint, MetricSummary, RunFileContext } from '../core/analytics/hoverQueries';
import type { MetricDefinition } from '../core/format/records';
import { findHoverTarget } from '../core/hover/hoverTargets';
import { sparkline } from '../core/hover/sparkline';
import { worldStateFileTurn } from '../core/format/worldState';
import { isWorldStateFile, turnNumberingNote } from '../core/hover/worldStateTurn';
import type { Feature } from './feature';
import { readSettings } from './settings';
import { Commands } from './constants';

const TRUSTED_COMMANDS = [Commands.showMetricChart, Commands.compareRuns, Commands.revealMetric, Commands.openSource];
/** Runs offered to the comparison besides the hovered one: a comparison of more is unreadable. */
const COMPARE_WITH = 4;

export const metricHover: Feature = (_context, service) => {
  const queries = service.analytics;
  const contexts = new Map<string, Promise<RunFileContext | undefined>>();
  const summaries = new Map<string, Promise<MetricSummary>>();
  const scenarioRuns = new Map<string, Promise<string[]>>();
  let enabled = readSettings().hoversEnabled;

  const provider: vscode.HoverProvider = {
    async provideHover(document, position, token) {
      if (!enabled) return undefined;
      const fileKey = service.keyOf(document.uri);
      if (!fileKey) return undefined;
      const context = await cached(contexts, fileKey, () => queries.runFileContext(fileKey));
      if (!context?.runId || token.isCancellationRequested) return undefined;
      const line = document.lineAt(position.line).text;
      const target = findHoverTarget(line, position.character, context.metrics, isWorldStateFile(fileKey) ? context.actors : []);
      if (!target) return undefined;
      const place = await queries.linePlace(context.folderId, fileKey, position.line + 1);
      const title = document.lineAt(0).text;
      // A file the index has no turn for (the formatted copy of a run's last turn): the format says which it holds.
      const turnNum = place?.turnNum ?? worldStateFileTurn(fileKey.slice(fileKey.lastIndexOf('/') + 1), document.getText());
      const note = turnNumberingNote(title, turnNum);
      if (token.isCancellationRequested) return undefined;
      const range = new vscode.Range(position.line, target.start, position.line, target.end);
      if (target.kind === 'actor') {
        if (turnNum === undefined) return undefined;
        const decision = await queries.actorDecision(context.runId, turnNum, target.actor);
        if (!decision || token.isCancellationRequested) return undefined;
        return new vscode.Hover(withNote(actorMarkdown(target.actor, turnNum, decision.action, decision.source), note), range);
      }
      const scenario = context.scenarioId ?? '';
      const [series, summary, runs] = await Promise.all([
        queries.runMetricSeries(context.runId, target.metric.name),
        cached(summaries, `${scenario}\u0000${target.metric.name}`, () => queries.scenarioMetricSummary(scenario, target.metric.name)),
        cached(scenarioRuns, scenario, () => service.analytics.listRunIds({ scenarioId: scenario })),
      ]);
      if (token.isCancellationRequested) return undefined;
      const others = runs.filter((id) => id !== context.runId).slice(0, COMPARE_WITH);
      const view: MetricView = { metric: target.metric, matched: target.matched, actor: place?.actor ?? null, runId: context.runId, scenario, turnNum, series, summary, compareWith: others };
      return new vscode.Hover(withNote(metricMarkdown(view), note), range);
    },
  };

  const forget = () => {
    contexts.clear();
    summaries.clear();
    scenarioRuns.clear();
  };
  return [
    vscode.languages.registerHoverProvider({ language: 'markdown', scheme: 'file' }, provider),
    service.onDidChange(forget),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('scenarioLab.hovers.enabled')) enabled = readSettings().hoversEnabled;
    }),
  ];
};

/** A failed lookup is not cached: the next hover asks again. */
function cached<T>(cache: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
  let value = cache.get(key);
  if (!value) {
    value = load();
    cache.set(key, value);
    value.catch(() => cache.delete(key));
  }
  return value;
}

/** Why the turn shown differs from the file's title, in italics under the hover's figures. */
function withNote(md: vscode.MarkdownString, note: string | undefined): vscode.MarkdownString {
  // Our own words and two numbers: safe as markdown (appendText would turn its spaces into &nbsp;).
  if (note) md.appendMarkdown(`\n\n*${note}*`);
  return md;
}

interface MetricView {
  metric: MetricDefinition;
  matched: string | undefined;
  /** The actor whose decision this line is in, if any. */
  actor: string | null;
  runId: string;
  scenario: string;
  turnNum: number | undefined;
  series: MetricPoint[];
  summary: MetricSummary;
  compareWith: string[];
}

function metricMarkdown(v: MetricView): vscode.MarkdownString {
  const md = trustedMarkdown();
  const unit = v.metric.unit ? ` ${v.metric.unit}` : '';
  md.appendMarkdown(`**${escape(v.metric.name)}**`);
  if (v.metric.description) md.appendMarkdown(' — ').appendText(v.metric.description);
  md.appendMarkdown('\n\n');
  const turns = [...new Set(v.series.map((p) => p.turnNum))];
  const at = (turn: number | undefined) => v.series.filter((p) => p.turnNum === turn);
  const here = at(v.turnNum);
  md.appendMarkdown(`Run ${code(v.runId)}${v.turnNum !== undefined ? `, turn ${v.turnNum}` : ''}: `);
  if (here.length === 0) md.appendMarkdown('*no record at this turn*');
  else md.appendMarkdown(here.map((p) => `**${formatValue(v.metric, p.value)}**${p.actor ? ` (${escape(p.actor)})` : ''}`).join(', ') + escape(unit));
  const previous = turns.filter((t) => v.turnNum !== undefined && t < v.turnNum).pop();
  if (here.length === 1 && previous !== undefined && at(previous).length === 1 && isNumeric(v.metric)) {
    const delta = here[0].value - at(previous)[0].value;
    md.appendMarkdown(` (${delta > 0 ? '▲ +' : delta < 0 ? '▼ ' : '± '}${formatNumber(delta)} since turn ${previous})`);
  }
  if (v.matched !== undefined) md.appendMarkdown(`\n\nThis text reads `).appendText(`"${v.matched}"`).appendMarkdown(v.actor ? ` (${escape(v.actor)}'s decision)` : '');
  if (turns.length > 1) {
    const means = turns.map((t) => mean(at(t).map((p) => p.value)));
    md.appendMarkdown(`\n\nTrend, turns ${turns[0]}–${turns[turns.length - 1]}: \`${sparkline(means)}\` ${means.map((m) => formatValue(v.metric, m)).join(' → ')}`);
  }
  const turnAggregate = v.turnNum !== undefined ? v.summary.byTurn.get(v.turnNum) : undefined;
  md.appendMarkdown(`\n\nAcross ${plural(v.summary.runCount, 'run')} of *${escape(v.scenario)}*`);
  if (turnAggregate) md.appendMarkdown(` at turn ${v.turnNum}: avg ${formatNumber(turnAggregate.avg)}, min ${formatNumber(turnAggregate.min)}, max ${formatNumber(turnAggregate.max)};`);
  const o = v.summary.overall;
  md.appendMarkdown(` all turns: avg ${formatNumber(o.avg)}, min ${formatNumber(o.min)}, max ${formatNumber(o.max)} (${plural(o.count, 'record')})`);
  md.appendMarkdown(
    `\n\n[Open chart](${commandUri(Commands.showMetricChart, { metric: v.metric.name, scenario: v.scenario, runId: v.runId })})` +
      ` · [Compare with other runs](${commandUri(Commands.compareRuns, { runIds: [v.runId, ...v.compareWith] })})` +
      ` · [Show in Metrics view](${commandUri(Commands.revealMetric, { metric: v.metric.name, scenario: v.scenario })})`,
  );
  return md;
}

function actorMarkdown(actor: string, turnNum: number, action: string, source: { file: string; startLine: number; endLine: number; focusLine: number } | undefined): vscode.MarkdownString {
  const md = trustedMarkdown();
  md.appendMarkdown(`**${escape(actor)}** — action in turn ${turnNum}\n\n`);
  const short = action.length > 600 ? `${action.slice(0, 600)}…` : action;
  md.appendText(short || '(no action recorded)');
  if (source) md.appendMarkdown(`\n\n[Open decision file](${commandUri(Commands.openSource, source)})`);
  return md;
}

function trustedMarkdown(): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  // Command links work only for our own commands; run text is appended with appendText (escaped).
  md.isTrusted = { enabledCommands: TRUSTED_COMMANDS };
  md.supportHtml = false;
  return md;
}

/** A code span; backslash escapes do not work inside one, so backticks are replaced. */
function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

function commandUri(command: string, args?: unknown): string {
  return args === undefined ? `command:${command}` : `command:${command}?${encodeURIComponent(JSON.stringify([args]))}`;
}

/** Escapes text placed inside our own markdown (names, ids), as appendText does for longer text. */
function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, '\\$&');
}

function isNumeric(metric: MetricDefinition): boolean {
  return metric.type !== 'categorical' && metric.type !== 'boolean';
}

function formatValue(metric: MetricDefinition, value: number): string {
  if (metric.type === 'categorical' && metric.categories) return escape(metric.categories[Math.round(value)] ?? String(value));
  if (metric.type === 'boolean') return value >= 0.5 ? 'yes' : 'no';
  return formatNumber(value);
}


function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}
