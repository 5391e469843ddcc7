/**
 * The "Annotations" view: the index's copy of every annotation, by run and by label. Selecting
 * one opens its lines; run nodes offer the markdown review report.
 */
import * as vscode from 'vscode';
import type { AnnotationRecord } from '../../core/analytics/annotations';
import { ANNOTATION_LABELS } from '../../core/format/annotationModel';
import type { Feature } from '../feature';
import { NodeTreeProvider, type TreeNode } from '../treeNodes';
import { ContextValues, Views } from '../constants';
import { groupBy } from '../../core/analytics/grouping';


class GroupNode implements TreeNode {
  readonly parent = undefined;
  constructor(
    readonly id: string,
    private readonly title: string,
    private readonly groups: () => Promise<TreeNode[]>,
  ) {}
  treeItem(): vscode.TreeItem {
    return new vscode.TreeItem(this.title, vscode.TreeItemCollapsibleState.Expanded);
  }
  children(): Promise<TreeNode[]> {
    return this.groups();
  }
}

/** A run, or a label, with its annotations. */
export class AnnotationSetNode implements TreeNode {
  constructor(
    readonly id: string,
    readonly parent: TreeNode,
    readonly title: string,
    readonly annotations: AnnotationRecord[],
    private readonly kind: 'run' | 'label',
  ) {}
  get runId(): string | undefined {
    return this.kind === 'run' ? (this.annotations[0]?.runId ?? undefined) : undefined;
  }
  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.title, vscode.TreeItemCollapsibleState.Collapsed);
    item.description = `${this.annotations.length}`;
    item.iconPath = new vscode.ThemeIcon(this.kind === 'run' ? 'play-circle' : 'tag');
    item.contextValue = this.kind === 'run' ? ContextValues.annotationRun : ContextValues.annotationLabel;
    return item;
  }
  children(): Promise<TreeNode[]> {
    return Promise.resolve(this.annotations.map((a) => new AnnotationNode(this, a)));
  }
}

class AnnotationNode implements TreeNode {
  readonly id: string;
  readonly source;
  constructor(
    readonly parent: AnnotationSetNode,
    private readonly a: AnnotationRecord,
  ) {
    this.id = `${parent.id}/${a.folder}/${a.id}`;
    this.source = { file: a.file, startLine: a.startLine, endLine: a.endLine, focusLine: a.startLine };
  }
  treeItem(): vscode.TreeItem {
    const a = this.a;
    const first = a.comments[0]?.body.split('\n')[0] ?? '';
    const item = new vscode.TreeItem(first || '(no comment)', vscode.TreeItemCollapsibleState.None);
    const where = `${a.file.split('/').pop()}:${a.startLine}`;
    item.description = [where, a.turnNum !== null ? `turn ${a.turnNum}` : null, a.label, a.rating !== null ? `${a.rating}/5` : null, a.resolved ? 'resolved' : null, a.outdated ? 'outdated' : null]
      .filter(Boolean)
      .join(' · ');
    item.iconPath = new vscode.ThemeIcon(a.outdated ? 'warning' : a.resolved ? 'pass' : 'comment');
    const tooltip = new vscode.MarkdownString();
    tooltip.appendCodeblock(a.quote, 'markdown');
    for (const c of a.comments) tooltip.appendMarkdown(`\n\n**`).appendText(c.author || 'reviewer').appendMarkdown('**: ').appendText(c.body);
    item.tooltip = tooltip;
    item.contextValue = ContextValues.annotation;
    return item;
  }
}

export const annotationsTree: Feature = (_context, service, trees) => {
  const queries = service.analytics;
  const byRun: GroupNode = new GroupNode('annotations:byRun', 'By run', async (): Promise<TreeNode[]> => {
    const groups = groupBy(await queries.listAnnotations(), (a) => a.folder);
    return [...groups].map(([folder, list]) => new AnnotationSetNode(`annotations:run:${folder}`, byRun, list[0].runId ?? folder, list, 'run'));
  });
  const byLabel: GroupNode = new GroupNode('annotations:byLabel', 'By label', async (): Promise<TreeNode[]> => {
    const all = await queries.listAnnotations();
    return [...ANNOTATION_LABELS, null]
      .map((label) => ({ label, list: all.filter((a) => a.label === label) }))
      .filter(({ list }) => list.length > 0)
      .map(({ label, list }) => new AnnotationSetNode(`annotations:label:${label ?? ''}`, byLabel, label ?? 'unlabelled', list, 'label'));
  });
  // No groups without annotations, so the view shows its welcome text (how to annotate) instead of two empty groups.
  const provider = new NodeTreeProvider(async () => ((await queries.listAnnotations()).length > 0 ? [byRun, byLabel] : []));
  return [provider, trees.take(Views.annotations, provider), service.onDidChange(() => provider.refresh())];
};
