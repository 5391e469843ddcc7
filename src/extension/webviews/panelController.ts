/**
 * Everything a panel's host side decides, without VS Code: it validates what the webview posts,
 * answers requests through the analytics API, and posts complete snapshots once the webview is
 * ready. The VS Code glue (webviewPanels.ts) supplies a PanelEnvironment; unit tests supply a
 * plain object and a real index of the sample workspace.
 */
import type { Analytics } from '../../core/analytics/analytics';
import { metricsCsv } from '../../core/analytics/csv';
import type { SourceLocation } from '../../core/analytics/types';
import { gridCsv, gridJson, gridTsv } from '../../core/sql/resultGrid';
import type { QueryResult } from '../../core/sql/sqlDoor';
import type { HostMessage, PanelRequest, PanelSelection, PanelSnapshot, PanelResponse, SqlResultSelection, SqlResultSnapshot } from '../../protocol/messages';
import { comparisonCsv, experimentCsv, runStatisticsCsv } from './panelCsv';
import { buildActorStrategySnapshot } from './snapshots/actorStrategySnapshot';
import { buildComparisonSnapshot } from './snapshots/comparisonSnapshot';
import { buildExperimentSnapshot } from './snapshots/experimentSnapshot';
import { buildMetricChartSnapshot, metricFilters, metricTablePage } from './snapshots/metricChartSnapshot';
import { buildRunStatisticsSnapshot } from './snapshots/runStatisticsSnapshot';
import { buildSqlResultSnapshot } from './snapshots/sqlResultSnapshot';
import { SourceLinks } from './sourceLinks';
import { parseSelection, parseWebviewMessage } from './validateMessage';

export interface SaveRequest {
  defaultName: string;
  content: string | Uint8Array;
  /** Save-dialog filters, e.g. { CSV: ['csv'] }. */
  filters: Record<string, string[]>;
}

export interface PanelEnvironment {
  post(message: HostMessage): void;
  openSource(location: SourceLocation): Promise<void>;
  /** Asks where to save and writes the file; resolves to the path written, or undefined when cancelled. */
  save(request: SaveRequest): Promise<string | undefined>;
  /** The selection changed (the glue retitles the panel). */
  selectionChanged(selection: PanelSelection): void;
  /** Runs a read-only SQL query (SQL results panels only); rejects with the door's message. */
  runSql?(query: string): Promise<QueryResult>;
  /** Puts text on the clipboard. */
  copy?(text: string): Promise<void>;
  /** Opens a SQL result as the read-only markdown document of earlier versions. */
  openSqlText?(snapshot: SqlResultSnapshot): Promise<void>;
}

export class PanelController {
  private ready = false;
  private snapshot: PanelSnapshot | undefined;
  private readonly links = new SourceLinks();
  private prefetched: { selection: PanelSelection; snapshot: Promise<PanelSnapshot> } | undefined;
  /** Refreshes are chained so an older, slower snapshot never overwrites a newer one. */
  private refreshing: Promise<void> = Promise.resolve();

  /** `initial`: a snapshot already built for `current` (a SQL result the command has just run), posted on `ready` instead of building one. */
  constructor(
    private readonly analytics: Analytics,
    private current: PanelSelection,
    private readonly env: PanelEnvironment,
    initial?: PanelSnapshot,
  ) {
    this.snapshot = initial;
  }

  get selection(): PanelSelection {
    return this.current;
  }

  /** Entry point for every message the webview posts (untrusted). */
  async handle(raw: unknown): Promise<void> {
    const message = parseWebviewMessage(raw);
    if (!message) return;
    if (message.type === 'ready') {
      this.ready = true;
      return this.refresh();
    }
    let response: PanelResponse;
    try {
      response = { type: 'response', requestId: message.requestId, ok: true, ...(await this.answer(message.request)) };
    } catch (error) {
      response = { type: 'response', requestId: message.requestId, ok: false, error: (error as Error).message };
    }
    this.env.post(response);
  }

  /** Shows another selection of the same kind of panel (a new command invocation, or the webview's own controls). */
  select(selection: PanelSelection): Promise<void> {
    this.current = selection;
    this.env.selectionChanged(selection);
    return this.refresh();
  }

