/**
 * Run files and scenario definitions saved in other text encodings (UTF-16 with or without a byte
 * order mark, UTF-8 with one, damaged UTF-8) index to the same rows and source lines as the UTF-8
 * originals, the way VS Code opens them.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openConnectedScenarioIndex } from '../../../src/core/scenarioIndex';
import { SHARED_SAMPLES } from '../helpers/paths';

const CASE = path.resolve(SHARED_SAMPLES, '..', 'cases', 'utf16-files-skipped-as-binary', 'ws');
const SAMPLE = path.join(SHARED_SAMPLES, 'workspace-small');
const RUN = 'output/ai-summit/run-004';

/** Tables whose rows must not depend on the files' encoding (sl_files holds sizes and hashes, which do). */
const COMPARED = ['runs', 'turns', 'decisions', 'communications', 'metrics', 'costs', 'sl_origins', 'sl_problems', 'sl_scenarios'];

/** Every row of the compared tables, after indexing `root`. */
async function indexRows(root: string): Promise<Record<string, unknown[][]>> {
  const index = await openConnectedScenarioIndex(undefined);
  try {
    await index.index({ roots: [{ name: 'ws', absPath: root }], read: { pendingWindowMs: 0 } });
    const rows: Record<string, unknown[][]> = {};
    for (const table of COMPARED) rows[table] = index.db.exec(`SELECT * FROM ${table} ORDER BY 1, 2, 3`)[0]?.values ?? [];
    return rows;
  } finally {
    await index.close();
  }
}

type Encoder = (text: string) => Buffer;
const withBom = (bom: number[], body: Buffer) => Buffer.concat([Buffer.from(bom), body]);
const utf16be = (text: string) => Buffer.from(text, 'utf16le').swap16();
const ENCODERS: Record<string, Encoder> = {
  'UTF-16 LE with a BOM': (t) => withBom([0xff, 0xfe], Buffer.from(t, 'utf16le')),
  'UTF-16 BE with a BOM': (t) => withBom([0xfe, 0xff], utf16be(t)),
  'UTF-8 with a BOM': (t) => withBom([0xef, 0xbb, 0xbf], Buffer.from(t, 'utf8')),
  'UTF-16 LE with a BOM and CRLF': (t) => withBom([0xff, 0xfe], Buffer.from(t.replace(/\n/g, '\r\n'), 'utf16le')),
};

/** Copies `from` to `to`, re-encoding every file `select` picks. */
function copyEncoded(from: string, to: string, encode: Encoder, select: (rel: string) => boolean = () => true): void {
  fs.cpSync(from, to, { recursive: true });
  const visit = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const abs = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(abs);
      else if (select(path.relative(to, abs))) fs.writeFileSync(abs, encode(fs.readFileSync(abs, 'utf8')));
    }
  };
  visit(to);
}

describe('text encodings', function () {
  this.timeout(60000);
  let tmp: string;
  let reference: Record<string, unknown[][]>;
  const sampleRun = () => {
    const dir = path.join(tmp, 'reference');
    fs.cpSync(path.join(SAMPLE, RUN), path.join(dir, RUN), { recursive: true });
    fs.cpSync(path.join(SAMPLE, 'scenarios', 'ai-summit'), path.join(dir, 'scenarios', 'ai-summit'), { recursive: true });
    return dir;
  };

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-encodings-'));
    reference = await indexRows(sampleRun());
    assert.ok(reference.turns.length > 0 && reference.sl_scenarios.length === 1, 'the reference indexes');
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('indexes the UTF-16 / BOM case exactly as the unaltered run (turn-1 world state, created, halt reason)', async () => {
    const got = await indexRows(CASE);
    const unaltered = path.join(tmp, 'unaltered');
    fs.cpSync(path.join(SAMPLE, RUN), path.join(unaltered, RUN), { recursive: true });
    const want = await indexRows(unaltered);
    assert.ok(want.turns.some((t) => t[2] === 1 && String(t[4]).length > 100), 'the unaltered run has a turn 1');
    for (const table of ['runs', 'turns', 'decisions', 'communications', 'metrics', 'costs', 'sl_origins', 'sl_problems']) {
      assert.deepEqual(got[table], want[table], table);
    }
    assert.deepEqual(got.sl_problems, []);
  });

  for (const [name, encode] of Object.entries(ENCODERS)) {
    it(`reads every file kind in ${name}: markdown, state/metrics/costs JSON, scenario and actor YAML`, async () => {
      const dir = path.join(tmp, name.replace(/\W+/g, '-'));
      copyEncoded(path.join(tmp, 'reference'), dir, encode);
      const got = await indexRows(dir);
      for (const table of COMPARED) assert.deepEqual(got[table], reference[table], table);
    });
  }

  it('guesses UTF-16 without a byte order mark as VS Code does, when the start is ASCII text', async () => {
    const dir = path.join(tmp, 'utf16-no-bom');
    copyEncoded(path.join(tmp, 'reference'), dir, (t) => Buffer.from(t, 'utf16le'), (rel) => rel.endsWith('.json') || rel.includes('world-state'));
    fs.writeFileSync(path.join(dir, RUN, 'china-001.md'), utf16be(fs.readFileSync(path.join(SAMPLE, RUN, 'china-001.md'), 'utf8')));
    const got = await indexRows(dir);
    for (const table of COMPARED) assert.deepEqual(got[table], reference[table], table);
  });

  it('indexes UTF-8 with a damaged byte as UTF-8, with a problem at the line of the bad byte', async () => {
    const dir = path.join(tmp, 'damaged');
    fs.cpSync(path.join(tmp, 'reference'), dir, { recursive: true });
    const file = path.join(dir, RUN, 'world-state-000.md');
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    // Line 7 (the situation text) ends in a dash, then a dash cut in half: the whole dash keeps the file recognisably UTF-8.
    const bytes = Buffer.concat([Buffer.from(`${lines.slice(0, 7).join('\n')} — ok`), Buffer.from([0xe2, 0x80]), Buffer.from(`\n${lines.slice(7).join('\n')}`)]);
    fs.writeFileSync(file, bytes);
    const index = await openConnectedScenarioIndex(undefined);
    try {
      await index.index({ roots: [{ name: 'ws', absPath: dir }], read: { pendingWindowMs: 0 } });
      const problems = index.db.exec("SELECT file, line, message FROM sl_problems WHERE message LIKE '%UTF-8%'")[0]?.values ?? [];
      assert.equal(problems.length, 1);
      assert.equal(problems[0][0], `${RUN}/world-state-000.md`);
      assert.equal(problems[0][1], 7);
      assert.match(String(problems[0][2]), /byte \d+/);
      const world = String(index.db.exec("SELECT group_concat(world_state) FROM turns")[0].values[0][0]);
      assert.ok(world.includes('— ok'), 'the rest of the file is decoded as UTF-8, not Windows-1252');
      assert.ok(world.includes('\ufffd'), 'the bad bytes are shown as U+FFFD');
    } finally {
      await index.close();
    }
  });
});
