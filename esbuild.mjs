// Bundles every program of the project with esbuild:
//   dist/extension.js (VS Code host, cjs: a small entry) and dist/extensionMain.js (the rest of it), dist/cli.js (the scenario-lab command), dist/*.js tools,
//   dist/webview/*.js (browser panels, esm), and copies sql.js's wasm next to the Node bundles.
// `node esbuild.mjs --watch` rebuilds on change; `--production` minifies.
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const nodePrograms = {
  extension: 'src/extension/extension.ts',
  extensionMain: 'src/extension/extensionMain.ts',
  cli: 'src/cli/cli.ts',
  indexWorker: 'src/core/worker/indexWorker.ts',
  readWorker: 'src/core/indexer/reader/readWorker.ts',
  sqlWorker: 'src/core/sql/sqlSandbox.ts',
  'generate-samples': 'src/tools/generateSamples.ts',
  bench: 'src/tools/bench.ts',
};

const webviewDir = 'webview';
const webviewEntries = existsSync(webviewDir)
  ? readdirSync(webviewDir).filter((f) => /Panel\.ts$/.test(f)).map((f) => path.join(webviewDir, f))
  : [];

const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'info' };

const contexts = [
  await esbuild.context({
    ...common,
    entryPoints: Object.fromEntries(Object.entries(nodePrograms).filter(([, file]) => existsSync(file))),
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // extensionMain.js stays a bundle of its own: extension.js loads it once VS Code has our tree views.
    external: ['vscode', './extensionMain.js'],
    // jsonc-parser's "main" is a UMD build whose lazy require('./impl/...') calls esbuild cannot
    // see; its ES module build bundles cleanly (the bundling advice of VS Code's own docs).
    alias: { 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' },
  }),
];
if (webviewEntries.length > 0) {
  contexts.push(
    await esbuild.context({
      ...common,
      entryPoints: webviewEntries,
      outdir: 'dist/webview',
      platform: 'browser',
      format: 'esm',
      target: 'es2020',
    }),
  );
}

mkdirSync('dist', { recursive: true });
copyFileSync(require.resolve('sql.js/dist/sql-wasm.wasm'), 'dist/sql-wasm.wasm');
// The chart library's stylesheet, loaded by the panels as a local file (the CSP allows no inline styles).
mkdirSync('dist/webview', { recursive: true });
copyFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'dist/webview/uPlot.min.css');

if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
}
