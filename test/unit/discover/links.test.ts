/**
 * Run folders and run files that are symbolic links (outputs on another disk, DVC / git-annex
 * layouts): followed by the CLI and a trusted workspace, each real folder once, loops ended,
 * dangling links reported; an untrusted workspace never reads outside its folders.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { LinkPolicy } from '../../../src/core/discover/links';
import { openConnectedScenarioIndex, type ConnectedScenarioIndex } from '../../../src/core/scenarioIndex';
import { readerSource } from '../../../src/core/indexer/reader/readerSource';
import { REPO_ROOT, SHARED_SAMPLES } from '../helpers/paths';

const CASE = path.resolve(SHARED_SAMPLES, '..', 'cases', 'symlinked-run-folders-ignored');
const SAMPLE = path.join(SHARED_SAMPLES, 'workspace-small');
const RUN = 'output/ai-summit/run-004';
const RUN_TABLES = ['runs', 'turns', 'decisions', 'communications', 'metrics', 'costs'];
const SECRET = 'TOP-SECRET-LINE-OUTSIDE-THE-WORKSPACE';

/**
 * Copies an entry of the case folder, making real links of its links. The shared copy may hold a
 * link as a small file with the link text (as git writes it with core.symlinks=false); both forms
 * are recreated as links here.
 */
function copyCase(from: string, to: string, links: ReadonlySet<string>, rel = ''): void {
  const abs = path.join(from, rel);
  const lstat = fs.lstatSync(abs);
  const dest = path.join(to, rel);
  if (lstat.isSymbolicLink() || links.has(rel)) {
    fs.symlinkSync(lstat.isSymbolicLink() ? fs.readlinkSync(abs) : fs.readFileSync(abs, 'utf8'), dest);
  } else if (lstat.isDirectory()) {
    fs.mkdirSync(dest, { recursive: true });
    for (const name of fs.readdirSync(abs)) copyCase(from, to, links, path.join(rel, name));
  } else fs.copyFileSync(abs, dest);
}

