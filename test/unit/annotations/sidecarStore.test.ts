import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readSidecar, runFolderOfSidecar, sidecarPath, SidecarUnreadableError, updateSidecar } from '../../../src/core/annotations/sidecarStore';
import { REPO_ROOT } from '../helpers/paths';
import { anAnnotation } from './builders';

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
});
