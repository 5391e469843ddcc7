/**
 * Property: whatever people and other tools do to a sidecar (unknown keys, bad values, entries
 * that are not objects, reordering, other layouts, rewrites in between), no action of ours ever
 * loses an entry or a field it did not touch. fast-check generates the files, the hand edits and
 * the actions, and shrinks a failure to its smallest case.
 */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { getNodeValue, parseTree, type Node } from 'jsonc-parser';
import type { Annotation } from '../../../src/core/format/annotationModel';
import { parseSidecar } from '../../../src/core/format/sidecar';
import { applyChangeToText, type SidecarChange } from '../../../src/core/annotations/sidecarEdits';

const FILE = 'annotations.json';
type Json = unknown;
type Entry = Record<string, Json>;

// ------------------------------------------------------------------ files people and tools write

const ids = fc.constantFrom('a', 'b', 'c', 'd', 'hand-1', 'ü-2');
const unknownKeys = fc.dictionary(fc.constantFrom('priority', 'attachments', 'x-tool', 'reviewers', 'ünï', 'meta'), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 });
const text = fc.string({ maxLength: 12 });

const comment = fc.record({ id: fc.constantFrom('c1', 'c2', 'c3', 'c4'), author: text, body: text, created: text, updated: text }).chain((c) => unknownKeys.map((u) => ({ ...u, ...c })));
const badComment = fc.oneof(fc.integer(), fc.constant(null), fc.record({ id: fc.integer(), body: text }), fc.record({ id: fc.constant('c9'), body: fc.integer() }));

const annotation = fc
  .record({
    id: ids,
    file: fc.constantFrom('a.md', 'b.md'),
    startLine: fc.integer({ min: 1, max: 30 }),
    endLine: fc.integer({ min: 1, max: 30 }),
    quote: fc.array(text, { maxLength: 3 }),
    section: fc.option(text),
    label: fc.constantFrom(null, 'plausible', 'implausible', 'needs-discussion'),
    rating: fc.constantFrom(null, 1, 3, 5),
    resolved: fc.boolean(),
    created: text,
    updated: text,
    comments: fc.array(fc.oneof({ weight: 4, arbitrary: comment }, { weight: 1, arbitrary: badComment }), { maxLength: 3 }),
  })
  .chain((a) => unknownKeys.map((u) => ({ ...u, ...a }) as Entry));

/** A bad value for one field, as hand edits and other tools write them. */
const badField = fc.oneof(
  fc.record({ key: fc.constant('startLine'), value: fc.constantFrom<Json>('12', 0, -1, 1.5, null) }),
  fc.record({ key: fc.constant('endLine'), value: fc.constantFrom<Json>('x', 0) }),
  fc.record({ key: fc.constant('quote'), value: fc.constantFrom<Json>('a single string', [1, 2], null) }),
  fc.record({ key: fc.constant('comments'), value: fc.constantFrom<Json>('none', { c: 1 }, 3) }),
  fc.record({ key: fc.constant('file'), value: fc.constantFrom<Json>(3, '', null) }),
  fc.record({ key: fc.constant('id'), value: fc.constantFrom<Json>(7, null) }),
  fc.record({ key: fc.constant('label'), value: fc.constantFrom<Json>('nonsense', 4) }),
  fc.record({ key: fc.constant('rating'), value: fc.constantFrom<Json>(9, '5', 0) }),
);

/** An entry: an annotation, one with a bad field, or something that is not an object at all. */
const entry = fc.oneof(
  { weight: 5, arbitrary: annotation },
  { weight: 3, arbitrary: fc.tuple(annotation, badField).map(([a, bad]) => ({ ...a, [bad.key]: bad.value })) },
  { weight: 1, arbitrary: fc.oneof(fc.integer(), text, fc.constant(null), fc.array(fc.integer(), { maxLength: 2 })) },
);

/** How a tool lays the file out. */
const layout = fc.record({ unit: fc.constantFrom('  ', '    ', '\t'), eol: fc.constantFrom('\n', '\r\n'), entriesOnOneLine: fc.boolean(), keyOrder: fc.array(fc.nat(), { minLength: 20, maxLength: 20 }) });
type Layout = typeof layout extends fc.Arbitrary<infer L> ? L : never;

