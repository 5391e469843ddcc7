/**
 * Every tree view of the manifest, created first thing in activate(), before the rest of the
 * extension is even loaded (extension.ts). VS Code shows "There is no data provider registered that
 * can provide view data." in a tree view from the moment it draws the view until a provider is
 * registered for it; only the view's welcome text covers it, and VS Code registers that text late
 * (a workbench contribution created when the window is idle after start-up): a window opened or
 * reloaded with our container showing had the message for 1–4 s on a busy machine. So each view gets
 * a stand-in provider at once, with no items (VS Code then shows the view's welcome text), and its
 * feature hands it the real provider with `take` once the index service exists.
 */
import * as vscode from 'vscode';
import { Views } from './constants';

type ViewId = (typeof Views)[keyof typeof Views];

/** Options of each view, fixed when VS Code is told about it (they cannot change after). */
const VIEW_OPTIONS: Record<ViewId, { canSelectMany?: boolean; showCollapseAll: boolean }> = {
  [Views.runs]: { canSelectMany: true, showCollapseAll: true },
  [Views.actors]: { showCollapseAll: true },
  [Views.metrics]: { showCollapseAll: true },
  [Views.annotations]: { showCollapseAll: true },
  [Views.experiments]: { showCollapseAll: true },
};

/** The tree views created at activation; `take` gives a view its real provider (once per view). */
export interface TreeViews {
  /**
   * Makes `provider` the view's data (VS Code reloads the view from it) and returns the view.
   * @throws when the view was already taken: one feature owns each view.
   */
  take<T>(id: ViewId, provider: vscode.TreeDataProvider<T>): vscode.TreeView<T>;
}

/** A provider with no items until `attach`, then the attached one's items, parents and change events. */
class StandInProvider implements vscode.TreeDataProvider<unknown>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<unknown>();
  readonly onDidChangeTreeData = this.changed.event;
  private target: vscode.TreeDataProvider<unknown> | undefined;
  private forwarding: vscode.Disposable | undefined;

  attach(target: vscode.TreeDataProvider<unknown>): void {
    this.target = target;
    this.forwarding = target.onDidChangeTreeData?.((node) => this.changed.fire(node));
    this.changed.fire(undefined);
  }

  get attached(): boolean {
    return this.target !== undefined;
  }

  getTreeItem(node: unknown): vscode.TreeItem | Thenable<vscode.TreeItem> {
    return this.target!.getTreeItem(node); // VS Code only asks about nodes the target gave it
  }

  getChildren(node?: unknown): vscode.ProviderResult<unknown[]> {
    return this.target ? this.target.getChildren(node) : [];
  }

  getParent(node: unknown): vscode.ProviderResult<unknown> {
    return this.target?.getParent?.(node);
  }

  dispose(): void {
    this.forwarding?.dispose();
    this.changed.dispose();
  }
}

/** Creates every view of VIEW_OPTIONS on a stand-in provider; the views are disposed with the extension. */
export function createTreeViews(context: vscode.ExtensionContext): TreeViews {
  const views = new Map<ViewId, { view: vscode.TreeView<unknown>; standIn: StandInProvider }>();
  for (const [id, options] of Object.entries(VIEW_OPTIONS) as [ViewId, (typeof VIEW_OPTIONS)[ViewId]][]) {
    const standIn = new StandInProvider();
    const view = vscode.window.createTreeView(id, { treeDataProvider: standIn, ...options });
    views.set(id, { view, standIn });
    context.subscriptions.push(view, standIn);
  }
  return {
    take<T>(id: ViewId, provider: vscode.TreeDataProvider<T>) {
      const entry = views.get(id)!;
      if (entry.standIn.attached) throw new Error(`The tree view ${id} already has its provider.`);
      entry.standIn.attach(provider as vscode.TreeDataProvider<unknown>);
      // The view only ever holds the nodes of `provider` from now on (the stand-in had none).
      return entry.view as vscode.TreeView<T>;
    },
  };
}
