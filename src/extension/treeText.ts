/**
 * Text shared by the trees and commands: excerpts and tooltips (numbers: core/analytics/numberFormat). Run text is LLM output and
 * therefore untrusted: it only ever enters a MarkdownString through appendText (which escapes it),
 * and tooltips are never trusted (no command links, no HTML).
 */
import * as vscode from 'vscode';
import { formatNumber } from '../core/analytics/numberFormat';
import { ellipsize } from '../core/text/shortText';

const TOOLTIP_TEXT_LIMIT = 600;

/** The first non-empty line of a text, cut to `max` characters. */
export function excerpt(text: string | null | undefined, max = 80): string {
  const line = (text ?? '').split(/\r?\n/).map((l) => l.replace(/^[#>*\-\s]+/, '').trim()).find((l) => l.length > 0) ?? '';
  return ellipsize(line, max);
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
    this.markdown.appendText(typeof value === 'number' ? formatNumber(value) : value);
    this.markdown.appendMarkdown('  \n');
    return this;
  }

  /** A paragraph of run text, shortened so the hover stays readable. */
  text(label: string, value: string | null | undefined): this {
    if (!value) return this;
    this.markdown.appendMarkdown(`\n\n*${label}*\n\n`);
    this.markdown.appendText(ellipsize(value, TOOLTIP_TEXT_LIMIT));
    return this;
  }
}
