/**
 * The shape of every feature of the extension (the Foam shape): a function of the context and the
 * index service that returns its disposables. It never blocks activation and reads data only
 * through service.analytics. Its own module, so features and the list of them (features.ts) do
 * not import each other.
 */
import type * as vscode from 'vscode';
import type { IndexService } from './indexService';

export type Feature = (context: vscode.ExtensionContext, service: IndexService) => vscode.Disposable[];