function render(doc: Entry, how: Layout): string {
  const shuffle = (value: Json): Json => {
    if (Array.isArray(value)) return value.map(shuffle);
    if (value === null || typeof value !== 'object') return value;
    const keys = Object.keys(value).sort((x, y) => (how.keyOrder[x.length % 20] ^ x.charCodeAt(0)) - (how.keyOrder[y.length % 20] ^ y.charCodeAt(0)));
    return Object.fromEntries(keys.map((k) => [k, shuffle((value as Entry)[k])]));
  };
  const entries = (doc.annotations as Json[]).map(shuffle);
  if (!how.entriesOnOneLine) return JSON.stringify({ ...doc, annotations: entries }, null, how.unit).split('\n').join(how.eol) + how.eol;
  const { annotations: _, ...top } = doc;
  const head = Object.entries(top).map(([k, v]) => `${how.unit}${JSON.stringify(k)}: ${JSON.stringify(v)},`);
  const body = entries.map((e, i) => `${how.unit}${how.unit}${JSON.stringify(e)}${i < entries.length - 1 ? ',' : ''}`);
  return ['{', ...head, `${how.unit}"annotations": [`, ...body, `${how.unit}]`, '}', ''].join(how.eol);
}

const sidecarFile = fc
  .record({ version: fc.integer({ min: 1, max: 4 }), top: unknownKeys, entries: fc.array(entry, { maxLength: 6 }), how: layout })
  .map(({ version, top, entries, how }) => render({ ...top, format: 'scenario-lab-annotations', version, annotations: entries }, how));

// ------------------------------------------------------------------ hand edits between actions

type HandEdit = (doc: Entry, pick: number) => void;
const handEdits: Record<string, HandEdit> = {
  unknownKeyOnEntry: (doc, pick) => objectEntry(doc, pick) && (objectEntry(doc, pick)!['x-added'] = { by: 'hand', n: pick }),
  unknownKeyOnComment: (doc, pick) => {
    const comments = objectEntry(doc, pick)?.comments;
    if (Array.isArray(comments) && comments.length > 0 && typeof comments[0] === 'object' && comments[0]) (comments[0] as Entry)['x-note'] = pick;
  },
  badValue: (doc, pick) => objectEntry(doc, pick) && (objectEntry(doc, pick)!.startLine = String(pick)),
  reorder: (doc) => (doc.annotations as Json[]).reverse(),
  notAnObject: (doc, pick) => (doc.annotations as Json[]).splice(pick % ((doc.annotations as Json[]).length + 1), 0, pick),
};

function objectEntry(doc: Entry, pick: number): Entry | undefined {
  const objects = (doc.annotations as Json[]).filter((e): e is Entry => !!e && typeof e === 'object' && !Array.isArray(e));
  return objects.length > 0 ? objects[pick % objects.length] : undefined;
}

// ------------------------------------------------------------------ our actions

const newAnnotation: fc.Arbitrary<Annotation> = fc.record({
  id: fc.oneof(ids, fc.uuid()),
  file: fc.constantFrom('a.md', 'b.md'),
  startLine: fc.integer({ min: 1, max: 30 }),
  endLine: fc.integer({ min: 1, max: 30 }),
  quote: fc.array(text, { maxLength: 2 }),
  section: fc.option(text),
  label: fc.constantFrom(null, 'plausible' as const),
  rating: fc.constantFrom(null, 2),
  resolved: fc.boolean(),
  created: text,
  updated: text,
  comments: fc.array(fc.record({ id: fc.constantFrom('c1', 'c2', 'k1'), author: text, body: text, created: text, updated: text }), { minLength: 1, maxLength: 2 }),
});

const step = fc.record({
  kind: fc.constantFrom('add', 'delete', 'reply', 'editComment', 'deleteComment', 'set', 'hand'),
  pick: fc.nat(1000),
  fresh: newAnnotation,
  body: text,
  fields: fc.record({ label: fc.constantFrom(null, 'implausible' as const), rating: fc.constantFrom(null, 4), resolved: fc.boolean() }, { requiredKeys: [] }),
  hand: fc.constantFrom(...Object.keys(handEdits)),
  rewrite: layout,
});
type Step = typeof step extends fc.Arbitrary<infer S> ? S : never;

/** The change a step makes, on an annotation shown now (or, sometimes, on one that is not there). */
function changeFor(text: string, s: Step): SidecarChange {
  const shown = parseSidecar(text, FILE).value!.annotations;
  const base = shown.length > 0 && s.pick % 5 !== 0 ? shown[s.pick % shown.length] : { ...s.fresh, id: `gone-${s.pick}` };
  const commentId = base.comments.length > 0 ? base.comments[s.pick % base.comments.length].id : 'none';
  switch (s.kind) {
    case 'add':
      return { kind: 'add', annotation: s.fresh };
    case 'delete':
      return { kind: 'delete', id: base.id };
    case 'reply':
      return { kind: 'reply', base, comment: { id: `r${s.pick}`, author: 'me', body: s.body, created: 'T', updated: 'T' } };
    case 'editComment':
      return { kind: 'editComment', base, commentId, body: s.body, at: 'T' };
    case 'deleteComment':
      return { kind: 'deleteComment', base, commentId, at: 'T' };
    default:
      return { kind: 'set', base, fields: s.fields, at: 'T' };
  }
}

