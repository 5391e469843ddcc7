/**
 * Everything a panel's host side decides, without VS Code: it validates what the webview posts,
 * answers requests through the analytics API, and posts complete snapshots once the webview is
 * ready. The VS Code glue (webviewPanels.ts) supplies a PanelEnvironment; unit tests supply a
 * plain object and a real index of the sample workspace.
 */
import type { Analytics } from '../../core/analytics/analytics';
import { metricsCsv } from '../../core/analytics/csv';
import type { SourceLocation } from '../../core/analytics/types';
import type { HostMessage, PanelRequest, PanelSelection, PanelSnapshot, PanelResponse } from '../../protocol/messages';
import { comparisonCsv, runStatisticsCsv } from './panelCsv';
import { buildComparisonSnapshot } from './snapshots/comparisonSnapshot';
import { buildMetricChartSnapshot, metricFilters, metricTablePage } from './snapshots/metricChartSnapshot';
import { buildRunStatisticsSnapshot } from './snapshots/runStatisticsSnapshot';
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
}

export class PanelController {
  private ready = false;
  private snapshot: PanelSnapshot | undefined;
  private readonly links = new SourceLinks();
  /** Refreshes are chained so an older, slower snapshot never overwrites a newer one. */
  private refreshing: Promise<void> = Promise.resolve();

  constructor(
    private readonly analytics: Analytics,
    private current: PanelSelection,
    private readonly env: PanelEnvironment,
  ) {}

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

  /** Rebuilds the snapshot from the index and posts it (when the index changed, or the selection did). */
  refresh(): Promise<void> {
    this.refreshing = this.refreshing.then(async () => {
      if (!this.ready) return;
      try {
        this.links.clear();
        this.snapshot = await this.build(this.current);
        this.env.post({ type: 'snapshot', snapshot: this.snapshot });
      } catch (error) {
        this.env.post({ type: 'error', message: (error as Error).message });
      }
    });
    return this.refreshing;
  }

  private build(selection: PanelSelection): Promise<PanelSnapshot> {
    switch (selection.panel) {
      case 'metricChart':
        return buildMetricChartSnapshot(this.analytics, selection, this.links);
      case 'comparison':
        return buildComparisonSnapshot(this.analytics, selection, this.links);
      case 'runStatistics':
        return buildRunStatisticsSnapshot(this.analytics, selection);
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
        return { message: await this.save(chartFile(request.format, request.data, this.fileStem())) };
    }
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
    }
  }

  private async save(request: SaveRequest): Promise<string | undefined> {
    const written = await this.env.save(request);
    return written && `Saved ${written}`;
  }

  /** A file name from the selection, without characters that file systems reject. */
  private fileStem(): string {
    const s = this.current;
    const stem = s.panel === 'metricChart' ? `metric-${s.metric}` : s.panel === 'comparison' ? `comparison-${s.runIds.length}-runs` : `run-statistics-${s.runId}`;
    return stem.replace(/[^\w.-]+/g, '_');
  }
}

function chartFile(format: 'svg' | 'png', data: string, stem: string): SaveRequest {
  if (format === 'svg') return { defaultName: `${stem}.svg`, content: data, filters: { SVG: ['svg'] } };
  const match = /^data:image\/png;base64,([A-Za-z0-9+/=]+)$/.exec(data);
  if (!match) throw new Error('The chart image is not a PNG.');
  return { defaultName: `${stem}.png`, content: Buffer.from(match[1], 'base64'), filters: { PNG: ['png'] } };
}
