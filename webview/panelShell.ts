/**
 * What every panel shares: connecting to the host, drawing the latest snapshot into #app (again
 * when the theme changes), a live notice line for results of requests, and the small widgets
 * that talk to the host (source links, export buttons, chart legends).
 */
import type { PanelRequest, PanelSelection, PanelSnapshot, RunSeries, SourceLink } from '../src/protocol/messages';
import { el, onThemeChange, replaceChildren } from './dom';
import { connectToHost, type OkResponse } from './hostConnection';
import { pngDataUrl, standaloneSvg } from './chartExport';
import { SERIES_CLASSES } from './lineChart';
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

export function exportButtons(context: PanelContext, chart: () => SVGSVGElement | null): HTMLElement {
  return el(
    'div',
    { className: 'actions' },
    button('Export CSV…', () => void context.send({ kind: 'exportCsv' }), { secondary: true, id: 'export-csv' }),
    button('Export chart as SVG…', () => {
      const svg = chart();
      if (svg) void context.send({ kind: 'exportChart', format: 'svg', data: standaloneSvg(svg) });
    }, { secondary: true, id: 'export-svg' }),
    button('Export chart as PNG…', async () => {
      const svg = chart();
      if (svg) void context.send({ kind: 'exportChart', format: 'png', data: await pngDataUrl(svg) });
    }, { secondary: true, id: 'export-png' }),
  );
}

export function legend(series: RunSeries[], withBand: boolean): HTMLElement {
  return el(
    'ul',
    { className: 'legend', attrs: { 'aria-label': 'Legend' } },
    ...series.map((s, i) => el('li', {}, el('span', { className: `swatch series-${i % SERIES_CLASSES}`, attrs: { 'aria-hidden': 'true' } }), s.label)),
    withBand && el('li', {}, el('span', { className: 'swatch band-swatch', attrs: { 'aria-hidden': 'true' } }), 'min–max across runs'),
    withBand && el('li', {}, el('span', { className: 'swatch mean-swatch', attrs: { 'aria-hidden': 'true' } }), 'mean per turn'),
  );
}
