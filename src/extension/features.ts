/**
 * Every feature of the extension, registered in this order at activation. A feature is a
 * function of the context and the index service that returns its disposables (the Foam shape):
 * it never blocks activation and reads data only through service.analytics.
 */
import type * as vscode from 'vscode';
import type { IndexService } from './indexService';

export type Feature = (context: vscode.ExtensionContext, service: IndexService) => vscode.Disposable[];

export const FEATURES: Feature[] = [];
