/**
 * Carries another writer's change into the current sidecar, entry by entry — a three-way merge
 * for the rare moment when a program that ignores our lock wrote into the file we were replacing
 * (sidecarStore). Pure: texts in, text out.
 *
 * Their change is what differs between the version they started from (`ancestor`) and what they
 * wrote (`theirs`): entries added, removed or changed. Each is applied to `current` where
 * `current` still holds the ancestor's version of that entry (or does not have an added one); an
 * entry both sides changed differently, a change outside the entries, or a text that is not a
 * sidecar is a conflict, and the caller keeps their whole version aside rather than lose it.
 */
import { getNodeValue, type Node } from 'jsonc-parser';
import { insertElement, layoutOf, RawText, removeNode, replaceNode } from './jsonTextEdits';
import { isSidecarFault, property, sidecarTree } from '../format/sidecar';

export interface MergeResult {
  text: string;
  /** False when some of their change could not be carried over: keep their version aside. */
  complete: boolean;
}

/** Applies to `current` what `theirs` changed relative to `ancestor`; idempotent, so it can be applied again after a retry. */
export function mergeTheirChange(ancestor: string, theirs: string, current: string): MergeResult {
  const a = entriesByKey(ancestor);
  const t = entriesByKey(theirs);
  if (!a || !t || !entriesByKey(current)) return { text: current, complete: false };
  let complete = a.outside === t.outside;
  let text = current;
  const now = () => entriesByKey(text)!;
  for (const [key, { text: theirsEntry }] of t.entries) {
    const before = a.entries.get(key)?.text;
    if (before === theirsEntry) continue;
    const mine = now().entries.get(key);
    if (mine?.text === theirsEntry) continue;
    if (mine === undefined) {
      // Added by them (or changed by them and deleted by us: their words are kept).
      const list = now().list;
      text = insertElement(text, list, list.children?.length ?? 0, new RawText(theirsEntry), layoutOf(text));
    } else if (mine.text === before) text = replaceNode(text, mine.node, theirsEntry);
    else complete = false;
  }
  for (const [key, { text: before }] of a.entries) {
    if (t.entries.has(key)) continue;
    const mine = now().entries.get(key);
    if (mine?.text === before) text = removeNode(text, mine.node); // removed by them, untouched by us
    else if (mine) complete = false;
  }
  return { text, complete };
}

interface Entries {
  /** The `annotations` array node. */
  list: Node;
  /** Entry key (its id, or its text when it has none) → its text and node, first occurrence. */
  entries: Map<string, { text: string; node: Node }>;
  /** Everything outside the entries (as JSON, keys sorted), to see whether they changed anything else. */
  outside: string;
}

function entriesByKey(text: string): Entries | undefined {
  const tree = sidecarTree(text);
  if (isSidecarFault(tree)) return undefined;
  const entries = new Map<string, { text: string; node: Node }>();
  for (const node of tree.entries.children ?? []) {
    const slice = text.slice(node.offset, node.offset + node.length);
    const id = property(node, 'id')?.value;
    const key = typeof id === 'string' ? `id:${id}` : `text:${slice}`;
    if (!entries.has(key)) entries.set(key, { text: slice, node });
  }
  const { annotations: _, ...rest } = getNodeValue(tree.root) as Record<string, unknown>;
  const outside = JSON.stringify(Object.entries(rest).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
  return { list: tree.entries, entries, outside };
}
