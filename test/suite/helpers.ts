/** Shared by the extension-host tests: the extension's API, the open sample workspace, polling, tree items. */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ScenarioLabApi } from '../../src/extension/extension';
import type { NodeTreeProvider, TreeNode } from '../../src/extension/treeNodes';

/** `${publisher}.${name}` from package.json. */
export const EXTENSION_ID = 'scenario-lab.scenario-lab-vscode';

/** The API once the first index pass of the workspace is done. */
export async function readyApi(): Promise<ScenarioLabApi> {
  const extension = vscode.extensions.getExtension<ScenarioLabApi>(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is not loaded`);
  const api = await extension.activate();
  await api.ready;
  return api;
}

/** Absolute path of a file in the temp copy of the sample workspace the window has open. */
export function workspacePath(...parts: string[]): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder is open');
  return path.join(folder.uri.fsPath, ...parts);
}

/** Polls until `probe()` returns a truthy value (indexing, watchers and views are asynchronous); never a fixed sleep. */
export async function eventually<T>(probe: () => T | Promise<T>, what: string, timeoutMs = 20_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface ShownItem {
  node: TreeNode;
  label: string;
  description: string;
}

/** The children of `node` (the roots without one) as the view would show them. */
export async function shownChildren(provider: NodeTreeProvider, node?: TreeNode): Promise<ShownItem[]> {
  return (await provider.getChildren(node)).map((child) => {
    const item = provider.getTreeItem(child);
    const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
    return { node: child, label, description: typeof item.description === 'string' ? item.description : '' };
  });
}

/** Walks down by labels, e.g. ['AI Safety Summit 2026', 'run-002', 'Turn 1']. */
export async function nodeAtLabels(provider: NodeTreeProvider, labels: readonly string[]): Promise<TreeNode> {
  let node: TreeNode | undefined;
  for (const label of labels) {
    const children = await shownChildren(provider, node);
    const next = children.find((c) => c.label === label);
    assert.ok(next, `no "${label}" among ${JSON.stringify(children.map((c) => c.label))}`);
    node = next.node;
  }
  assert.ok(node, 'empty label path');
  return node;
}