// ------------------------------------------------------------------ what "nothing lost" means

const slice = (text: string, node: Node) => text.slice(node.offset, node.offset + node.length);
const entriesOf = (root: Node) => root.children!.find((p) => p.children![0].value === 'annotations')!.children![1].children ?? [];
const idOf = (node: Node) => (node.type === 'object' ? node.children!.find((p) => p.children![0].value === 'id')?.children![1].value : undefined);
const propsOf = (node: Node) => new Map((node.children ?? []).map((p) => [p.children![0].value as string, p.children![1]]));

/** Asserts `after` keeps, byte for byte and in order, everything of `before` the change did not touch. */
function assertNothingLost(before: string, after: string, change: SidecarChange): void {
  const b = parseTree(before)!;
  const a = parseTree(after)!;
  assert.ok(a, 'the result is JSON');
  JSON.parse(after);
  for (const prop of b.children!) {
    if (prop.children![0].value !== 'annotations') assert.ok(after.includes(slice(before, prop)), `top-level ${slice(before, prop.children![0])} kept`);
  }
  const targetId = change.kind === 'add' ? undefined : change.kind === 'delete' ? change.id : change.base.id;
  const bEntries = entriesOf(b);
  const target = bEntries.find((e) => targetId !== undefined && idOf(e) === targetId);
  const untouched = bEntries.filter((e) => e !== target).map((e) => slice(before, e));
  const aEntries = entriesOf(a).map((e) => slice(after, e));
  let at = 0;
  for (const kept of untouched) {
    at = aEntries.indexOf(kept, at);
    assert.ok(at >= 0, `entry kept byte for byte and in order: ${kept}`);
    at++;
  }
  if (!target || change.kind === 'delete') return;
  const afterTarget = aEntries.length < bEntries.length ? undefined : entriesOf(a).find((e) => idOf(e) === targetId);
  if (!afterTarget) {
    assert.equal(change.kind, 'deleteComment', 'only deleting its last comment removes an annotation');
    return;
  }
  const changes = new Set(['updated', 'comments', ...(change.kind === 'set' ? Object.keys(change.fields) : [])]);
  const bProps = propsOf(target);
  const aProps = propsOf(afterTarget);
  for (const [key, node] of bProps) if (!changes.has(key)) assert.equal(slice(after, aProps.get(key)!), slice(before, node), `field ${key} of ${targetId} kept`);
  const bComments = bProps.get('comments');
  if (bComments?.type !== 'array') return;
  const touched = change.kind === 'editComment' || change.kind === 'deleteComment' ? bComments.children!.find((c) => idOf(c) === change.commentId) : undefined;
  const aComments = (aProps.get('comments')!.children ?? []).map((c) => slice(after, c));
  let c = 0;
  for (const kept of bComments.children!.filter((x) => x !== touched).map((x) => slice(before, x))) {
    c = aComments.indexOf(kept, c);
    assert.ok(c >= 0, `comment kept byte for byte: ${kept}`);
    c++;
  }
  if (touched && change.kind === 'editComment') {
    const edited = entriesOf(a).find((e) => idOf(e) === targetId)!;
    const editedComment = propsOf(edited).get('comments')!.children!.find((x) => idOf(x) === change.commentId)!;
    for (const [key, node] of propsOf(touched)) if (key !== 'body' && key !== 'updated') assert.equal(slice(after, propsOf(editedComment).get(key)!), slice(before, node));
    assert.equal(getNodeValue(propsOf(editedComment).get('body')!), change.body);
  }
}

describe('annotation sidecar: random hand edits and actions never lose an entry or a field', () => {
  it('holds for random files, hand edits, rewrites by other tools and reviewer actions', () => {
    fc.assert(
      fc.property(sidecarFile, fc.array(step, { minLength: 1, maxLength: 10 }), (start, steps) => {
        let current = start;
        for (const s of steps) {
          if (s.kind === 'hand') {
            const doc = JSON.parse(current) as Entry;
            handEdits[s.hand](doc, s.pick);
            current = render(doc, s.rewrite);
            continue;
          }
          const change = changeFor(current, s);
          const next = applyChangeToText(current, change, FILE);
          assertNothingLost(current, next, change);
          if (change.kind === 'add') assert.ok(parseTree(next) && next.includes(JSON.stringify(change.annotation.id)));
          current = next;
        }
      }),
      { numRuns: 400 },
    );
  });
});
