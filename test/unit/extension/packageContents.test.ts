/**
 * What `npm run package` puts into the .vsix (vsce's own file list, read through .vscodeignore):
 * every script the bundles start as a thread, the wasm, the webview bundles, everything the
 * manifest points at, and nothing that does not run (sources, tests, source maps, the CLI).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../helpers/paths';

// vsce ships no type declarations for its API.
const vsce = require('@vscode/vsce') as { listFiles(options: { cwd: string; packageManager: number }): Promise<string[]>; PackageManager: { None: number } };

describe('the packaged extension', function () {
  this.timeout(30000);
  let files: string[];
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));

  before(async () => {
    assert.ok(fs.existsSync(path.join(REPO_ROOT, 'dist', 'extension.js')), 'dist/ is built (npm run build)');
    files = (await vsce.listFiles({ cwd: REPO_ROOT, packageManager: vsce.PackageManager.None })).map((f) => f.split(path.sep).join('/'));
  });

  it('holds the main part the entry loads, every worker script the bundles start (named in their code), and the wasm they load', () => {
    assert.match(fs.readFileSync(path.join(REPO_ROOT, 'dist', 'extension.js'), 'utf8'), /require\("\.\/extensionMain\.js"\)/, 'the entry loads dist/extensionMain.js');
    const started = new Set<string>();
    for (const bundle of ['extension.js', 'extensionMain.js', 'indexWorker.js']) {
      for (const [, name] of fs.readFileSync(path.join(REPO_ROOT, 'dist', bundle), 'utf8').matchAll(/['"](\w+Worker\.js)['"]/g)) started.add(name);
    }
    assert.deepEqual([...started].sort(), ['indexWorker.js', 'readWorker.js', 'sqlWorker.js']);
    for (const name of [...started, 'extension.js', 'extensionMain.js', 'sql-wasm.wasm']) assert.ok(files.includes(`dist/${name}`), `dist/${name} is packaged`);
  });

  it('holds every webview bundle and stylesheet that was built', () => {
    const built = fs.readdirSync(path.join(REPO_ROOT, 'dist', 'webview')).filter((f) => /\.(js|css)$/.test(f));
    assert.ok(built.length >= 4);
    for (const name of built) assert.ok(files.includes(`dist/webview/${name}`), `dist/webview/${name} is packaged`);
  });

  it('holds every file the manifest points at: main, icons, walkthrough images, the license', () => {
    const pointed = [
      manifest.main.replace(/^\.\//, ''),
      manifest.icon,
      ...manifest.contributes.viewsContainers.activitybar.map((c: { icon: string }) => c.icon),
      ...manifest.contributes.walkthroughs.flatMap((w: { steps: Array<{ media: { image: string } }> }) => w.steps.map((s) => s.media.image)),
      'LICENSE',
      'CHANGELOG.md',
      'README.md',
    ];
    for (const file of pointed) {
      assert.ok(fs.existsSync(path.join(REPO_ROOT, file)), `${file} exists`);
      assert.ok(files.includes(file), `${file} is packaged`);
    }
  });

  it('holds nothing that does not run', () => {
    const extra = files.filter((f) => /^(src|test|webview|scripts|docs|out|node_modules)\//.test(f) || f.endsWith('.map') || f.endsWith('.ts') || f === 'dist/cli.js' || f === 'media/icon.svg');
    assert.deepEqual(extra, []);
    assert.ok(files.length < 40, `${files.length} files`);
  });
});
