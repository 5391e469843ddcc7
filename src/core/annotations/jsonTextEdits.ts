/**
 * Minimal edits to a JSON text that leave every byte outside the edited value as it was.
 *
 * jsonc-parser gives the nodes and their offsets, but its `modify` either inserts compact JSON
 * glued to the previous element or, with formatting options, re-formats the whole line around
 * the edit — which rewrites a neighbouring entry written on one line — and (3.3.1) leaves a stray
 * brace when it removes the last element of a one-line list. So edits are laid out here, after
 * the style of their neighbours: on the neighbour's line when the list
 * is written inline, on a new line at the neighbour's indentation otherwise, and on one line when
 * the neighbours are one-liners.
 */
import { applyEdits, type Node } from 'jsonc-parser';

/** How the file is laid out: its line ending and one level of indentation. */
export interface JsonLayout {
  eol: string;
  unit: string;
}

/** The layout of an existing text: CRLF if it has any, and the indentation of its first indented line (two spaces by default). */
export function layoutOf(text: string): JsonLayout {
  const indented = /\n([ \t]+)\S/.exec(text);
  return { eol: text.includes('\r\n') ? '\r\n' : '\n', unit: indented ? indented[1] : '  ' };
}

/**
 * Removes the element `node` of an array with one separating comma and the space after it, so
 * the next element takes its place (the last one: the comma and space before it go).
 */
export function removeNode(text: string, node: Node): string {
  const items = node.parent?.children ?? [node];
  const i = items.indexOf(node);
  if (items.length === 1) return splice(text, node.parent!.offset, node.parent!.length, '[]');
  if (i < items.length - 1) return splice(text, node.offset, items[i + 1].offset - node.offset, '');
  const before = items[i - 1].offset + items[i - 1].length;
  return splice(text, before, node.offset + node.length - before, '');
}


/** Replaces the text of `node` with `content` (JSON text, e.g. another file's version of the entry). */
export function replaceNode(text: string, node: Node, content: string): string {
  return splice(text, node.offset, node.length, content);
}

/**
 * Inserts into `array` at `index` (its length appends) either a value, laid out like its
 * neighbours, or a RawText as it is (an entry carried over from another version of the file).
 */
export function insertElement(text: string, array: Node, index: number, value: unknown, layout: JsonLayout): string {
  const raw = value instanceof RawText ? value.raw : undefined;
  const items = array.children ?? [];
  if (items.length === 0) {
    // An empty list opens up: on one line inside a one-line container, else one element per line.
    const parent = array.parent?.parent;
    const inline = parent !== undefined && oneLine(text, parent);
    const outer = indentAt(text, array.offset);
    const body = inline ? `[${raw ?? oneLineJson(value)}]` : `[${layout.eol}${outer}${layout.unit}${raw ?? pretty(value, outer + layout.unit, layout)}${layout.eol}${outer}]`;
    return splice(text, array.offset, array.length, body);
  }
  const neighbour = items[Math.min(index, items.length) - (index > 0 ? 1 : 0)];
  const sameLineAsBracket = !text.slice(array.offset, neighbour.offset).includes('\n');
  const indent = indentAt(text, neighbour.offset);
  const content = raw ?? (oneLine(text, neighbour) ? oneLineJson(value) : pretty(value, indent, layout));
  const separator = sameLineAsBracket ? ', ' : `,${layout.eol}${indent}`;
  if (index > 0) return splice(text, neighbour.offset + neighbour.length, 0, `${separator}${content}`);
  return splice(text, neighbour.offset, 0, `${content}${separator}`);
}

/**
 * Sets `key` of `object` to `value`: the old value's text is replaced in place; a new key goes
 * after the last one, on its line when the object is written on one line.
 */
export function setProperty(text: string, object: Node, key: string, value: unknown, layout: JsonLayout): string {
  const existing = object.children?.find((p) => p.children?.[0]?.value === key)?.children?.[1];
  if (existing) return splice(text, existing.offset, existing.length, oneLine(text, existing) ? oneLineJson(value) : pretty(value, indentAt(text, existing.offset), layout));
  const last = object.children?.[object.children.length - 1];
  if (!last) return splice(text, object.offset, object.length, `{${JSON.stringify(key)}: ${oneLineJson(value)}}`);
  if (oneLine(text, object)) return splice(text, last.offset + last.length, 0, `, ${JSON.stringify(key)}: ${oneLineJson(value)}`);
  const indent = indentAt(text, last.offset);
  return splice(text, last.offset + last.length, 0, `,${layout.eol}${indent}${JSON.stringify(key)}: ${pretty(value, indent, layout)}`);
}

/** JSON text to insert as it is (a class, so no sidecar value is ever mistaken for one). */
export class RawText {
  constructor(readonly raw: string) {}
}

/** JSON on one line, spaced like hand-written JSON (`{"a": 1, "b": [2, 3]}`). */
export function oneLineJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(oneLineJson).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}: ${oneLineJson(v)}`).join(', ')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Indented JSON whose first line goes where the caller puts it and whose other lines start with `indent`. */
function pretty(value: unknown, indent: string, layout: JsonLayout): string {
  // JSON.stringify escapes newlines inside strings, so every real newline here is layout.
  return JSON.stringify(value, null, layout.unit).split('\n').join(`${layout.eol}${indent}`);
}

function oneLine(text: string, node: Node): boolean {
  return !text.slice(node.offset, node.offset + node.length).includes('\n');
}

/** The whitespace that starts the line holding `offset`. */
function indentAt(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start, offset))![0];
}

function splice(text: string, offset: number, length: number, content: string): string {
  return applyEdits(text, [{ offset, length, content }]);
}
