/**
 * metrics.json: V2 writes a list of metric records (docs/format.md#metrics-file); V1 wrote a summary object whose
 * `metrics_by_turn` maps turn → metric → value (docs/format.md#v1-json). The same readers serve the state files.
 */
import { Fields, isObject, recordFields, report, type JsonObject, type ProblemSink } from './jsonFields';
import { baseName, brief, parseJsonText, scanJsonLines, type JsonLines, type JsonPath } from './jsonText';
import { MAX_TURN, type MetricRecord, type Parsed, type SourceSpan, type V1Metrics } from './records';

export type MetricsJson = { version: 'v2'; records: MetricRecord[] } | ({ version: 'v1' } & V1Metrics);

export function parseMetricsJson(text: string, file: string): Parsed<MetricsJson> {
  const parsed = parseJsonText(text, file);
  const sink: ProblemSink = { file, problems: parsed.problems };
  const root = parsed.value;
  if (Array.isArray(root)) {
    const lines = scanJsonLines(text, [[]]);
    return { value: { version: 'v2', records: readMetricRecords(sink, root, lines, []) }, problems: sink.problems };
  }
  if (isObject(root)) {
    const lines = scanJsonLines(text, [['metrics_by_turn'], ['metrics_by_turn', '*']]);
    const byTurn = new Fields(sink, root, baseName(file), 1).object('metrics_by_turn');
    if (byTurn === undefined && !('metrics_by_turn' in root)) {
      report(sink, 1, 'warning', `${baseName(file)} is an object without "metrics_by_turn", so it holds no metric values`);
    }
    return { value: { version: 'v1', metricsByTurn: readV1MetricsByTurn(sink, byTurn ?? {}, lines, ['metrics_by_turn']) }, problems: sink.problems };
  }
  if (root !== undefined) {
    report(sink, 1, 'error', `${baseName(file)} should hold a list of metric records (or a V1 summary object) but holds something else`);
  }
  return { value: undefined, problems: sink.problems };
}

/** The V2 metric records of the list at `path` (metrics.json's top level or a state file's "metrics"). */
export function readMetricRecords(sink: ProblemSink, list: unknown[], lines: JsonLines, path: JsonPath): MetricRecord[] {
  const records: MetricRecord[] = [];
  list.forEach((item, index) => {
    const record = readMetricRecord(sink, item, `metric record ${index + 1}`, lines.span(sink.file, [...path, index]));
    if (record !== undefined) records.push(record);
  });
  return records;
}

/** One record; skipped (with a warning) when it has no name or no numeric value, since it could not be shown. */
function readMetricRecord(sink: ProblemSink, item: unknown, where: string, span: SourceSpan): MetricRecord | undefined {
  const f = recordFields(sink, item, where, span.startLine);
  if (f === undefined) return undefined;
  const name = f.string('name') ?? f.required('name', undefined);
  const value = f.number('value', 'the record is skipped') ?? f.required('value', undefined);
  if (name === undefined || value === undefined) return undefined;
  const metadata = f.object('metadata');
  return {
    name,
    value,
    turn: f.turn('turn') ?? f.required('turn', 0),
    timestamp: f.string('timestamp') ?? '',
    actor: f.nullableString('actor'),
    metadataActor: metadata ? new Fields(sink, metadata, `metadata of ${where}`, span.startLine).nullableString('actor') : null,
    span,
  };
}

/**
 * V1 `metrics_by_turn` ({"1": {"cooperation_level": 5.0}}): values kept their Python type, so
 * booleans become 1/0 and numeric strings numbers; other text cannot be charted and is skipped.
 * `path` is where the object sits in the file (its members' lines must have been scanned).
 */
export function readV1MetricsByTurn(sink: ProblemSink, byTurn: JsonObject, lines: JsonLines, path: JsonPath): V1Metrics['metricsByTurn'] {
  const out: V1Metrics['metricsByTurn'] = [];
  for (const [turnKey, metrics] of Object.entries(byTurn)) {
    const turn = parseTurnKey(turnKey);
    const turnLine = lines.span(sink.file, [...path, turnKey]).startLine;
    if (turn === undefined || !isObject(metrics)) {
      report(sink, turnLine, 'warning', `metrics of turn "${turnKey}" are not a turn number with an object of values; skipped`);
      continue;
    }
    for (const [name, raw] of Object.entries(metrics)) {
      const span = lines.span(sink.file, [...path, turnKey, name]);
      const value = v1MetricValue(raw);
      if (typeof raw === 'number' && Number.isNaN(raw)) {
        report(sink, span.startLine, 'warning', `value of "${name}" in turn ${turn} is NaN (SQLite cannot store NaN); it is skipped`);
        continue;
      }
      if (value === undefined) {
        report(sink, span.startLine, 'info', `value of "${name}" in turn ${turn} is not a number (${brief(JSON.stringify(raw) ?? String(raw))}); not charted`);
        continue;
      }
      out.push({ turn, name, value, span });
    }
  }
  return out;
}

/** Python wrote per-turn dict keys as strings ("1"); anything else is not a turn. */
export function parseTurnKey(key: string): number | undefined {
  return /^\d+$/.test(key) && Number(key) <= MAX_TURN ? Number(key) : undefined;
}

const NUMERIC_TEXT = /^\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*$/;

function v1MetricValue(raw: unknown): number | undefined {
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'boolean') return raw ? 1 : 0;
  if (typeof raw === 'string' && NUMERIC_TEXT.test(raw)) return Number(raw);
  return undefined;
}
