/**
 * The shape every Scenario Lab tree shares: nodes that know their parent (so `reveal` works), carry
 * stable ids built from domain ids (so expansion and selection survive a refresh), and may point at
 * the lines they came from (selecting them jumps there).
 */
import * as vscode from 'vscode';
import type { SourceLocation } from '../core/analytics/types';
import { openSourceCommand } from './sourceNavigation';
import { formatCount } from '../core/analytics/numberFormat';
import { ContextValues } from './constants';

export interface TreeNode {
  readonly id: string;
  readonly parent: TreeNode | undefined;
  /** The record's lines, for jump to source and for finding the node of an editor position. */
  readonly source?: SourceLocation;
  treeItem(): vscode.TreeItem;
  children?(): Promise<TreeNode[]>;
}

/**
 * How long a refresh waits at most for VS Code to ask for the children of the expanded items it was
 * just given (a collapsed or hidden view never asks).
 */
const SETTLE_MS = 3000;

/**
 * A TreeDataProvider over TreeNodes; children are cached until the next refresh so reveal sees the shown nodes.
 *
 * A refresh of the whole tree makes VS Code's extension host forget every item; should VS Code then
 * ask for the children of an item it was given before (an expanded scenario it is still loading),
 * it logs "No tree item with id … found". So a refresh waits until VS Code has asked for the
 * children of every expanded item it was handed (or SETTLE_MS), and refreshes in a row coalesce.
 */
export class NodeTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private cache = new Map<string, Promise<TreeNode[]>>();
  /** Ids of expanded items handed to VS Code whose children it has not asked for yet. */
  private readonly unasked = new Set<string>();
  private settleTimer: NodeJS.Timeout | undefined;
  private refreshWanted = false;

  constructor(private readonly roots: () => Promise<TreeNode[]>) {}

  getTreeItem(node: TreeNode): vscode.TreeItem {
    const item = node.treeItem();
    item.id = node.id;
    if (!item.command && node.source) item.command = openSourceCommand(node.source);
    if (item.collapsibleState === vscode.TreeItemCollapsibleState.Expanded) this.unasked.add(node.id);
    return item;
  }

  getChildren(node?: TreeNode): Promise<TreeNode[]> {
    const key = node?.id ?? '';
    if (node && this.unasked.delete(key) && this.unasked.size === 0) this.refreshIfWanted();
    let children = this.cache.get(key);
    if (!children) {
      children = node ? (node.children?.() ?? Promise.resolve([])) : this.roots();
      // A failed query must not stick: the next expansion asks again.
      children.catch(() => this.cache.delete(key));
      this.cache.set(key, children);
    }
    return children;
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return node.parent;
  }

  /** Reloads the whole tree, once VS Code has what it asked for (see the class comment). */
  refresh(): void {
    this.refreshWanted = true;
    if (this.unasked.size === 0) return this.refreshIfWanted();
    this.settleTimer ??= setTimeout(() => {
      this.unasked.clear();
      this.refreshIfWanted();
    }, SETTLE_MS);
  }

  private refreshIfWanted(): void {
    clearTimeout(this.settleTimer);
    this.settleTimer = undefined;
    if (!this.refreshWanted) return;
    this.refreshWanted = false;
    this.cache = new Map();
    this.changed.fire(undefined);
  }

  /** Reloads one node's children (and everything below them). */
  refreshNode(node: TreeNode): void {
    for (const key of this.cache.keys()) if (key === node.id || key.startsWith(`${node.id}/`)) this.cache.delete(key);
    this.changed.fire(node);
  }

  /** Walks down from the roots by id: each step picks the child whose id `matches` (its first hit). */
  async findByIds(ids: readonly string[]): Promise<TreeNode | undefined> {
    let node: TreeNode | undefined;
    for (const id of ids) {
      const next: TreeNode | undefined = (await this.getChildren(node)).find((child) => child.id === id);
      if (!next) return node;
      node = next;
    }
    return node;
  }

  /** Every node below `node` (depth first), loading children as needed. */
  async descendants(node: TreeNode): Promise<TreeNode[]> {
    const all: TreeNode[] = [];
    for (const child of await this.getChildren(node)) all.push(child, ...(await this.descendants(child)));
    return all;
  }

  dispose(): void {
    clearTimeout(this.settleTimer);
    this.changed.dispose();
  }
}

/**
 * Ids for siblings built from domain keys; a key that repeats (a resumed run storing a turn twice,
 * a metric recorded twice in a turn) gets `#2`, `#3`… in order, so ids stay unique and stable.
 */
export function siblingIds(parentId: string, keys: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return keys.map((key) => {
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    return `${parentId}/${key}${n > 1 ? `#${n}` : ''}`;
  });
}

/** How many children each paged node lists, by node id: the view keeps it, so "Show more" survives a refresh. */
export interface Paging {
  shown: Map<string, number>;
  pageSize: number;
}

/** `paging` with its defaults: nothing shown beyond the first page, `pageSize` per page. */
export function pagingWith(paging: Partial<Paging>, pageSize: number): Paging {
  return { shown: paging.shown ?? new Map(), pageSize: paging.pageSize ?? pageSize };
}

/** A node whose children are listed a page at a time, with a ShowMoreNode last while some are left. */
export abstract class PagedNode implements TreeNode {
  abstract readonly id: string;
  abstract readonly parent: TreeNode | undefined;
  constructor(protected readonly paging: Paging) {}
  abstract treeItem(): vscode.TreeItem;
  get pageSize(): number {
    return this.paging.pageSize;
  }
  /** Lists one more page from the next refresh of this node on. */
  showMore(): void {
    this.paging.shown.set(this.id, this.limit() + this.paging.pageSize);
  }
  /** How many children are listed now. */
  protected limit(): number {
    return this.paging.shown.get(this.id) ?? this.paging.pageSize;
  }
}

/** The last item of a long list: selecting it runs `command` (the view's "show more"), which lists the next page. */
export class ShowMoreNode implements TreeNode {
  readonly id: string;
  constructor(
    readonly parent: PagedNode,
    private readonly shownCount: number,
    private readonly total: number,
    private readonly command: string,
  ) {
    this.id = `${parent.id}/more`;
  }
  treeItem(): vscode.TreeItem {
    const next = Math.min(this.parent.pageSize, this.total - this.shownCount);
    const item = new vscode.TreeItem(`Show ${formatCount(next)} more…`, vscode.TreeItemCollapsibleState.None);
    item.description = `${formatCount(this.shownCount)} of ${formatCount(this.total)} shown`;
    item.iconPath = new vscode.ThemeIcon('ellipsis');
    item.contextValue = ContextValues.showMore;
    item.command = { command: this.command, title: 'Show more', arguments: [this] };
    return item;
  }
}

/** Checked by shape, not class: a tree built by another copy of this module (the tests) passes its own nodes. */
export function isShowMoreNode(node: unknown): node is ShowMoreNode {
  const parent = (node as Partial<ShowMoreNode> | undefined)?.parent;
  return typeof (parent as Partial<PagedNode> | undefined)?.showMore === 'function';
}

/** Registers a view's "show more" command: the ShowMoreNode selected lists its parent's next page. */
export function registerShowMore(command: string, provider: NodeTreeProvider): vscode.Disposable {
  return vscode.commands.registerCommand(command, (node?: unknown) => {
    if (!isShowMoreNode(node)) return;
    node.parent.showMore();
    provider.refreshNode(node.parent);
  });
}
