/**
 * LLM output with NUL and other C0 control characters: raw bytes in markdown, `\u0000` escapes in
 * JSON. The file stays text (never "binary" for a stray control character), and every character
 * is stored: read back whole through sql.js and by the sqlite3 command on the saved index.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Utf8Params } from '../../../src/core/db/utf8Params';
import { decodeText } from '../../../src/core/format/text';
import { parseJsonText } from '../../../src/core/format/jsonText';
import { openConnectedScenarioIndex } from '../../../src/core/scenarioIndex';
import { REPO_ROOT } from '../helpers/paths';
import { sqlite3 } from '../helpers/processes';

const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'workspace-small');
const RUN = 'output/ai-summit/run-002';
const RUN_ID = 'run-20251124-094755';
/** NUL, SOH, BEL, a terminal colour (ESC [), DEL and a NUL at the very end. */
const CONTROLS = 'before\u0000after \u0001\u0007\u001b[31mred\u001b[0m\u007f end\u0000';


describe('text with control characters', function () {
  this.timeout(60000);
  let workspace: string;

  beforeEach(() => {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-controls-'));
    fs.cpSync(FIXTURE, workspace, { recursive: true });
    const past = new Date(Date.now() - 10 * 60_000);
    for (const entry of fs.readdirSync(workspace, { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) fs.utimesSync(path.join(entry.parentPath ?? entry.path, entry.name), past, past);
    }
  });
  afterEach(() => fs.rmSync(workspace, { recursive: true, force: true }));

  it('keeps a markdown file with raw control bytes as text and stores its decision whole', async () => {
    const file = path.join(workspace, RUN, 'european-union-001.md');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('## Action\n', `## Action\n${CONTROLS}\n`));
    const state = path.join(workspace, RUN, 'scenario-state.json');
    const json = fs.readFileSync(state, 'utf8');
    fs.writeFileSync(state, json.replace('"content": "By the end of turn 4,', `"content": ${JSON.stringify(CONTROLS).slice(0, -1)} By the end of turn 4,`));
    assert.ok(fs.readFileSync(state, 'utf8').includes('\\u0000'), 'the state file spells NUL as \\u0000, as json.dump does');

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-controls-db-'));
    const db = path.join(dir, 'c.db');
    const index = await openConnectedScenarioIndex(db);
    try {
      await index.index({ roots: [{ name: 'ws', absPath: workspace }], read: { pendingWindowMs: 0 } });
      const problems = await index.analytics.listProblems();
      assert.deepEqual(problems.filter((p) => /binary/i.test(p.message)), []);
      const decision = (await index.analytics.listDecisions(RUN_ID, 1)).find((d) => d.actor === 'European Union');
      assert.ok(decision?.action.startsWith(`${CONTROLS}\n`), JSON.stringify(decision?.action.slice(0, 60)));
      const turn4 = index.db.exec('SELECT world_state FROM turns WHERE run_id = ? AND turn_num = 4', [RUN_ID])[0].values[0][0] as string;
      assert.ok(turn4.startsWith(`${CONTROLS} By the end of turn 4,`), JSON.stringify(turn4.slice(0, 60)));
      await index.save();
    } finally {
      await index.close();
    }
    // Another SQLite reads the same bytes: the NUL is inside the stored text, not the end of it.
    const expected = Buffer.from(`${CONTROLS}\n`).toString('hex').toUpperCase();
    const stored = sqlite3(db, `SELECT hex(substr(CAST(action AS BLOB), 1, ${expected.length / 2})) FROM decisions d JOIN turns t ON t.id = d.turn_id WHERE t.run_id = '${RUN_ID}' AND t.turn_num = 1 AND d.actor = 'European Union'`).trim();
    assert.equal(stored, expected);
    assert.equal(sqlite3(db, `SELECT typeof(world_state) FROM turns WHERE run_id = '${RUN_ID}' AND turn_num = 4`).trim(), 'text');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('calls text with a few control characters text, and dense control bytes binary', () => {
    const text = Buffer.from(`# China - Turn 1\n\n## Action\n${CONTROLS}\n`);
    const decoded = decodeText(text);
    assert.equal(decoded.binary, false);
    assert.equal(decoded.text, `# China - Turn 1\n\n## Action\n${CONTROLS}\n`);
    // A file a crash left zero-filled, a zip header, random bytes: binary.
    assert.equal(decodeText(new Uint8Array(4096)).binary, true);
    assert.equal(decodeText(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00])).binary, true);
    const random = new Uint8Array(8192);
    let seed = 7;
    for (let i = 0; i < random.length; i++) random[i] = (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
    assert.equal(decodeText(random).binary, true);
  });

  it('binds text with NUL as all its bytes', () => {
    const params = new Utf8Params();
    params.startRow();
    assert.deepEqual([...(params.of('a\u0000b') as Uint8Array)], [0x61, 0x00, 0x62]);
  });

  it('parses JSON whose strings start like the parser\'s own NaN stand-in', () => {
    const { value, problems } = parseJsonText('{"a": "\\u0000py:NaN", "b": NaN}', 'x.json');
    assert.deepEqual(problems, []);
    const v = value as { a: unknown; b: unknown };
    assert.equal(v.a, '\u0000py:NaN');
    assert.ok(Number.isNaN(v.b));
  });
});
