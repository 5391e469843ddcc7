/**
 * Jump to source: opens the markdown or JSON file a record came from with the cursor on the line
 * the index recorded for it (a decision's Action heading, a message, a metric's JSON object).
 */
import * as vscode from 'vscode';
import type { SourceLocation } from '../core/analytics/types';
import type { Feature } from './feature';
import type { IndexService } from './indexService';
import { Commands } from './constants';


export function openSourceCommand(source: SourceLocation): vscode.Command {
  return { command: Commands.openSource, title: 'Open Source', arguments: [source] };
}

export async function openSource(service: IndexService, source: SourceLocation): Promise<vscode.TextEditor | undefined> {
  const uri = service.uriOf(source.file);
  if (!uri) {
    void vscode.window.showWarningMessage(`Scenario Lab: ${source.file} is not inside an indexed folder any more.`);
    return undefined;
  }
  const line = Math.max(0, source.focusLine - 1); // the index counts lines from 1
  const position = new vscode.Position(line, 0);
  const editor = await vscode.window.showTextDocument(uri, { selection: new vscode.Range(position, position), preview: true });
  editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  return editor;
}

export const sourceNavigation: Feature = (_context, service) => [
  vscode.commands.registerCommand(Commands.openSource, (source: SourceLocation) => openSource(service, source)),
];
