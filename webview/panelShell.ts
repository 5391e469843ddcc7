/**
 * What every panel shares: connecting to the host, drawing the latest snapshot into #app (again
 * when the theme changes), a live notice line for results of requests, and the small widgets
 * that talk to the host (source links, export buttons).
 */
import type { PanelRequest, PanelSelection, PanelSnapshot, SourceLink } from '../src/protocol/messages';
import { el, onThemeChange, replaceChildren } from './dom';
import { connectToHost, type OkResponse } from './hostConnection';
import type { MetricPlot } from './metricPlot';
import { button } from './ui';

export interface PanelContext {
  /** Sends a request; failures are shown in the notice line, not thrown. */
  send(request: PanelRequest): Promise<OkResponse | undefined>;
  select(selection: PanelSelection): void;
  notify(text: string, isError?: boolean): void;
}

export function startPanel<S extends PanelSnapshot>(render: (snapshot: S, context: PanelContext) => Node[]): void {
  const app = document.getElementById('app')!;
  const notice = el('p', { className: 'notice', attrs: { role: 'status', 'aria-live': 'polite' } });
  const content = el('div');
  replaceChildren(app, content, notice);
  let latest: S | undefined;

  const context: PanelContext = {
    send: async (request) => {
      try {
        const response = await host.request(request);
        if (response.message) context.notify(response.message);
        return response;
      } catch (error) {
        context.notify((error as Error).message, true);
        return undefined;
      }
    },
    select: (selection) => void context.send({ kind: 'select', selection }),
    notify: (text, isError = false) => {
      notice.className = isError ? 'notice error' : 'notice';
      notice.textContent = text;
    },
  };
  const draw = () => {
    if (!latest) return;
    // Keep keyboard focus across a redraw when the focused element has an id.
    const focusedId = document.activeElement?.id;
    replaceChildren(content, ...render(latest, context));
    app.setAttribute('aria-busy', 'false');
    if (focusedId) document.getElementById(focusedId)?.focus();
  };
  const host = connectToHost<S>({
    snapshot: (snapshot) => {
      // When the data arrived, for the timings the e2e log prints (webview start → data → drawn).
      app.dataset.snapshotAt = String(performance.now());
      latest = snapshot;
      draw();
    },
    error: (message) => context.notify(message, true),
  });
  onThemeChange(draw);
}

export function sourceButton(link: SourceLink | undefined, context: PanelContext): Node | string {
  if (!link) return '';
  return el('button', { className: 'link', attrs: { type: 'button', title: `Open ${link.label}` }, on: { click: () => void context.send({ kind: 'openSource', token: link.token }) } }, link.label);
}

/** CSV of the panel's data, and the chart as PNG (the chart is drawn on a canvas, so there is no SVG to export). */
export function exportButtons(context: PanelContext, chart: () => MetricPlot | null): HTMLElement {
  return el(
    'div',
    { className: 'actions' },
    button('Export CSV…', () => void context.send({ kind: 'exportCsv' }), { secondary: true, id: 'export-csv' }),
    button('Export chart as PNG…', () => {
      const plot = chart();
      if (plot) void context.send({ kind: 'exportChart', format: 'png', data: plot.png() });
    }, { secondary: true, id: 'export-png' }),
  );
}