  /**
   * Starts building the first snapshot before the webview is ready: VS Code creating the webview
   * and loading its script take about as long as reading a 1,000-run chart from the index, so the
   * two overlap instead of adding up. `ready` posts it (unless the selection or the index changed
   * meanwhile, which builds afresh).
   */
  prefetch(): void {
    if (this.ready) return;
    const snapshot = this.build(this.current);
    snapshot.catch(() => undefined); // a failure is reported when the snapshot is used
    this.prefetched = { selection: this.current, snapshot };
  }

  /** Rebuilds the snapshot from the index and posts it (when the index changed, or the selection did). */
  refresh(): Promise<void> {
    if (!this.ready) this.prefetched = undefined; // the index changed under a prefetched snapshot
    this.refreshing = this.refreshing.then(async () => {
      if (!this.ready) return;
      try {
        const early = this.prefetched?.selection === this.current ? this.prefetched.snapshot : undefined;
        this.prefetched = undefined;
        if (!early) this.links.clear();
        this.snapshot = await (early ?? this.build(this.current));
        this.env.post({ type: 'snapshot', snapshot: this.snapshot });
      } catch (error) {
        this.env.post({ type: 'error', message: (error as Error).message });
      }
    });
    return this.refreshing;
  }

  private build(selection: PanelSelection): Promise<PanelSnapshot> {
    switch (selection.panel) {
      case 'sqlResult':
        return this.sqlSnapshot(selection);
      case 'metricChart':
        return buildMetricChartSnapshot(this.analytics, selection, this.links);
      case 'comparison':
        return buildComparisonSnapshot(this.analytics, selection, this.links);
      case 'runStatistics':
        return buildRunStatisticsSnapshot(this.analytics, selection);
      case 'actorStrategy':
        return buildActorStrategySnapshot(this.analytics, selection, this.links);
      case 'experiment':
        return buildExperimentSnapshot(this.analytics, selection, this.links);
    }
  }

  private async answer(request: PanelRequest): Promise<Omit<Extract<PanelResponse, { ok: true }>, 'type' | 'requestId' | 'ok'>> {
    switch (request.kind) {
      case 'select': {
        const selection = parseSelection(request.selection, this.current.panel);
        if (!selection) throw new Error('That selection belongs to another kind of panel.');
        await this.select(selection);
        return {};
      }
      case 'tablePage': {
        if (this.current.panel !== 'metricChart') throw new Error('This panel has no paged table.');
        return { page: await metricTablePage(this.analytics, metricFilters(this.current), request.offset, this.links) };
      }
      case 'openWorldState':
        await this.openWorldState(request.runId, request.turn);
        return {};
      case 'openSource': {
        const location = this.links.resolve(request.token);
        if (!location) throw new Error('That source link is no longer valid; the panel has been refreshed.');
        await this.env.openSource(location);
        return {};
      }
      case 'exportCsv':
        return { message: await this.save({ defaultName: `${this.fileStem()}.csv`, content: await this.csv(), filters: { CSV: ['csv'] } }) };
      case 'exportChart':
        return { message: await this.save(chartFile(request.format, request.data, request.chart ? `${this.fileStem()}-${request.chart}` : this.fileStem())) };
      case 'copyCells':
        return { message: await this.copyCells(request.rows, request.columns, request.header) };
      case 'exportJson': {
        const s = this.sqlShown();
        return { message: await this.save({ defaultName: `${this.fileStem()}.json`, content: gridJson(s.columns, s.rows), filters: { JSON: ['json'] } }) };
      }
      case 'openAsText':
        await this.env.openSqlText?.(this.sqlShown());
        return {};
    }
  }

  /**
   * A SQL result is the answer at the time it was asked: showing the panel again (or the index
   * changing) re-posts it; the query runs again only for a new panel, e.g. after a window reload.
   */
  private async sqlSnapshot(selection: SqlResultSelection): Promise<SqlResultSnapshot> {
    const kept = this.snapshot;
    if (kept?.panel === 'sqlResult' && kept.selection.query === selection.query) return kept;
    if (!this.env.runSql) throw new Error('SQL queries cannot be run from this panel.');
    const started = Date.now();
    const result = await this.env.runSql(selection.query);
    return buildSqlResultSnapshot(selection, result, Date.now() - started);
  }

