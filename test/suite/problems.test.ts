/** Files the indexer cannot read appear in the Problems panel at their line, and disappear when fixed. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { eventually, readyApi, workspacePath } from './helpers';

const METRICS = 'output/ai-summit/run-003/metrics.json';

describe('Problems', () => {
  const scenarioLabDiagnostics = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Scenario Lab');

  it('shows a malformed metrics.json as an error at its line, and clears it once the file is fixed', async function () {
    this.timeout(60_000);
    await readyApi();
    const file = workspacePath(METRICS);
    const uri = vscode.Uri.file(file);
    const original = fs.readFileSync(file, 'utf8');
    assert.deepEqual(scenarioLabDiagnostics(uri), []);
    try {
      // Cut the file inside its third record, as a crash mid-write would.
      const lines = original.split('\n');
      fs.writeFileSync(file, lines.slice(0, 40).join('\n'));
      const [diagnostic] = await eventually(() => {
        const found = scenarioLabDiagnostics(uri);
        return found.length > 0 ? found : undefined;
      }, 'a Scenario Lab diagnostic on metrics.json');
      assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
      // The cut leaves 40 lines: the JSON ends inside them, at the last one.
      assert.equal(diagnostic.range.start.line + 1, 40, `problem at line ${diagnostic.range.start.line + 1}`);
      assert.match(diagnostic.message, /^(.*\/)?metrics\.json is truncated or not valid JSON: unexpected end at line 40$/);
      assert.equal(scenarioLabDiagnostics(uri).length, 1, 'one problem for the file');
      // The rest still indexes: the run keeps its metrics, which its state files hold too (docs/format.md#incomplete-folders).
      const api = await readyApi();
      await eventually(async () => {
        const kept = (await api.analytics.queryMetrics()).filter((m) => /ai-summit\/run-003\/scenario-state(-v2)?\.json$/.test(m.source?.file ?? ''));
        return kept.length > 0 ? kept : undefined;
      }, 'run-003 keeps its metrics from its state files');
    } finally {
      fs.writeFileSync(file, original);
    }
    await eventually(() => scenarioLabDiagnostics(uri).length === 0, 'the diagnostic is cleared');
  });
});
