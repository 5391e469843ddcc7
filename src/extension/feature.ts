/**
 * The shape of every feature of the extension (the Foam shape): a function of the context, the
 * index service and the tree views (created before the rest of the extension loaded, see
 * treeViews.ts; a tree feature takes its view) that returns its disposables. It never blocks
 * activation and reads data only through service.analytics. Its own module, so features and the
 * list of them (features.ts) do not import each other.
 */
import type * as vscode from 'vscode';
import type { IndexService } from './indexService';
import type { TreeViews } from './treeViews';

export type Feature = (context: vscode.ExtensionContext, service: IndexService, trees: TreeViews) => vscode.Disposable[];
