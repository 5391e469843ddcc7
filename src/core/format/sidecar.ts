/**
 * Reading the sidecar file format (`<run>/.scenario-lab/annotations.json`). Pure: text in, data
 * and problems out.
 *
 * The file belongs to people as much as to us: they edit it by hand, other tools and newer
 * versions of this one write it. So reading never decides what the file holds — an entry that
 * cannot be shown is reported at its line with the reason and stays in the file untouched
 * (changes are text edits, src/core/annotations/sidecarEdits.ts); only a file that is not JSON at all is refused.
 */
import { getNodeValue, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import type { Parsed, Problem } from './records';
import { lineOfOffset, lineStarts } from './text';
import { isAnnotationLabel, isRating, type Annotation, type AnnotationComment, type SidecarDocument } from './annotationModel';

export const SIDECAR_FORMAT = 'scenario-lab-annotations';
/** The version this build writes into a new file. A file declaring another version is read as far as we understand it and its version is never changed. */
export const SIDECAR_VERSION = 1;

export function emptySidecar(): SidecarDocument {
  return { annotations: [] };
}

/** The parse tree of a sidecar's text and a way to turn offsets into 1-based lines. */
export interface SidecarTree {
  root: Node;
  /** The `annotations` array node. */
  entries: Node;
  lineAt(offset: number): number;
}

/** Why a text cannot be treated as a sidecar at all, with the 1-based line of the fault. */
export interface SidecarFault {
  line: number;
  message: string;
}

/**
 * Parses the text strictly as JSON (no comments, no trailing commas) into a tree with offsets.
 * Returns a fault when it is not JSON or not a sidecar; callers must then never write the file.
 */
export function sidecarTree(text: string): SidecarTree | SidecarFault {
  // A byte-order mark written by some Windows tools is not JSON; a space keeps every offset in place.
  const json = text.startsWith('\uFEFF') ? ` ${text.slice(1)}` : text;
  const starts = lineStarts(json);
  const lineAt = (offset: number) => lineOfOffset(starts, offset);
  const errors: ParseError[] = [];
  const root = parseTree(json, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  if (errors.length > 0 || !root) {
    const first = errors[0];
    const where = first ? lineAt(first.offset) : 1;
    return { line: where, message: `not valid JSON (${first ? printParseErrorCode(first.error) : 'empty file'} at line ${where})` };
  }
  try {
    JSON.parse(json); // the parser above may be lenient in corners strict JSON is not
  } catch {
    // V8's message quotes the file's text; a problem only says where.
    return { line: 1, message: 'not valid JSON' };
  }
  const format = property(root, 'format');
  const entries = property(root, 'annotations');
  if (root.type !== 'object' || format?.value !== SIDECAR_FORMAT || entries?.type !== 'array') {
    // Point at the field that is wrong when there is one.
    const at = format && format.value !== SIDECAR_FORMAT ? format : entries && entries.type !== 'array' ? entries : undefined;
    return { line: at ? lineAt(at.offset) : 1, message: `not a Scenario Lab annotations file (expected an object with "format": "${SIDECAR_FORMAT}" and an "annotations" list)` };
  }
  return { root, entries, lineAt };
}

export function isSidecarFault(tree: SidecarTree | SidecarFault): tree is SidecarFault {
  return !('root' in tree);
}

/** The value node of an object's property, or undefined (also for a non-object). The first one counts when a key repeats, as for editing. */
export function property(node: Node | undefined, key: string): Node | undefined {
  if (node?.type !== 'object') return undefined;
  const prop = node.children?.find((p) => p.children?.[0]?.value === key);
  return prop?.children?.[1];
}

/** The entry (an object node) whose `id` is `id`: the first one, which is the one shown and changed. */
export function entryWithId(tree: SidecarTree, id: string): { node: Node; index: number } | undefined {
  const index = (tree.entries.children ?? []).findIndex((e) => property(e, 'id')?.value === id);
  return index < 0 ? undefined : { node: tree.entries.children![index], index };
}

/**
 * Reads a sidecar. Entries that cannot be shown are reported (warning, at their line, with the
 * reason) and left out of the value — never out of the file. A file that is not a sidecar gives
 * no value, and callers must then refuse to overwrite it.
 */
export function parseSidecar(text: string, file: string): Parsed<SidecarDocument> {
  const tree = sidecarTree(text);
  if (isSidecarFault(tree)) {
    return { value: undefined, problems: [{ file, line: tree.line, severity: 'error', message: `The annotations file is ${tree.message}. It is kept as it is; annotation changes are refused until it is fixed.` }] };
  }
  const problems: Problem[] = [];
  const warn = (node: Node, message: string) => problems.push({ file, line: tree.lineAt(node.offset), severity: 'warning', message });
  const doc = emptySidecar();
  const seen = new Set<string>();
  (tree.entries.children ?? []).forEach((entry, i) => {
    const id = property(entry, 'id')?.value;
    const name = typeof id === 'string' ? `Annotation "${id}"` : `Annotation #${i + 1}`;
    if (typeof id === 'string' && seen.has(id)) {
      warn(entry, `${name} repeats the id of an earlier annotation; it is not shown and is kept in the file as written.`);
      return;
    }
    if (typeof id === 'string') seen.add(id);
    const read = toAnnotation(entry, (node, message) => warn(node, `${name}: ${message}`));
    if ('fault' in read) warn(read.at, `${name} is not shown: ${read.fault}. It is kept in the file as written.`);
    else doc.annotations.push(read);
  });
  return { value: doc, problems };
}

type Warn = (node: Node, message: string) => void;

/** An annotation, or the first reason it cannot be shown and the node to point at. Fields it can do without are reported through `warn`. */
function toAnnotation(entry: Node, warn: Warn): Annotation | { fault: string; at: Node } {
  if (entry.type !== 'object') return { fault: `it is ${describe(entry)}, not an object`, at: entry };
  const field = (key: string) => property(entry, key);
  const need = (key: string, ok: (v: unknown) => boolean, what: string): { fault: string; at: Node } | undefined => {
    const node = field(key);
    if (!node) return { fault: `"${key}" is missing`, at: entry };
    return ok(getNodeValue(node)) ? undefined : { fault: `"${key}" must be ${what} (it is ${describe(node)})`, at: node };
  };
  const fault =
    need('id', (v) => typeof v === 'string', 'a string') ??
    need('file', (v) => typeof v === 'string' && v !== '', 'a path relative to the run folder') ??
    need('startLine', isLine, 'a whole number of 1 or more') ??
    need('endLine', isLine, 'a whole number of 1 or more') ??
    need('quote', (v) => Array.isArray(v) && v.every((q) => typeof q === 'string'), 'a list of lines (strings)');
  if (fault) return fault;
  const comments = field('comments');
  if (comments && comments.type !== 'array') return { fault: `"comments" must be a list (it is ${describe(comments)})`, at: comments };
  const v = (key: string): unknown => {
    const node = field(key);
    return node ? getNodeValue(node) : undefined;
  };
  const label = v('label');
  if (label !== undefined && label !== null && !isAnnotationLabel(label)) warn(field('label')!, `"label" ${describe(field('label')!)} is not a known label; shown without one.`);
  const rating = v('rating');
  if (rating !== undefined && rating !== null && !isRating(rating)) warn(field('rating')!, `"rating" ${describe(field('rating')!)} is not a whole number from 1 to 5; shown without one.`);
  const startLine = v('startLine') as number;
  return {
    id: v('id') as string,
    file: v('file') as string,
    startLine,
    endLine: Math.max(startLine, v('endLine') as number),
    quote: v('quote') as string[],
    section: typeof v('section') === 'string' ? (v('section') as string) : null,
    label: isAnnotationLabel(label) ? label : null,
    rating: isRating(rating) ? rating : null,
    resolved: v('resolved') === true,
    created: typeof v('created') === 'string' ? (v('created') as string) : '',
    updated: typeof v('updated') === 'string' ? (v('updated') as string) : '',
    comments: (comments?.children ?? []).map((c, i) => toComment(c, i, warn)).filter((c): c is AnnotationComment => !!c),
  };
}

function toComment(node: Node, index: number, warn: Warn): AnnotationComment | undefined {
  const value = getNodeValue(node) as Record<string, unknown> | null;
  const problem =
    node.type !== 'object' ? `it is ${describe(node)}, not an object` : typeof value!.id !== 'string' ? '"id" must be a string' : typeof value!.body !== 'string' ? '"body" must be a string' : undefined;
  if (problem) {
    warn(node, `comment #${index + 1} is not shown: ${problem}. It is kept in the file as written.`);
    return undefined;
  }
  const c = value!;
  const created = typeof c.created === 'string' ? c.created : '';
  return { id: c.id as string, author: typeof c.author === 'string' ? c.author : '', body: c.body as string, created, updated: typeof c.updated === 'string' ? c.updated : created };
}

function isLine(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1;
}

/** A short, bounded description of a value for a message: its JSON when small, else its kind. */
function describe(node: Node): string {
  if (node.type === 'object') return 'an object';
  if (node.type === 'array') return 'a list';
  const json = JSON.stringify(node.value);
  const shown = json.length > 40 ? `${json.slice(0, 37)}…` : json;
  return node.type === 'string' ? `the text ${shown}` : shown;
}
