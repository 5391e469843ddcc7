/**
 * The host's check of everything a webview posts: a webview is a browser page showing LLM
 * output, so its messages are input like any other. Anything that does not match the protocol
 * exactly is dropped (undefined), never half-used.
 */
import type { PanelKind, PanelRequest, PanelSelection, WebviewMessage } from '../../protocol/messages';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string' && v.length <= 10_000;
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= Number.MAX_SAFE_INTEGER;
const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.length <= 10_000 && v.every(isString);
const isCountList = (v: unknown): v is number[] => Array.isArray(v) && v.length <= 100_000 && v.every(isCount);
/** A SQL statement may be longer than a name; a megabyte is more than anyone types. */
const isQuery = (v: unknown): v is string => typeof v === 'string' && v.length <= 1_000_000;
const optional = <T>(v: unknown, check: (x: unknown) => x is T): boolean => v === undefined || check(v);

export function parseWebviewMessage(message: unknown): WebviewMessage | undefined {
  if (!isObject(message)) return undefined;
  if (message.type === 'ready') return { type: 'ready' };
  if (message.type !== 'request' || !isCount(message.requestId)) return undefined;
  const request = parseRequest(message.request);
  return request ? { type: 'request', requestId: message.requestId, request } : undefined;
}

function parseRequest(r: unknown): PanelRequest | undefined {
  if (!isObject(r)) return undefined;
  switch (r.kind) {
    case 'select': {
      const selection = parseSelection(r.selection);
      return selection ? { kind: 'select', selection } : undefined;
    }
    case 'tablePage':
      return isCount(r.offset) ? { kind: 'tablePage', offset: r.offset } : undefined;
    case 'openWorldState':
      return isString(r.runId) && isCount(r.turn) ? { kind: 'openWorldState', runId: r.runId, turn: r.turn } : undefined;
    case 'openSource':
      return isString(r.token) ? { kind: 'openSource', token: r.token } : undefined;
    case 'exportCsv':
      return { kind: 'exportCsv' };
    case 'exportChart':
      // A chart is at most a few MB; the limit keeps a runaway page from filling the disk.
      if (!optional(r.chart, (v): v is string => typeof v === 'string' && /^[A-Za-z0-9-]{1,40}$/.test(v))) return undefined;
      return (r.format === 'svg' || r.format === 'png') && typeof r.data === 'string' && r.data.length < 50_000_000
        ? { kind: 'exportChart', format: r.format, data: r.data, ...(r.chart === undefined ? {} : { chart: r.chart as string }) }
        : undefined;
    case 'copyCells':
      // At most the grid's rows and columns; indices are checked against the snapshot by the controller.
      return isCountList(r.rows) && isCountList(r.columns) && typeof r.header === 'boolean' ? { kind: 'copyCells', rows: r.rows, columns: r.columns, header: r.header } : undefined;
    case 'exportJson':
      return { kind: 'exportJson' };
    case 'openAsText':
      return { kind: 'openAsText' };
    default:
      return undefined;
  }
}

/** Also used for the state VS Code hands back to the panel serializer after a reload. */
export function parseSelection(s: unknown, expected?: PanelKind): PanelSelection | undefined {
  if (!isObject(s) || (expected && s.panel !== expected)) return undefined;
  switch (s.panel) {
    case 'metricChart':
      if (!isString(s.metric) || !optional(s.scenario, isString) || !optional(s.runIds, isStringList) || !optional(s.actor, isString)) return undefined;
      if (!optional(s.view, (v) => v === 'runs' || v === 'distribution') || !optional(s.highlight, isStringList)) return undefined;
      return {
        panel: 'metricChart',
        metric: s.metric,
        scenario: s.scenario as string | undefined,
        runIds: s.runIds as string[] | undefined,
        actor: s.actor as string | undefined,
        view: s.view as 'runs' | 'distribution' | undefined,
        highlight: s.highlight as string[] | undefined,
      };
    case 'comparison':
      if (!isStringList(s.runIds) || !optional(s.metric, isString) || !optional(s.turn, isCount)) return undefined;
      return { panel: 'comparison', runIds: s.runIds, metric: s.metric as string | undefined, turn: s.turn as number | undefined };
    case 'runStatistics':
      return isString(s.runId) ? { panel: 'runStatistics', runId: s.runId } : undefined;
    case 'actorStrategy':
      if (!isString(s.actor) || !optional(s.target, isString) || !optional(s.turn, isCount) || !optional(s.includeFailed, (v): v is boolean => typeof v === 'boolean')) return undefined;
      return { panel: 'actorStrategy', actor: s.actor, target: s.target as string | undefined, turn: s.turn as number | undefined, includeFailed: s.includeFailed as boolean | undefined };
    case 'sqlResult':
      return isQuery(s.query) ? { panel: 'sqlResult', query: s.query } : undefined;
    case 'experiment':
      if (!isString(s.experiment) || !optional(s.metric, isString) || !optional(s.includeFailed, (v): v is boolean => typeof v === 'boolean')) return undefined;
      return { panel: 'experiment', experiment: s.experiment, metric: s.metric as string | undefined, includeFailed: s.includeFailed as boolean | undefined };
    default:
      return undefined;
  }
}