describe('symbolic links', function () {
  this.timeout(60000);
  let tmp: string;
  const opened: ConnectedScenarioIndex[] = [];

  const indexed = async (root: string, links: LinkPolicy | undefined, extra: { worker?: boolean } = {}) => {
    const index = await openConnectedScenarioIndex(undefined);
    opened.push(index);
    const folderSource = extra.worker ? readerSource(path.join(REPO_ROOT, 'dist', 'readWorker.js')) : undefined;
    const report = await index.index({ roots: [{ name: 'ws', absPath: root }], links, read: { pendingWindowMs: 0 }, folderSource });
    const rows = (sql: string) => index.db.exec(sql)[0]?.values ?? [];
    const tables = Object.fromEntries(RUN_TABLES.map((t) => [t, rows(`SELECT * FROM ${t} ORDER BY 1, 2, 3`)]));
    const problems = rows('SELECT file, line, severity, message FROM sl_problems ORDER BY file, message') as string[][];
    const folders = rows('SELECT path FROM sl_folders ORDER BY path').map((r) => r[0]);
    return { index, report, tables, problems, folders };
  };

  let reference: Record<string, unknown[][]>;
  before(async () => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sl-links-')));
    fs.cpSync(path.join(SAMPLE, RUN), path.join(tmp, 'reference', RUN), { recursive: true });
    reference = (await indexed(path.join(tmp, 'reference'), 'follow')).tables;
    assert.ok(reference.runs.length === 1);
  });
  after(async () => {
    for (const index of opened) await index.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  /** The case with real links: ws-linked-dir/output → ../store/output, and every file of ws-linked-files a link into the store. */
  function caseCopy(name: string): string {
    const dir = path.join(tmp, name);
    const fileLinks = fs.readdirSync(path.join(CASE, 'ws-linked-files', RUN)).map((f) => path.join('ws-linked-files', RUN, f));
    copyCase(CASE, dir, new Set([path.join('ws-linked-dir', 'output'), ...fileLinks]));
    return dir;
  }

  it('indexes a linked run folder and linked run files as the unaltered run, at their workspace paths (the case)', async () => {
    const dir = caseCopy('case');
    for (const ws of ['ws-linked-dir', 'ws-linked-files']) {
      const got = await indexed(path.join(dir, ws), 'follow');
      assert.deepEqual(got.tables, reference, ws);
      assert.deepEqual(got.folders, [RUN], `${ws}: the key is the path in the workspace`);
      assert.deepEqual(got.problems, []);
    }
  });

  it('reads links that git checked out as plain files holding the link text (core.symlinks=false), as the shared case is delivered', async () => {
    const dir = path.join(tmp, 'placeholders');
    fs.cpSync(CASE, dir, { recursive: true, dereference: false });
    fs.chmodSync(dir, 0o755);
    for (const ws of ['ws-linked-dir', 'ws-linked-files']) {
      const got = await indexed(path.join(dir, ws), 'follow');
      assert.deepEqual(got.tables, reference, ws);
      assert.deepEqual(got.folders, [RUN], `${ws}: the key is the path in the workspace`);
      assert.deepEqual(got.problems, []);
    }
    // Confined, the store beside the workspace is outside it: nothing is read from it.
    const confined = await indexed(path.join(dir, 'ws-linked-files'), 'confine');
    assert.equal(confined.tables.decisions.length, 0);
    assert.ok(confined.problems.length > 0 && confined.problems.every((p) => /outside the workspace folders/.test(p[3])));
  });

  it('leaves tiny text files alone when they do not name an existing path with a separator', async () => {
    const ws = path.join(tmp, 'not-placeholders');
    fs.cpSync(path.join(SAMPLE, RUN), path.join(ws, RUN), { recursive: true });
    fs.writeFileSync(path.join(ws, 'output', 'ai-summit', 'LATEST'), 'run-004');
    fs.writeFileSync(path.join(ws, RUN, 'notes.txt'), '../missing/file.md');
    const got = await indexed(ws, 'follow');
    assert.deepEqual(got.folders, [RUN]);
    assert.deepEqual(got.problems, []);
    assert.deepEqual(got.tables, reference);
  });

  it('reads linked folders the same way on the reader thread', async () => {
    const dir = path.join(tmp, 'many');
    fs.mkdirSync(path.join(dir, 'store'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'ws', 'output', 'ai-summit'), { recursive: true });
    // More folders than a pass reads on its own thread, half linked in as folders, half as files.
    for (let i = 0; i < 20; i++) {
      const real = path.join(dir, 'store', `run-${i}`);
      fs.cpSync(path.join(SAMPLE, RUN), real, { recursive: true });
      const inWs = path.join(dir, 'ws', 'output', 'ai-summit', `run-${i}`);
      if (i % 2 === 0) fs.symlinkSync(real, inWs);
      else {
        fs.mkdirSync(inWs);
        for (const f of fs.readdirSync(real)) fs.symlinkSync(path.join(real, f), path.join(inWs, f));
      }
    }
    const here = await indexed(path.join(dir, 'ws'), 'follow');
    const worker = await indexed(path.join(dir, 'ws'), 'follow', { worker: true });
    assert.equal(here.folders.length, 20);
    assert.deepEqual(worker.tables, here.tables);
    assert.deepEqual(worker.problems, here.problems);
  });

  it('walks each real folder once: a `latest` link and a loop back to an ancestor end, with the loop reported', async () => {
    const ws = path.join(tmp, 'loops');
    fs.cpSync(path.join(SAMPLE, RUN), path.join(ws, RUN), { recursive: true });
    fs.symlinkSync('run-004', path.join(ws, 'output', 'ai-summit', 'latest'));
    fs.symlinkSync('..', path.join(ws, 'output', 'ai-summit', 'up'));
    fs.symlinkSync(path.join(ws, 'output'), path.join(ws, RUN, 'outputs-again'));
    const got = await indexed(ws, 'follow');
    assert.deepEqual(got.folders, [RUN]);
    assert.deepEqual(got.tables, reference);
    const loops = got.problems.filter((p) => /loop/.test(p[3]));
    assert.deepEqual(loops.map((p) => p[0]), [`${RUN}/outputs-again`, 'output/ai-summit/up']);
  });

  it('does not walk a link to a folder around the workspace (its parent, /), a loop, nor one into /proc', async () => {
    const ws = path.join(tmp, 'around');
    fs.cpSync(path.join(SAMPLE, RUN), path.join(ws, RUN), { recursive: true });
    // tmp also holds the other tests' workspaces: walking it would index their runs.
    fs.symlinkSync(tmp, path.join(ws, 'output', 'everything'));
    fs.symlinkSync(path.parse(tmp).root, path.join(ws, RUN, 'disk'));
    if (process.platform === 'linux') fs.symlinkSync('/proc', path.join(ws, 'output', 'processes'));
    const got = await indexed(ws, 'follow');
    assert.deepEqual(got.folders, [RUN]);
    const loops = got.problems.filter((p) => /loop/.test(p[3]));
    assert.deepEqual(loops.map((p) => p[0]).sort(), [`${RUN}/disk`, 'output/everything']);
    if (process.platform === 'linux') assert.ok(got.problems.some((p) => p[0] === 'output/processes' && /into \/proc.*not followed/.test(p[3])), 'a link into /proc is not walked');
  });

  it('reports dangling links, in a run folder and elsewhere, and indexes the rest', async () => {
    const ws = path.join(tmp, 'dangling');
    fs.cpSync(path.join(SAMPLE, RUN), path.join(ws, RUN), { recursive: true });
    fs.rmSync(path.join(ws, RUN, 'costs.json'));
    fs.symlinkSync('../../../../annex/objects/costs.json', path.join(ws, RUN, 'costs.json'));
    fs.symlinkSync('/mnt/other-disk/output', path.join(ws, 'output', 'more-output'));
    const got = await indexed(ws, 'follow');
    assert.equal(got.tables.runs.length, 1);
    assert.equal(got.tables.decisions.length, reference.decisions.length);
    const byFile = new Map(got.problems.map((p) => [p[0], p[3]]));
    assert.match(byFile.get(`${RUN}/costs.json`) ?? '', /symbolic link to '..\/..\/..\/..\/annex\/objects\/costs.json', which does not exist/);
    assert.match(byFile.get('output/more-output') ?? '', /symbolic link to '\/mnt\/other-disk\/output', which does not exist/);
    assert.equal(got.report.problems, got.problems.length, 'the summary counts every problem listed');
  });

  it('picks up a changed link target on the next pass (the target is stat-ed, not the link)', async () => {
    const ws = path.join(tmp, 'retarget');
    const store = path.join(tmp, 'retarget-store');
    fs.cpSync(path.join(SAMPLE, RUN), store, { recursive: true });
    fs.mkdirSync(path.join(ws, RUN), { recursive: true });
    for (const f of fs.readdirSync(store)) fs.symlinkSync(path.join(store, f), path.join(ws, RUN, f));
    const index = await openConnectedScenarioIndex(undefined);
    opened.push(index);
    const pass = () => index.index({ roots: [{ name: 'ws', absPath: ws }], links: 'follow', read: { pendingWindowMs: 0 } });
    await pass();
    const file = path.join(store, 'european-union-002.md');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('## Action\n', '## Action\nA CHANGED ACTION.\n'));
    const report = await pass();
    assert.equal(report.foldersIndexed, 1);
    const actions = index.db.exec("SELECT COUNT(*) FROM decisions WHERE action LIKE 'A CHANGED ACTION.%'")[0].values[0][0];
    assert.equal(actions, 1);
  });

  describe('an untrusted workspace (confine)', () => {
    let ws: string;
    before(() => {
      ws = path.join(tmp, 'untrusted', 'ws');
      const outside = path.join(tmp, 'untrusted', 'outside');
      fs.mkdirSync(outside, { recursive: true });
      fs.cpSync(path.join(SAMPLE, RUN), path.join(outside, 'run-linked'), { recursive: true });
      fs.writeFileSync(path.join(outside, 'passwd'), `${SECRET}:x:0:0:root:/root:/bin/bash\n`);
      fs.mkdirSync(path.join(outside, 'actors'));
      fs.writeFileSync(path.join(outside, 'actors', 'spy.yaml'), `name: ${SECRET}\n`);
      fs.mkdirSync(path.join(outside, 'sidecar'));
      fs.writeFileSync(path.join(outside, 'sidecar', 'annotations.json'), `${SECRET}\n`);

      fs.cpSync(path.join(SAMPLE, RUN), path.join(ws, RUN), { recursive: true });
      // A linked run folder, run files linked out (one to a system-like file), a folder linked inside.
      fs.symlinkSync(path.join(outside, 'run-linked'), path.join(ws, 'output', 'ai-summit', 'run-linked'));
      fs.rmSync(path.join(ws, RUN, 'scenario-state.json'));
      fs.symlinkSync(path.join(outside, 'passwd'), path.join(ws, RUN, 'scenario-state.json'));
      fs.rmSync(path.join(ws, RUN, 'metrics.json'));
      fs.symlinkSync(path.join(outside, 'passwd'), path.join(ws, RUN, 'metrics.json'));
      fs.symlinkSync(path.join(outside, 'sidecar'), path.join(ws, RUN, '.scenario-lab'));
      fs.symlinkSync(RUN, path.join(ws, 'inside-link'));
      // A scenario definition whose actors/ and metrics.yaml lead out.
      const scenario = path.join(ws, 'scenarios', 'ai-summit');
      fs.cpSync(path.join(SAMPLE, 'scenarios', 'ai-summit'), scenario, { recursive: true });
      fs.rmSync(path.join(scenario, 'actors'), { recursive: true });
      fs.symlinkSync(path.join(outside, 'actors'), path.join(scenario, 'actors'));
      fs.rmSync(path.join(scenario, 'metrics.yaml'));
      fs.symlinkSync(path.join(outside, 'passwd'), path.join(scenario, 'metrics.yaml'));
    });

    it('never reads outside its folders, says which links it did not follow, and quotes nothing from them', async () => {
      const got = await indexed(ws, 'confine');
      assert.deepEqual(got.folders, [RUN], 'the linked-out run folder is not walked; the link inside is the same folder');
      const notFollowed = got.problems.filter((p) => /outside the workspace folders/.test(p[3])).map((p) => p[0]);
      assert.deepEqual(notFollowed.sort(), [
        'output/ai-summit/run-linked',
        `${RUN}/.scenario-lab`,
        `${RUN}/metrics.json`,
        `${RUN}/scenario-state.json`,
        'scenarios/ai-summit/actors',
        'scenarios/ai-summit/metrics.yaml',
      ].sort());
      const dump = JSON.stringify(got.problems) + JSON.stringify(got.tables) + JSON.stringify(got.index.db.exec('SELECT * FROM sl_scenarios'));
      assert.ok(!dump.includes(SECRET), 'nothing read from outside appears anywhere');
      assert.equal(got.tables.runs.length, 1, 'the run is still indexed from its own markdown');
    });

    it('follows the same links once trusted, and quotes no more of a non-JSON file than a character', async () => {
      const got = await indexed(ws, 'follow');
      assert.deepEqual(got.folders, [RUN, 'output/ai-summit/run-linked']);
      const messages = got.problems.map((p) => p[3]).join('\n');
      assert.ok(!messages.includes(SECRET.slice(0, 3)), `no file content beyond one character in: ${messages}`);
      assert.ok(got.problems.some((p) => p[0] === `${RUN}/scenario-state.json` && /not valid JSON/.test(p[3])));
    });
  });
});
