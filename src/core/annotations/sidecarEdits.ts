/**
 * The changes a reviewer makes to a sidecar, applied as minimal edits to the file's text as it is
 * now. Pure: text in, text out.
 *
 * An action touches only what it changes: the entry it adds or deletes, the comment it adds,
 * edits or deletes, the fields it sets and the entry's `updated`. Everything else — entries this
 * version cannot show, fields it does not know (on entries and comments), a newer `version`, the
 * order of entries and keys, the file's indentation and line endings — stays byte for byte.
 *
 * Entries with invalid fields: an action on such an entry still edits only its own fields, so an
 * invalid field it does not set (a `startLine` written as a string, say) is kept as written for a
 * person to fix; a field it sets is replaced. When the entry's shape makes the action impossible
 * (`comments` that is not a list), the action is refused with the file and line instead.
 */
import { getNodeValue, type Node } from 'jsonc-parser';
import { insertElement, layoutOf, removeNode, setProperty, type JsonLayout } from './jsonTextEdits';
import type { Annotation, AnnotationComment } from '../format/annotationModel';
import { entryWithId, isSidecarFault, property, SIDECAR_FORMAT, SIDECAR_VERSION, sidecarTree, type SidecarTree } from '../format/sidecar';

/**
 * One reviewer action, applied to whatever the file holds right now. Actions on an annotation
 * carry the caller's copy (`base`): if another window deleted it meanwhile, a reply or edit
 * brings it back instead of being lost.
 */
export type SidecarChange =
  | { kind: 'add'; annotation: Annotation }
  | { kind: 'delete'; id: string }
  | { kind: 'reply'; base: Annotation; comment: AnnotationComment }
  | { kind: 'editComment'; base: Annotation; commentId: string; body: string; at: string }
  | { kind: 'deleteComment'; base: Annotation; commentId: string; at: string }
  | { kind: 'set'; base: Annotation; fields: Partial<Pick<Annotation, 'label' | 'rating' | 'resolved'>>; at: string };

/** A sidecar's text refused for writing: not JSON, not a sidecar, or an entry an action cannot apply to. The message names the file and line. */
export class SidecarUnreadableError extends Error {}

/** The text of a sidecar with no annotations, in the layout this build writes. */
export function newSidecarText(): string {
  return `${JSON.stringify({ format: SIDECAR_FORMAT, version: SIDECAR_VERSION, annotations: [] }, null, 2)}\n`;
}

/**
 * Applies `change` to the sidecar `text` (undefined: there is no file yet) and returns the new
 * text. Throws SidecarUnreadableError, naming `file` and the line, when the text is not a sidecar
 * or the targeted entry cannot take the change; the text is then not to be written.
 */
export function applyChangeToText(text: string | undefined, change: SidecarChange, file: string): string {
  const source = text ?? newSidecarText();
  const doc = new Doc(source, file, layoutOf(source));
  if (change.kind === 'add') return doc.add(change.annotation);
  if (change.kind === 'delete') {
    const entry = doc.entry(change.id);
    return entry ? removeNode(source, entry) : source;
  }
  const id = change.base.id;
  if (!doc.entry(id)) {
    // Deleted elsewhere meanwhile: the action brings the caller's copy back rather than being lost.
    const revived = revive(change);
    return revived ? doc.add(revived) : source;
  }
  switch (change.kind) {
    case 'reply': {
      const comments = doc.comments(id);
      if (comments && findComment(comments, change.comment.id)) return source; // a retried reply
      const added = comments
        ? insertElement(source, comments, comments.children?.length ?? 0, commentJson(change.comment), doc.layout)
        : setProperty(source, doc.entry(id)!, 'comments', [commentJson(change.comment)], doc.layout);
      return doc.next(added).touch(id, change.comment.created);
    }
    case 'editComment': {
      const comments = doc.comments(id);
      const comment = comments && findComment(comments, change.commentId);
      if (!comment) {
        // Deleted elsewhere meanwhile: the edited comment comes back rather than the edit being lost.
        const mine = change.base.comments.find((c) => c.id === change.commentId);
        return mine ? applyChangeToText(source, { kind: 'reply', base: change.base, comment: { ...mine, body: change.body, updated: change.at } }, file) : source;
      }
      const edited = doc.next(setProperty(source, comment, 'body', change.body, doc.layout));
      const again = doc.next(setProperty(edited.text, findComment(edited.comments(id)!, change.commentId)!, 'updated', change.at, doc.layout));
      return again.touch(id, change.at);
    }
    case 'deleteComment': {
      const comments = doc.comments(id);
      const comment = comments && findComment(comments, change.commentId);
      if (!comment) return source;
      // The last comment gone, the annotation is gone: an empty thread means nothing.
      if ((comments.children?.length ?? 0) === 1) return removeNode(source, doc.entry(id)!);
      return doc.next(removeNode(source, comment)).touch(id, change.at);
    }
    case 'set': {
      let current = doc;
      for (const [key, value] of Object.entries(change.fields)) {
        if (value !== undefined) current = current.next(setProperty(current.text, current.entry(id)!, key, value, doc.layout));
      }
      return current.touch(id, change.at);
    }
  }
}

