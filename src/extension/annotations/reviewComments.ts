/**
 * Reviewer annotations through VS Code's Comments API: add, reply, edit, delete, resolve, label
 * and rate. Every action is one change applied to the run's sidecar as it is on disk now
 * (sidecarStore), and the run's threads are then redrawn from what was written, so changes
 * made by another window or on disk show up instead of being overwritten.
 */
import { randomBytes } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { anchorFor, splitLines } from '../../core/annotations/anchoring';
import { ANNOTATION_LABELS, type Annotation, type AnnotationComment } from '../../core/format/annotationModel';
import type { SidecarChange } from '../../core/annotations/sidecarEdits';
import { readSidecar, runFolderOfSidecar, updateSidecar } from '../../core/annotations/sidecarStore';
import type { Feature } from '../feature';
import type { IndexService } from '../indexService';
import { ReviewComment, ReviewThreads, type ReviewThread } from './reviewThreads';
import { Commands, CommentControllers } from '../constants';

export const reviewComments: Feature = (_context, service) => {
  const controller = vscode.comments.createCommentController(CommentControllers.review, 'Scenario Lab review');
  const threads = new ReviewThreads(controller);
  const runFolders = new RunFolders(service);
  controller.options = { prompt: 'Annotate this passage…', placeHolder: 'Your judgement of this passage (label and rating: thread menu)' };
  controller.commentingRangeProvider = {
    provideCommentingRanges: async (document) => {
      if (document.languageId !== 'markdown' || !(await runFolders.of(document.uri))) return [];
      return [new vscode.Range(0, 0, Math.max(0, document.lineCount - 1), 0)];
    },
  };

  const load = async (runFolder: string) => {
    try {
      threads.show(runFolder, await readSidecar(runFolder));
    } catch (error) {
      void vscode.window.showWarningMessage(`Scenario Lab: ${(error as Error).message}`);
    }
  };
  const change = async (runFolder: string, ...changes: SidecarChange[]) => {
    try {
      const update = await updateSidecar(runFolder, ...changes);
      threads.show(runFolder, update.document);
      if (update.keptAside.length > 0) {
        void vscode.window.showWarningMessage(`Scenario Lab: another program rewrote the annotations file while saving; its version is kept in ${update.keptAside.join(', ')} — compare and merge it by hand.`);
      }
    } catch (error) {
      void vscode.window.showErrorMessage(`Scenario Lab could not save the annotation: ${(error as Error).message}`);
    }
  };
  const loadFor = async (document: vscode.TextDocument) => {
    const runFolder = document.languageId === 'markdown' ? await runFolders.of(document.uri) : undefined;
    if (runFolder && !threads.loadedRuns().includes(runFolder)) await load(runFolder);
  };

  const sidecarWatcher = vscode.workspace.createFileSystemWatcher('**/.scenario-lab/annotations.json');
  const onSidecar = (uri: vscode.Uri) => {
    const runFolder = runFolderOfSidecar(uri.fsPath);
    if (runFolder && threads.loadedRuns().includes(runFolder)) void load(runFolder);
  };
  let replaceTimer: NodeJS.Timeout | undefined;
  vscode.workspace.textDocuments.forEach((d) => void loadFor(d));

  return [
    controller,
    threads,
    sidecarWatcher,
    sidecarWatcher.onDidChange(onSidecar),
    sidecarWatcher.onDidCreate(onSidecar),
    sidecarWatcher.onDidDelete(onSidecar),
    vscode.workspace.onDidOpenTextDocument((d) => void loadFor(d)),
    vscode.workspace.onDidChangeTextDocument((e) => {
      clearTimeout(replaceTimer);
      replaceTimer = setTimeout(() => threads.replace(e.document), 200);
    }),
    service.onDidChange(() => {
      runFolders.forget();
      // Documents opened before their run folder was indexed (e.g. restored after a reload) get their threads now.
      vscode.workspace.textDocuments.forEach((d) => void loadFor(d));
    }),
    { dispose: () => clearTimeout(replaceTimer) },

    vscode.commands.registerCommand(Commands.annotationsCreate, async (reply: vscode.CommentReply) => {
      const document = await vscode.workspace.openTextDocument(reply.thread.uri);
      const runFolder = await runFolders.of(document.uri);
      const range = reply.thread.range;
      if (!runFolder || !range) return;
      const relative = path.relative(runFolder, document.uri.fsPath).split(path.sep).join('/');
      const now = new Date().toISOString();
      const annotation: Annotation = {
        id: newId('a'),
        ...anchorFor(relative, splitLines(document.getText()), range.start.line + 1, range.end.line + 1),
        label: null,
        rating: null,
        resolved: false,
        created: now,
        updated: now,
        comments: [newComment(reply.text, now)],
      };
      threads.adopt(runFolder, annotation, reply.thread);
      await change(runFolder, { kind: 'add', annotation });
    }),
    vscode.commands.registerCommand(Commands.annotationsReply, async (reply: vscode.CommentReply) => {
      const review = threads.find(reply.thread);
      if (review) await change(review.runFolder, { kind: 'reply', base: review.annotation, comment: newComment(reply.text, new Date().toISOString()) });
    }),
    vscode.commands.registerCommand(Commands.annotationsEditComment, (comment: ReviewComment) => {
      comment.mode = vscode.CommentMode.Editing;
      refreshComments(comment.thread);
    }),
    vscode.commands.registerCommand(Commands.annotationsSaveComment, async (comment: ReviewComment) => {
      const body = typeof comment.body === 'string' ? comment.body : comment.body.value;
      const { runFolder, annotation } = comment.thread;
      await change(runFolder, { kind: 'editComment', base: annotation, commentId: comment.comment.id, body, at: new Date().toISOString() });
    }),
    vscode.commands.registerCommand(Commands.annotationsCancelEdit, (comment: ReviewComment) => load(comment.thread.runFolder)),
    vscode.commands.registerCommand(Commands.annotationsDeleteComment, async (comment: ReviewComment) => {
      const { runFolder, annotation } = comment.thread;
      await change(runFolder, { kind: 'deleteComment', base: annotation, commentId: comment.comment.id, at: new Date().toISOString() });
    }),
    vscode.commands.registerCommand(Commands.annotationsDeleteThread, async (thread: vscode.CommentThread) => {
      const review = threads.find(thread);
      if (review) await change(review.runFolder, { kind: 'delete', id: review.annotation.id });
      else thread.dispose(); // a new thread nobody wrote in yet
    }),
    ...([
      [Commands.annotationsResolve, true],
      [Commands.annotationsUnresolve, false],
    ] as const).map(([command, resolved]) =>
      vscode.commands.registerCommand(command, (thread: vscode.CommentThread) => withReview(thread, (r) => change(r.runFolder, setFields(r, { resolved })))),
    ),
    vscode.commands.registerCommand(Commands.annotationsSetLabel, (thread: vscode.CommentThread, label?: string) =>
      withReview(thread, async (r) => {
        const picked = label ?? (await vscode.window.showQuickPick(['(none)', ...ANNOTATION_LABELS], { title: 'Label this annotation' }));
        if (picked === undefined) return;
        const chosen = ANNOTATION_LABELS.find((l) => l === picked) ?? null;
        await change(r.runFolder, setFields(r, { label: chosen }));
      }),
    ),
    vscode.commands.registerCommand(Commands.annotationsSetRating, (thread: vscode.CommentThread, rating?: number) =>
      withReview(thread, async (r) => {
        const picked = rating ?? (await pickRating());
        if (picked === undefined) return;
        await change(r.runFolder, setFields(r, { rating: picked }));
      }),
    ),
  ];

  function withReview(thread: vscode.CommentThread, act: (review: ReviewThread) => Promise<void>): Promise<void> | undefined {
    const review = threads.find(thread);
    return review && act(review);
  }
};

