#!/usr/bin/env node
// Starts code-server with this repo loaded as a development extension on a temp copy of the sample
// workspace, prints the URL to open, and runs until Ctrl-C (which stops the server and deletes the
// temp folder). Used by try.sh; build first (`node esbuild.mjs`).
//
//   node scripts/vscode-host/server.mjs [--port 8080]
//   env: SCENARIO_LAB_SAMPLE_WORKSPACE=<dir> opens a copy of another folder; KEEP_RUN_DIR=1 keeps the copy.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { isPortFree, prepareRun, repoRoot, startServer } from './host.mjs';

const { values: options } = parseArgs({ options: { port: { type: 'string', default: process.env.PORT ?? '8080' } } });

async function main() {
  if (!existsSync(path.join(repoRoot, 'dist/extension.js'))) throw new Error('dist/extension.js is missing: run `node esbuild.mjs` first');
  let port = Number(options.port);
  if (!(await isPortFree(port))) {
    console.log(`port ${port} is busy; using a free port instead`);
    port = undefined;
  }
  const run = prepareRun('try');
  const server = await startServer(run, port === undefined ? {} : { port });
  console.log(`
Scenario Lab is running in VS Code (code-server 4.139.1).
  open:       ${server.workbenchUrl()}
  workspace:  ${run.workspace}  (a temp copy; changes there are thrown away)
  extension:  ${repoRoot}  (development mode: after \`node esbuild.mjs\`, run "Developer: Reload Window")
  logs:       ${server.logFile} and ${path.join(run.userDir, 'logs')}
The URL only works from a browser that reaches the server as 127.0.0.1:${server.port}
(on another machine: ssh -L ${server.port}:127.0.0.1:${server.port} <this host>). Press Ctrl-C to stop.`);
  const { code, signal } = await server.exited;
  throw new Error(`code-server stopped on its own (${code ?? signal}); see ${server.logFile}`);
}

main().catch((err) => {
  console.error(`server: ${err.message}`);
  process.exit(1);
});