  private sqlShown(): SqlResultSnapshot {
    if (this.snapshot?.panel !== 'sqlResult') throw new Error('This panel shows no SQL result.');
    return this.snapshot;
  }

  /** Indices come from the webview: only rows and columns the result has are copied. */
  private async copyCells(rows: number[], columns: number[], header: boolean): Promise<string> {
    const s = this.sqlShown();
    if (rows.some((r) => r >= s.rows.length) || columns.some((c) => c >= s.columns.length)) throw new Error('Those cells are not in this result; it has been refreshed.');
    if (!this.env.copy) throw new Error('Copying is not available here.');
    await this.env.copy(gridTsv(s.columns, s.rows, rows, columns, header));
    const what = rows.length === 1 && columns.length === 1 ? '1 cell' : `${rows.length} row${rows.length === 1 ? '' : 's'} × ${columns.length} column${columns.length === 1 ? '' : 's'}`;
    return `Copied ${what} as tab-separated text (raw values).`;
  }

  /** Only runs the panel shows can be opened, at turns the index has. */
  private async openWorldState(runId: string, turn: number): Promise<void> {
    const shown = this.snapshot?.panel === 'metricChart' ? this.snapshot.series : this.snapshot?.panel === 'comparison' ? this.snapshot.overlay.series : [];
    if (!shown.some((s) => s.runId === runId)) throw new Error(`Run ${runId} is not shown in this panel.`);
    const row = (await this.analytics.listTurns(runId)).find((t) => t.turnNum === turn);
    if (!row?.source) throw new Error(`No world state file is indexed for turn ${turn} of ${runId}.`);
    await this.env.openSource(row.source);
  }

  private async csv(): Promise<string> {
    const s = this.snapshot;
    if (!s) throw new Error('Nothing is shown yet.');
    switch (s.panel) {
      case 'metricChart':
        return metricsCsv(await this.analytics.queryMetrics(metricFilters(s.selection)));
      case 'comparison':
        return comparisonCsv(s);
      case 'runStatistics':
        return runStatisticsCsv(s);
      case 'sqlResult':
        return gridCsv(s.columns, s.rows);
      case 'actorStrategy':
        throw new Error('This panel has no CSV export; scenario-lab actor-strategy --json gives its figures.');
      case 'experiment':
        return experimentCsv(s);
    }
  }

  private async save(request: SaveRequest): Promise<string | undefined> {
    const written = await this.env.save(request);
    return written && `Saved ${written}`;
  }

  /** A file name from the selection, without characters that file systems reject. */
  private fileStem(): string {
    const s = this.current;
    const shown = this.snapshot?.panel === 'experiment' ? this.snapshot : undefined;
    const stem =
      s.panel === 'metricChart' ? `metric-${s.metric}`
      : s.panel === 'comparison' ? `comparison-${s.runIds.length}-runs`
      : s.panel === 'sqlResult' ? 'sql-result'
      : s.panel === 'actorStrategy' ? `actor-strategy-${s.actor}`
      : s.panel === 'experiment' ? `experiment-${s.experiment.slice(s.experiment.lastIndexOf('/') + 1)}${shown?.metric ? `-${shown.metric}` : ''}`
      : `run-statistics-${s.runId}`;
    return stem.replace(/[^\w.-]+/g, '_');
  }
}

function chartFile(format: 'svg' | 'png', data: string, stem: string): SaveRequest {
  if (format === 'svg') return { defaultName: `${stem}.svg`, content: data, filters: { SVG: ['svg'] } };
  const match = /^data:image\/png;base64,([A-Za-z0-9+/=]+)$/.exec(data);
  if (!match) throw new Error('The chart image is not a PNG.');
  return { defaultName: `${stem}.png`, content: Buffer.from(match[1], 'base64'), filters: { PNG: ['png'] } };
}
