/**
 * Read-only editors for command output (run statistics, SQL results, aggregates): documents of a
 * content provider are read-only by construction, and need no file on disk.
 */
import * as vscode from 'vscode';
import { markdownInline } from '../core/text/markdownText';
import type { Feature } from './feature';

const SCHEME = 'scenario-lab-result';
const contents = new Map<string, string>();
let counter = 0;

/** Opens `markdown` in a read-only editor titled `title` (a new tab per call, so results can be compared). */
export async function showResultDocument(title: string, markdown: string): Promise<vscode.TextEditor> {
  const safeTitle = title.replace(/[\\/:*?"<>|#]/g, '-');
  const uri = vscode.Uri.from({ scheme: SCHEME, path: `/${++counter}/${safeTitle}.md` });
  contents.set(uri.toString(), markdown);
  const document = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(document, { preview: false });
}

export const resultDocuments: Feature = () => [
  vscode.workspace.registerTextDocumentContentProvider(SCHEME, { provideTextDocumentContent: (uri) => contents.get(uri.toString()) ?? '' }),
  // Closed result documents are not reopened: drop their text.
  vscode.workspace.onDidCloseTextDocument((document) => {
    if (document.uri.scheme === SCHEME) contents.delete(document.uri.toString());
  }),
];

/** A markdown table; cell text is escaped so run text cannot break the table or inject markup. */
export function markdownTable(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number | null | undefined>>): string {
  const cell = (value: string | number | null | undefined) => (value === null || value === undefined ? '' : markdownInline(String(value)));
  return [`| ${header.map(cell).join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`)].join('\n');
}
