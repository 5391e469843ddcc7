/**
 * Text shared by the trees and commands: labels, numbers and tooltips. Run text is LLM output and
 * therefore untrusted: it only ever enters a MarkdownString through appendText (which escapes it),
 * and tooltips are never trusted (no command links, no HTML).
 */
import * as vscode from 'vscode';
import type { RunSummary, RunFolder } from '../core/analytics/types';

const TOOLTIP_TEXT_LIMIT = 600;

export function formatCost(dollars: number | null | undefined): string {
  return dollars === null || dollars === undefined ? '' : `$${dollars.toFixed(4)}`;
}

/** Metric values: integers as they are, others with at most 3 decimals. */
export function formatValue(value: number | null | undefined): string {
  if (value === null || value === undefined) return '–';
  return Number.isInteger(value) ? String(value) : String(Math.round(value * 1000) / 1000);
}

/** Counts with thousands separators (1,000 runs). */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** The first non-empty line of a text, cut to `max` characters. */
export function excerpt(text: string | null | undefined, max = 80): string {
  const line = (text ?? '').split(/\r?\n/).map((l) => l.replace(/^[#>*\-\s]+/, '').trim()).find((l) => l.length > 0) ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** The name a run is shown by: its folder (run-001, var-002-run-001), which people recognise better than the id. */
export function runLabel(run: Pick<RunSummary, 'id' | 'folders'>): string {
  const first = run.folders[0];
  if (!first) return run.id;
  const more = run.folders.length > 1 ? ` (+${run.folders.length - 1} folder${run.folders.length > 2 ? 's' : ''})` : '';
  return `${folderName(first)}${more}`;
}

export function folderName(folder: Pick<RunFolder, 'path'>): string {
  return folder.path.split('/').pop() ?? folder.path;
}

/** A tooltip built from our own labels (markdown) and run text (escaped). */
export class Tooltip {
  readonly markdown = new vscode.MarkdownString('', false);

  constructor() {
    this.markdown.isTrusted = false;
    this.markdown.supportHtml = false;
  }

  title(text: string): this {
    this.markdown.appendMarkdown('**');
    this.markdown.appendText(text);
    this.markdown.appendMarkdown('**\n\n');
    return this;
  }

  field(label: string, value: string | number | null | undefined): this {
    if (value === null || value === undefined || value === '') return this;
    this.markdown.appendMarkdown(`${label}: `);
    this.markdown.appendText(String(value));
    this.markdown.appendMarkdown('  \n');
    return this;
  }

  /** A paragraph of run text, shortened so the hover stays readable. */
  text(label: string, value: string | null | undefined): this {
    if (!value) return this;
    const short = value.length > TOOLTIP_TEXT_LIMIT ? `${value.slice(0, TOOLTIP_TEXT_LIMIT - 1)}…` : value;
    this.markdown.appendMarkdown(`\n\n*${label}*\n\n`);
    this.markdown.appendText(short);
    return this;
  }
}
