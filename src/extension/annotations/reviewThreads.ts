/**
 * Shows a run folder's annotations as comment threads. The sidecar is the truth: after every
 * read or write the run's threads are brought in line with it (added, changed, removed, like the
 * PR extension's diffs), placed on the current text. A thread whose quoted text is gone is shown
 * as outdated at its recorded lines, with the quote, never moved to other text.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { resolveAnchor, splitLines } from '../../core/annotations/anchoring';
import type { Annotation, AnnotationComment, SidecarDocument } from '../../core/format/annotationModel';
import { decodeText } from '../../core/format/text';
import { annotationThreadContext, ContextValues } from '../constants';

/** A VS Code comment that knows which annotation and sidecar comment it shows. */
export class ReviewComment implements vscode.Comment {
  body: string | vscode.MarkdownString;
  mode = vscode.CommentMode.Preview;
  author: vscode.CommentAuthorInformation;
  contextValue: string = ContextValues.annotationComment;
  label: string | undefined;
  timestamp: Date | undefined;
  constructor(
    readonly thread: ReviewThread,
    readonly comment: AnnotationComment,
  ) {
    this.body = comment.body;
    this.author = { name: comment.author || 'reviewer' };
    this.label = comment.updated && comment.updated !== comment.created ? 'edited' : undefined;
    this.timestamp = comment.created ? new Date(comment.created) : undefined;
  }
}

export interface ReviewThread {
  runFolder: string;
  annotation: Annotation;
  thread: vscode.CommentThread;
}

export class ReviewThreads implements vscode.Disposable {
  /** Run folder → annotation id → thread. */
  private readonly byRun = new Map<string, Map<string, ReviewThread>>();
  private readonly byThread = new WeakMap<vscode.CommentThread, ReviewThread>();

  constructor(private readonly controller: vscode.CommentController) {}

  find(thread: vscode.CommentThread): ReviewThread | undefined {
    return this.byThread.get(thread);
  }

  loadedRuns(): string[] {
    return [...this.byRun.keys()];
  }

  /** Makes the run's threads match `doc`. */
  show(runFolder: string, doc: SidecarDocument): void {
    const shown = this.byRun.get(runFolder) ?? new Map<string, ReviewThread>();
    this.byRun.set(runFolder, shown);
    const wanted = new Set(doc.annotations.map((a) => a.id));
    for (const [id, review] of shown) {
      if (!wanted.has(id)) {
        review.thread.dispose();
        shown.delete(id);
      }
    }
    for (const annotation of doc.annotations) {
      const uri = vscode.Uri.file(path.join(runFolder, ...annotation.file.split('/')));
      let review = shown.get(annotation.id);
      if (!review) {
        const thread = this.controller.createCommentThread(uri, placeOf(annotation, uri).range, []);
        review = { runFolder, annotation, thread };
        shown.set(annotation.id, review);
        this.byThread.set(thread, review);
      }
      review.annotation = annotation;
      render(review, uri);
    }
  }

  /** Adopts a thread the user just created in the editor as the thread of a new annotation. */
  adopt(runFolder: string, annotation: Annotation, thread: vscode.CommentThread): void {
    const shown = this.byRun.get(runFolder) ?? new Map<string, ReviewThread>();
    this.byRun.set(runFolder, shown);
    const review = { runFolder, annotation, thread };
    shown.set(annotation.id, review);
    this.byThread.set(thread, review);
  }

  /** Re-places the threads of an edited document on its live text (they follow their quotes while typing). */
  replace(document: vscode.TextDocument): void {
    for (const shown of this.byRun.values()) {
      for (const review of shown.values()) if (review.thread.uri.toString() === document.uri.toString()) render(review, document.uri);
    }
  }

  dispose(): void {
    for (const shown of this.byRun.values()) for (const review of shown.values()) review.thread.dispose();
    this.byRun.clear();
  }
}

function render(review: ReviewThread, uri: vscode.Uri): void {
  const { annotation: a, thread } = review;
  const place = placeOf(a, uri);
  if (!thread.range || !thread.range.isEqual(place.range)) thread.range = place.range;
  thread.comments = a.comments.map((c) => new ReviewComment(review, c));
  const tags = [a.label, a.rating !== null ? `${a.rating}/5` : null, place.outdated ? 'Outdated: the quoted text is no longer here' : null];
  thread.label = tags.filter(Boolean).join(' · ') || 'Annotation';
  thread.state = a.resolved ? vscode.CommentThreadState.Resolved : vscode.CommentThreadState.Unresolved;
  thread.contextValue = annotationThreadContext(a.resolved, place.outdated);
  thread.canReply = true;
  if (place.outdated) {
    // The reader must still see what the annotation was about.
    const quote = new ReviewComment(review, { id: `${a.id}#quote`, author: 'Quoted text (no longer in the file)', body: '', created: '', updated: '' });
    quote.body = new vscode.MarkdownString().appendCodeblock(a.quote.join('\n'), 'markdown');
    quote.contextValue = ContextValues.annotationQuote;
    thread.comments = [quote, ...thread.comments];
  }
}

function placeOf(annotation: Annotation, uri: vscode.Uri): { range: vscode.Range; outdated: boolean } {
  const lines = currentLines(uri);
  const place = lines ? resolveAnchor(annotation, lines) : { state: 'outdated' as const, startLine: annotation.startLine, endLine: annotation.endLine };
  const endLength = lines?.[place.endLine - 1]?.length ?? 0;
  return { range: new vscode.Range(place.startLine - 1, 0, place.endLine - 1, endLength), outdated: place.state === 'outdated' };
}

/** The live text when the file is open (unsaved edits included), else what is on disk. */
function currentLines(uri: vscode.Uri): string[] | undefined {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return splitLines(open.getText());
  try {
    // Decoded as the indexer does (UTF-16, a BOM, cp1252), so the lines are those the anchors were placed on.
    return splitLines(decodeText(fs.readFileSync(uri.fsPath)).text);
  } catch {
    return undefined;
  }
}
