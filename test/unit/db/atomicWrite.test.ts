import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { nodeAtomicWriteSteps, writeFileAtomic } from '../../../src/core/db/atomicWrite';
import { makeTempDir, removeDir } from './fixtures';

describe('writeFileAtomic', () => {
  let dir: string;
  let target: string;
  const OLD = Buffer.from('old content, longer than the new one');
  const NEW = Buffer.from('new content');

  beforeEach(() => {
    dir = makeTempDir();
    target = path.join(dir, 'index.db');
    fs.writeFileSync(target, OLD);
  });

  afterEach(() => removeDir(dir));

  it('replaces the whole file and leaves no temp file behind', async () => {
    await writeFileAtomic(target, NEW);
    assert.deepEqual(fs.readFileSync(target), NEW);
    assert.deepEqual(fs.readdirSync(dir), ['index.db']);
  });

  it('creates missing parent directories', async () => {
    const nested = path.join(dir, 'a', 'b', 'index.db');
    await writeFileAtomic(nested, NEW);
    assert.deepEqual(fs.readFileSync(nested), NEW);
  });

  it('keeps the old file and removes the temp file when the rename fails', async () => {
    const failingRename = {
      ...nodeAtomicWriteSteps,
      rename: async () => {
        throw Object.assign(new Error('EXDEV: simulated'), { code: 'EXDEV' });
      },
    };
    await assert.rejects(writeFileAtomic(target, NEW, failingRename), /simulated/);
    assert.deepEqual(fs.readFileSync(target), OLD);
    assert.deepEqual(fs.readdirSync(dir), ['index.db']);
  });

  it('keeps the old file when the process is killed between writing and renaming', () => {
    const modulePath = path.resolve(__dirname, '../../../src/core/db/atomicWrite.js');
    // A real crash: the child writes and fsyncs the temp file, then SIGKILLs itself instead of renaming.
    const script = `
      const { writeFileAtomic, nodeAtomicWriteSteps } = require(${JSON.stringify(modulePath)});
      writeFileAtomic(${JSON.stringify(target)}, Buffer.from(${JSON.stringify(NEW.toString())}), {
        ...nodeAtomicWriteSteps,
        rename: async () => process.kill(process.pid, 'SIGKILL'),
      });`;
    const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    assert.equal(child.signal, 'SIGKILL', child.stderr);

    assert.deepEqual(fs.readFileSync(target), OLD);
    const leftovers = fs.readdirSync(dir).filter((f) => f !== 'index.db');
    assert.equal(leftovers.length, 1, 'the crashed temp file stays, under a name that is not the target');
    assert.match(leftovers[0], /^\.index\.db\.\d+-[0-9a-f]+\.tmp$/);
    assert.deepEqual(fs.readFileSync(path.join(dir, leftovers[0])), NEW, 'the temp file was complete before the rename');
  });
});
