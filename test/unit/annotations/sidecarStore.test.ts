import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readSidecar, runFolderOfSidecar, sidecarPath, SidecarUnreadableError, updateSidecar } from '../../../src/core/annotations/sidecarStore';
import { REPO_ROOT } from '../helpers/paths';
import { anAnnotation, CASE_RUN } from './builders';

describe('annotation sidecar on disk', () => {
  let run: string;
  beforeEach(() => (run = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-sidecar-'))));
  afterEach(() => fs.rmSync(run, { recursive: true, force: true }));

  it('reads an empty document when there is no sidecar, and round-trips what it writes', async () => {
    assert.deepEqual(await readSidecar(run), { annotations: [] });
    const a = anAnnotation({ label: 'needs-discussion', rating: 3 });
    await updateSidecar(run, { kind: 'add', annotation: a });
    assert.deepEqual(await readSidecar(run), { annotations: [a] });
    assert.deepEqual(fs.readdirSync(path.dirname(sidecarPath(run))), ['annotations.json'], 'no temp or lock file left behind');
    assert.equal(runFolderOfSidecar(sidecarPath(run)), run);
    assert.equal(runFolderOfSidecar(path.join(run, 'metrics.json')), undefined);
  });

  it('keeps an annotation written by someone else between my read and my write', async () => {
    const mine = anAnnotation();
    await updateSidecar(run, { kind: 'add', annotation: mine });
    // Another window (or git) replaces the file with its own additions.
    const theirs = anAnnotation();
    fs.writeFileSync(sidecarPath(run), fs.readFileSync(sidecarPath(run), 'utf8').replace('"annotations": [', `"annotations": [${JSON.stringify(theirs)},`));
    await updateSidecar(run, { kind: 'set', base: mine, fields: { resolved: true }, at: 'now' });
    const ids = (await readSidecar(run)).annotations.map((a) => a.id).sort();
    assert.deepEqual(ids, [mine.id, theirs.id].sort());
  });

  it('loses nothing when many writers in this process interleave', async () => {
    const all = Array.from({ length: 25 }, () => anAnnotation());
    await Promise.all(all.map((annotation) => updateSidecar(run, { kind: 'add', annotation })));
    assert.equal((await readSidecar(run)).annotations.length, 25);
  });

  it('loses nothing when two processes write at the same time', async function () {
    this.timeout(30000);
    const store = path.join(REPO_ROOT, 'out', 'src', 'core', 'annotations', 'sidecarStore.js');
    const writer = (name: string) =>
      new Promise<number>((resolve) => {
        const script = `const s=require(${JSON.stringify(store)});(async()=>{for(let i=0;i<15;i++){const id='${name}-'+i;await s.updateSidecar(${JSON.stringify(run)},{kind:'add',annotation:{id,file:'f.md',startLine:1,endLine:1,quote:['x'],label:null,rating:null,resolved:false,created:'t',updated:'t',comments:[{id:id+'c',author:'${name}',body:'b',created:'t',updated:'t'}]}});}})().then(()=>process.exit(0),(e)=>{console.error(e);process.exit(1)})`;
        spawn(process.execPath, ['-e', script], { stdio: 'inherit' }).on('exit', (code) => resolve(code ?? 1));
      });
    assert.deepEqual(await Promise.all([writer('left'), writer('right')]), [0, 0]);
    const ids = (await readSidecar(run)).annotations.map((a) => a.id);
    assert.equal(ids.length, 30);
  });

  it('refuses to overwrite a sidecar it cannot read (user data is never replaced)', async () => {
    fs.mkdirSync(path.dirname(sidecarPath(run)), { recursive: true });
    fs.writeFileSync(sidecarPath(run), '{ "format": "scenario-lab-annotations", "annotations": [ broken');
    await assert.rejects(updateSidecar(run, { kind: 'add', annotation: anAnnotation() }), SidecarUnreadableError);
    assert.match(fs.readFileSync(sidecarPath(run), 'utf8'), /broken/);
    assert.deepEqual(fs.readdirSync(path.dirname(sidecarPath(run))), ['annotations.json'], 'no temp or lock file left behind');
  });

  it('takes over a lock left by a writer that died', async () => {
    fs.mkdirSync(path.dirname(sidecarPath(run)), { recursive: true });
    const lock = `${sidecarPath(run)}.lock`;
    fs.writeFileSync(lock, '12345\n');
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(lock, old, old);
    await updateSidecar(run, { kind: 'add', annotation: anAnnotation() });
    assert.equal(fs.existsSync(lock), false);
  });

  /** A copy of the case's run folder (the case itself is read-only). */
  function caseRun(): string {
    fs.cpSync(CASE_RUN, run, { recursive: true });
    fs.chmodSync(path.dirname(sidecarPath(run)), 0o755);
    fs.chmodSync(sidecarPath(run), 0o644);
    return run;
  }

  /** The lines of the case's sidecar that hold entries hand-1…hand-4, without the comma that separates an entry from the next. */
  const handLines = (text: string) => text.split('\n').filter((l) => l.includes('"id": "hand-')).map((l) => l.replace(/,$/, ''));

  it('adding one annotation to the case keeps hand-1…hand-4 byte for byte, in order (issue 10 example)', async () => {
    const before = handLines(fs.readFileSync(sidecarPath(caseRun()), 'utf8'));
    assert.equal(before.length, 4);
    const mine = anAnnotation({ file: 'world-state-001.md', startLine: 9, endLine: 9 });
    await updateSidecar(run, { kind: 'add', annotation: mine });
    const after = fs.readFileSync(sidecarPath(run), 'utf8');
    assert.deepEqual(handLines(after), before);
    assert.match(after, /"priority": "high"/);
    assert.match(after, /"attachments": \["fig1.png"\]/);
    assert.deepEqual((await readSidecar(run)).annotations.map((a) => a.id), ['hand-1', mine.id]);
  });

  it('every reviewer action on the case keeps the entries and fields it did not touch', async () => {
    const before = handLines(fs.readFileSync(sidecarPath(caseRun()), 'utf8'));
    const mine = anAnnotation({ file: 'world-state-001.md', startLine: 9, endLine: 9 });
    const reply = { id: 'r1', author: 'b', body: 'agree', created: 't2', updated: 't2' };
    await updateSidecar(run, { kind: 'add', annotation: mine });
    await updateSidecar(run, { kind: 'reply', base: mine, comment: reply });
    await updateSidecar(run, { kind: 'editComment', base: mine, commentId: 'r1', body: 'agree, edited', at: 't3' });
    await updateSidecar(run, { kind: 'set', base: mine, fields: { label: 'needs-discussion' }, at: 't4' });
    await updateSidecar(run, { kind: 'set', base: mine, fields: { rating: 3 }, at: 't5' });
    await updateSidecar(run, { kind: 'set', base: mine, fields: { resolved: true }, at: 't6' });
    const shown = (await readSidecar(run)).annotations.find((a) => a.id === mine.id)!;
    assert.deepEqual([shown.label, shown.rating, shown.resolved, shown.comments.map((c) => c.body)], ['needs-discussion', 3, true, [mine.comments[0].body, 'agree, edited']]);
    await updateSidecar(run, { kind: 'deleteComment', base: mine, commentId: 'r1', at: 't7' });
    await updateSidecar(run, { kind: 'delete', id: mine.id });
    assert.deepEqual(handLines(fs.readFileSync(sidecarPath(run), 'utf8')), before);
  });

  it('never downgrades the version of a file written by a newer Scenario Lab', async () => {
    fs.mkdirSync(path.dirname(sidecarPath(run)), { recursive: true });
    fs.writeFileSync(sidecarPath(run), '{"format": "scenario-lab-annotations", "version": 2, "annotations": [], "reviewers": ["ana"]}\n');
    await updateSidecar(run, { kind: 'add', annotation: anAnnotation() });
    const written = JSON.parse(fs.readFileSync(sidecarPath(run), 'utf8'));
    assert.equal(written.version, 2);
    assert.deepEqual(written.reviewers, ['ana']);
  });

  it('refuses to write a sidecar that is not valid JSON, naming the file and the line', async () => {
    fs.mkdirSync(path.dirname(sidecarPath(run)), { recursive: true });
    const text = '{\n  "format": "scenario-lab-annotations",\n  "version": 1,\n  "annotations": [\n    {"id": "x"},,\n  ]\n}\n';
    fs.writeFileSync(sidecarPath(run), text);
    await assert.rejects(updateSidecar(run, { kind: 'add', annotation: anAnnotation() }), (e: Error) => e.message.startsWith(`${sidecarPath(run)}:5:`));
    assert.equal(fs.readFileSync(sidecarPath(run), 'utf8'), text);
  });

  it('keeps the permissions of the sidecar it replaces, and refuses to change a read-only one', async () => {
    await updateSidecar(run, { kind: 'add', annotation: anAnnotation() });
    fs.chmodSync(sidecarPath(run), 0o664); // a team's shared folder
    await updateSidecar(run, { kind: 'add', annotation: anAnnotation() });
    assert.equal(fs.statSync(sidecarPath(run)).mode & 0o777, 0o664);
    fs.chmodSync(sidecarPath(run), 0o444);
    const before = fs.readFileSync(sidecarPath(run));
    await assert.rejects(updateSidecar(run, { kind: 'add', annotation: anAnnotation() }), /is read-only; Scenario Lab does not change it/);
    assert.deepEqual(fs.readFileSync(sidecarPath(run)), before);
    assert.equal(fs.statSync(sidecarPath(run)).mode & 0o777, 0o444);
  });

  describe('links', () => {
    let outside: string;
    beforeEach(() => (outside = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-outside-'))));
    afterEach(() => fs.rmSync(outside, { recursive: true, force: true }));

    it('does not write through a .scenario-lab folder that links out of the run folder', async () => {
      fs.writeFileSync(path.join(outside, 'annotations.json'), '{"format": "scenario-lab-annotations", "version": 1, "annotations": []}');
      fs.symlinkSync(outside, path.join(run, '.scenario-lab'));
      await assert.rejects(updateSidecar(run, { kind: 'add', annotation: anAnnotation() }), /symbolic link out of the run folder/);
      assert.deepEqual(fs.readdirSync(outside), ['annotations.json']);
      assert.equal(fs.readFileSync(path.join(outside, 'annotations.json'), 'utf8'), '{"format": "scenario-lab-annotations", "version": 1, "annotations": []}');
    });

    it('does not write through a sidecar that links out of the run folder, nor a dangling link', async () => {
      fs.mkdirSync(path.join(run, '.scenario-lab'));
      const target = path.join(outside, 'notes.json');
      fs.writeFileSync(target, '{"format": "scenario-lab-annotations", "version": 1, "annotations": []}');
      fs.symlinkSync(target, sidecarPath(run));
      await assert.rejects(updateSidecar(run, { kind: 'add', annotation: anAnnotation() }), /symbolic link out of the run folder/);
      assert.equal(fs.readFileSync(target, 'utf8'), '{"format": "scenario-lab-annotations", "version": 1, "annotations": []}');
      fs.rmSync(target);
      await assert.rejects(updateSidecar(run, { kind: 'add', annotation: anAnnotation() }), /does not exist/);
      assert.deepEqual(fs.readdirSync(outside), []);
    });

    it('writes through a link that stays inside the run folder, and keeps it a link', async () => {
      fs.mkdirSync(path.join(run, 'review'));
      fs.symlinkSync('review', path.join(run, '.scenario-lab'));
      const a = anAnnotation();
      await updateSidecar(run, { kind: 'add', annotation: a });
      assert.ok(fs.lstatSync(path.join(run, '.scenario-lab')).isSymbolicLink());
      assert.deepEqual((await readSidecar(run)).annotations, [a]);
      assert.deepEqual(fs.readdirSync(path.join(run, 'review')), ['annotations.json']);
    });
  });

  it('loses nothing, ours or theirs, while another process rewrites the file without our lock', async function () {
    this.timeout(60000);
    fs.mkdirSync(path.dirname(sidecarPath(run)), { recursive: true });
    fs.writeFileSync(sidecarPath(run), '{"format": "scenario-lab-annotations", "version": 1, "annotations": []}\n');
    const theirs = 150;
    // Another tool: it reads and rewrites the file in place (truncate + write on the descriptor it
    // read from), like an editor or a script with json.dump(open(f, "w")). It checks that what it
    // wrote is the live file and writes again if not — so it never loses its own entries, and
    // every entry missing at the end was lost by us.
    const script = `
      const fs = require('fs'); const file = ${JSON.stringify(sidecarPath(run))};
      for (let k = 0; k < ${theirs}; k++) {
        for (;;) {
          const fd = fs.openSync(file, 'r+');
          let doc;
          try { doc = JSON.parse(fs.readFileSync(fd, 'utf8')); } catch { fs.closeSync(fd); continue; }
          const id = 'ext-' + k;
          if (!doc.annotations.some((a) => a.id === id)) doc.annotations.push({ id, file: 'f.md', startLine: 1, endLine: 1, quote: ['x'], tool: 'other', comments: [{ id: id + 'c', author: 'tool', body: 'b', created: 't' }] });
          const out = Buffer.from(JSON.stringify(doc, null, 2));
          fs.ftruncateSync(fd, 0); fs.writeSync(fd, out, 0, out.length, 0);
          // Compared while the descriptor is open, so the inode number cannot have been reused.
          const live = fs.fstatSync(fd).ino === fs.statSync(file).ino; fs.closeSync(fd);
          if (live) break;
        }
      }`;
    const child = spawn(process.execPath, ['-e', script], { stdio: 'inherit' });
    const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
    const ours = Array.from({ length: 40 }, (_, i) => anAnnotation({ id: `ours-${i}` }));
    for (const annotation of ours) {
      // On a busy machine the other process can stay paused between truncating the file and
      // writing it for longer than we wait; the action is then refused (never written over an
      // empty file) and, as a reviewer would, we try again.
      for (;;) {
        try {
          await updateSidecar(run, { kind: 'add', annotation });
          break;
        } catch (error) {
          if (!(error instanceof SidecarUnreadableError)) throw error;
        }
      }
    }
    assert.equal(await exited, 0);
    const ids = new Set(JSON.parse(fs.readFileSync(sidecarPath(run), 'utf8')).annotations.map((a: { id: string }) => a.id));
    const lost = [...ours.map((a) => a.id), ...Array.from({ length: theirs }, (_, k) => `ext-${k}`)].filter((id) => !ids.has(id));
    assert.deepEqual(lost, [], `${lost.length} lost: ${lost.join(' ')}`);
    assert.deepEqual(fs.readdirSync(path.dirname(sidecarPath(run))).sort(), ['annotations.json'], 'no temp, aside or lock file left behind');
  });
});