/** Run folders of files, answered by the index and cached until it changes. */
class RunFolders {
  private readonly cache = new Map<string, Promise<string | undefined>>();
  constructor(private readonly service: IndexService) {}
  of(uri: vscode.Uri): Promise<string | undefined> {
    const key = this.service.keyOf(uri);
    if (!key) return Promise.resolve(undefined);
    let folder = this.cache.get(key);
    if (!folder) {
      folder = this.service.analytics.runFileContext(key).then((context) => (context ? path.dirname(uri.fsPath) : undefined));
      this.cache.set(key, folder);
    }
    return folder;
  }
  forget(): void {
    this.cache.clear();
  }
}

function setFields(review: ReviewThread, fields: Extract<SidecarChange, { kind: 'set' }>['fields']): SidecarChange {
  return { kind: 'set', base: review.annotation, fields, at: new Date().toISOString() };
}

function refreshComments(review: ReviewThread): void {
  review.thread.comments = [...review.thread.comments];
}

async function pickRating(): Promise<number | null | undefined> {
  const items = ['(none)', '1', '2', '3', '4', '5'];
  const picked = await vscode.window.showQuickPick(items, { title: 'Rate this passage (1 = poor, 5 = excellent)' });
  return picked === undefined ? undefined : picked === '(none)' ? null : Number(picked);
}

function newComment(body: string, at: string): AnnotationComment {
  return { id: newId('c'), author: reviewerName(), body, created: at, updated: at };
}

function newId(prefix: string): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}

function reviewerName(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'reviewer';
  }
}
