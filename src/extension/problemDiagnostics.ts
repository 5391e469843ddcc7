/**
 * Files the indexer could not read, in the Problems panel at their line. The whole collection is
 * replaced after every index change, so a fixed file's entry disappears with the next pass.
 */
import * as vscode from 'vscode';
import type { IndexProblem } from '../core/analytics/types';
import type { Feature } from './feature';
import type { IndexService } from './indexService';

const SEVERITY: Record<IndexProblem['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  // Facts about a run (an interrupted turn), not mistakes in a file: shown in the editor only.
  info: vscode.DiagnosticSeverity.Hint,
};

export const problemDiagnostics: Feature = (_context, service) => {
  const collection = vscode.languages.createDiagnosticCollection('scenarioLab');
  let latest = 0;
  const update = async () => {
    const call = ++latest;
    const problems = await service.problems().catch(() => undefined);
    if (!problems || call !== latest) return; // a newer update is on its way
    collection.clear();
    collection.set(toDiagnostics(service, problems));
  };
  void service.ready.then(update);
  return [collection, service.onDidChange(() => void update())];
};

function toDiagnostics(service: IndexService, problems: readonly IndexProblem[]): Array<[vscode.Uri, vscode.Diagnostic[]]> {
  const byFile = new Map<string, { uri: vscode.Uri; diagnostics: vscode.Diagnostic[] }>();
  for (const problem of problems) {
    // The window's own folders: a shared index's problems of everyone's batches are not this workspace's.
    const uri = service.uriOf(problem.file, { rootsOnly: true });
    if (!uri) continue;
    const line = Math.max(0, problem.line - 1);
    // The index knows the line, not the columns: mark the whole line (VS Code clamps the end).
    const diagnostic = new vscode.Diagnostic(new vscode.Range(line, 0, line, Number.MAX_SAFE_INTEGER), problem.message, SEVERITY[problem.severity]);
    diagnostic.source = 'Scenario Lab';
    const entry = byFile.get(problem.file) ?? byFile.set(problem.file, { uri, diagnostics: [] }).get(problem.file)!;
    entry.diagnostics.push(diagnostic);
  }
  return [...byFile.values()].map((e) => [e.uri, e.diagnostics]);
}