/** A sidecar text with its parse tree; every edit gives a new one, since offsets move. */
class Doc {
  private readonly tree: SidecarTree;
  constructor(
    readonly text: string,
    private readonly file: string,
    readonly layout: JsonLayout,
  ) {
    const tree = sidecarTree(text);
    if (isSidecarFault(tree)) throw new SidecarUnreadableError(`${file}:${tree.line}: the annotations file is ${tree.message}. It was not changed; fix it by hand (or restore it), then try again.`);
    this.tree = tree;
  }

  next(text: string): Doc {
    return new Doc(text, this.file, this.layout);
  }

  entry(id: string): Node | undefined {
    return entryWithId(this.tree, id)?.node;
  }

  /** Inserts a new entry before the first entry that sorts after it (by file, line, time), so files this tool writes stay in reading order. */
  add(annotation: Annotation): string {
    if (this.entry(annotation.id)) return this.text; // already there: a retried add
    const entries = this.tree.entries.children ?? [];
    const at = entries.findIndex((e) => sortsAfter(e, annotation));
    return insertElement(this.text, this.tree.entries, at < 0 ? entries.length : at, annotationJson(annotation), this.layout);
  }

  /** The entry's `comments` list node; undefined when it has none; refuses when it is something else. */
  comments(id: string): Node | undefined {
    const comments = property(this.entry(id), 'comments');
    if (comments && comments.type !== 'array') {
      throw new SidecarUnreadableError(
        `${this.file}:${this.tree.lineAt(comments.offset)}: annotation "${id}" has "comments" that is not a list, so its comments cannot be changed. It was not changed; fix it by hand, then try again.`,
      );
    }
    return comments;
  }

  /** Sets the entry's `updated`. */
  touch(id: string, at: string): string {
    return setProperty(this.text, this.entry(id)!, 'updated', at, this.layout);
  }
}

function findComment(comments: Node, id: string): Node | undefined {
  return comments.children?.find((c) => property(c, 'id')?.value === id);
}

/** Whether an existing entry sorts after `a` (file, start line, created, id); entries whose fields cannot be compared never do. */
function sortsAfter(entry: Node, a: Annotation): boolean {
  const v = (key: string) => {
    const node = property(entry, key);
    return node ? getNodeValue(node) : undefined;
  };
  const [file, line, created, id] = [v('file'), v('startLine'), v('created'), v('id')];
  if (typeof file !== 'string' || typeof line !== 'number') return false;
  const order = cmp(file, a.file) || line - a.startLine || cmp(String(created ?? ''), a.created) || cmp(String(id ?? ''), a.id);
  return order > 0;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The caller's copy of an annotation deleted elsewhere, with the change applied; undefined when nothing is left to keep. */
function revive(change: Exclude<SidecarChange, { kind: 'add' } | { kind: 'delete' }>): Annotation | undefined {
  const a = change.base;
  switch (change.kind) {
    case 'reply':
      return { ...a, updated: change.comment.created, comments: [...a.comments.filter((c) => c.id !== change.comment.id), change.comment] };
    case 'editComment':
      return { ...a, updated: change.at, comments: a.comments.map((c) => (c.id === change.commentId ? { ...c, body: change.body, updated: change.at } : c)) };
    case 'deleteComment': {
      const comments = a.comments.filter((c) => c.id !== change.commentId);
      return comments.length === 0 ? undefined : { ...a, updated: change.at, comments };
    }
    case 'set':
      return { ...a, ...change.fields, updated: change.at };
  }
}

/** An annotation as a sidecar entry, keys in the documented order. */
export function annotationJson(a: Annotation): Record<string, unknown> {
  return {
    id: a.id,
    file: a.file,
    startLine: a.startLine,
    endLine: a.endLine,
    quote: a.quote,
    section: a.section,
    label: a.label,
    rating: a.rating,
    resolved: a.resolved,
    created: a.created,
    updated: a.updated,
    comments: a.comments.map(commentJson),
  };
}

function commentJson(c: AnnotationComment): Record<string, unknown> {
  return { id: c.id, author: c.author, body: c.body, created: c.created, updated: c.updated };
}
