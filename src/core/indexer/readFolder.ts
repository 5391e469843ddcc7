/**
 * Reads and parses every file of one run folder. The result is plain data (ParsedFolder) that
 * assembleFolder() turns into database rows; nothing here touches the database.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { placeAnnotations, type IndexedAnnotation } from '../annotations/indexedAnnotation';
import type { Annotation } from '../format/annotationModel';
import { parseSidecar } from '../format/sidecar';
import type { FileEntry, FolderListing } from '../discover/discoverFolders';
import { parseCommunication } from '../format/communication';
import { parseCostsJson } from '../format/costsJson';
import { parseDecision } from '../format/decision';
import { classifyRunFile, type RunFileKind } from '../format/fileKinds';
import { parseMetricsJson } from '../format/metricsJson';
import type {
  CommunicationDoc,
  CostsFile,
  DecisionDoc,
  MetricRecord,
  Parsed,
  Problem,
  StateFile,
  V1Costs,
  V1Metrics,
  V1State,
  WorldStateDoc,
} from '../format/records';
import { parseStateJson } from '../format/stateJson';
import { decodeText, decodingProblem } from '../format/text';
import { parseWorldState } from '../format/worldState';

export interface IndexedFile {
  key: string;
  size: number;
  mtimeMs: number;
  hash: string;
  kind: RunFileKind['kind'];
}

export interface ParsedFolder {
  key: string;
  /** FolderListing.localKey: the key without a shared index's source. */
  localKey: string;
  files: IndexedFile[];
  state?: StateFile;
  stateV2?: StateFile;
  v1State?: V1State;
  metrics?: MetricRecord[];
  v1Metrics?: V1Metrics;
  costs?: CostsFile;
  v1Costs?: V1Costs;
  /** World-state documents with the turn number of their file name. */
  worldStates: Array<{ fileTurn: number; doc: WorldStateDoc }>;
  decisions: DecisionDoc[];
  communications: CommunicationDoc[];
  /** Reviewer annotations from the sidecar, placed on the current text of their files. */
  annotations: IndexedAnnotation[];
  problems: Problem[];
  /** A JSON file could not be read but changed moments ago: a run still writing it. */
  pending: boolean;
}

export interface ReadOptions {
  /** Clock for the "still being written" decision (tests pass a fixed one). */
  now?: number;
  /** A file that fails to parse and changed less than this long ago is pending, not broken. */
  pendingWindowMs?: number;
  /** Files larger than this are listed but not read. */
  maxFileBytes?: number;
  readFile?: (absPath: string) => Uint8Array;
}

export const DEFAULT_PENDING_WINDOW_MS = 3000;
export const DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024;

/** File kinds whose content feeds the index; the rest are listed for change detection only. */
const READ_KINDS = new Set<RunFileKind['kind']>([
  'world-state',
  'decision',
  'communication',
  'metrics-json',
  'costs-json',
  'scenario-state',
  'scenario-state-v2',
  'annotations',
]);

/** What the index already knows of a file: a file with the same size and mtime keeps its hash. */
export interface KnownFile {
  size: number;
  mtimeMs: number;
  hash: string;
}

export function readFolder(listing: FolderListing, options: ReadOptions = {}, known?: ReadonlyMap<string, KnownFile>): ParsedFolder {
  const now = options.now ?? Date.now();
  const pendingWindow = options.pendingWindowMs ?? DEFAULT_PENDING_WINDOW_MS;
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const readFile = options.readFile ?? readIntoSharedBuffer;
  const folder: ParsedFolder = { key: listing.key, localKey: listing.localKey, files: [], worldStates: [], decisions: [], communications: [], annotations: [], problems: [], pending: false };
  let annotations: Annotation[] = [];
  // Texts of the folder's markdown, kept only while this folder is read: annotations are placed on them.
  const markdown = new Map<string, string>();

  for (const entry of listing.files) {
    const kind = classifyRunFile(entry.name);
    if (entry.fault) {
      folder.files.push({ key: entry.key, size: entry.size, mtimeMs: entry.mtimeMs, hash: `fault:${entry.size}:${entry.mtimeMs}`, kind: kind.kind });
      folder.problems.push({ file: entry.faultAtFolder ? listing.key : entry.key, line: 1, severity: 'warning', message: entry.fault });
      continue;
    }
    if (!READ_KINDS.has(kind.kind)) {
      folder.files.push({ key: entry.key, size: entry.size, mtimeMs: entry.mtimeMs, hash: `stat:${entry.size}:${entry.mtimeMs}`, kind: kind.kind });
      continue;
    }
    if (entry.size > maxBytes) {
      folder.files.push({ key: entry.key, size: entry.size, mtimeMs: entry.mtimeMs, hash: `stat:${entry.size}:${entry.mtimeMs}`, kind: kind.kind });
      folder.problems.push(problem(entry, 'warning', `${entry.name} is ${mb(entry.size)} MB, above the ${mb(maxBytes)} MB limit for one file; it was not indexed.`));
      continue;
    }
    let bytes: Uint8Array;
    try {
      bytes = readFile(entry.absPath);
    } catch (error) {
      folder.problems.push(problem(entry, 'error', `${entry.name} could not be read: ${(error as Error).message}`));
      continue;
    }
    const before = known?.get(entry.key);
    const unchanged = before !== undefined && before.size === bytes.byteLength && before.size === entry.size && before.mtimeMs === entry.mtimeMs;
    folder.files.push({ key: entry.key, size: bytes.byteLength, mtimeMs: entry.mtimeMs, hash: unchanged ? before.hash : hashOf(bytes), kind: kind.kind });
    const decoded = decodeText(bytes);
    if (decoded.binary) {
      folder.problems.push(problem(entry, 'warning', `${entry.name} holds binary data, not text; it was skipped.`));
      continue;
    }
    const damaged = decodingProblem(decoded, entry.key);
    if (damaged) folder.problems.push(damaged);
    const stillWriting = now - entry.mtimeMs < pendingWindow;
    if (kind.kind === 'annotations') take(folder, parseSidecar(decoded.text, entry.key), (doc) => (annotations = doc.annotations));
    else parseInto(folder, kind, decoded.text, entry, stillWriting);
    if (entry.name.endsWith('.md')) markdown.set(entry.name, decoded.text);
  }
  folder.annotations = placeAnnotations(annotations, listing.key, (name) => markdown.get(name) ?? readMarkdown(listing, name, readFile));
  return folder;
}

function parseInto(folder: ParsedFolder, kind: RunFileKind, text: string, entry: FileEntry, stillWriting: boolean): void {
  switch (kind.kind) {
    case 'world-state':
      take(folder, parseWorldState(text, entry.key), (doc) => folder.worldStates.push({ fileTurn: kind.turn, doc }));
      return;
    case 'decision':
      take(folder, parseDecision(text, entry.key), (doc) => folder.decisions.push(doc));
      return;
    case 'communication':
      take(folder, parseCommunication(text, entry.key), (doc) => folder.communications.push(doc));
      return;
    case 'metrics-json':
      takeJson(folder, parseMetricsJson(text, entry.key), stillWriting, (m) => {
        if (m.version === 'v2') folder.metrics = m.records;
        else folder.v1Metrics = m;
      });
      return;
    case 'costs-json':
      takeJson(folder, parseCostsJson(text, entry.key), stillWriting, (c) => {
        if (c.version === 'v2') folder.costs = c;
        else folder.v1Costs = c;
      });
      return;
    case 'scenario-state':
    case 'scenario-state-v2':
      takeJson(folder, parseStateJson(text, entry.key), stillWriting, (s) => {
        if (s.version === 'v1') folder.v1State = s.state;
        else if (kind.kind === 'scenario-state-v2') folder.stateV2 = s.state;
        else folder.state = s.state;
      });
      return;
    default:
      return;
  }
}

/** Annotated markdown the indexer does not parse (e.g. validation reports) is read for the anchors only. */
function readMarkdown(listing: FolderListing, name: string, readFile: (absPath: string) => Uint8Array): string | undefined {
  const entry = listing.files.find((f) => f.name === name);
  if (!entry) return undefined;
  try {
    return decodeText(readFile(entry.absPath)).text;
  } catch {
    return undefined;
  }
}

function take<T>(folder: ParsedFolder, parsed: Parsed<T>, use: (value: T) => void): void {
  folder.problems.push(...parsed.problems);
  if (parsed.value !== undefined) use(parsed.value);
}

/**
 * A JSON file that does not parse while it is still changing is a run writing it right now: the
 * folder is marked pending (re-read later) instead of reporting an error that would vanish.
 */
function takeJson<T>(folder: ParsedFolder, parsed: Parsed<T>, stillWriting: boolean, use: (value: T) => void): void {
  if (parsed.value === undefined && stillWriting) {
    folder.pending = true;
    return;
  }
  take(folder, parsed, use);
}

function problem(entry: FileEntry, severity: Problem['severity'], message: string): Problem {
  return { file: entry.key, line: 1, severity, message };
}

/**
 * Reads a whole file into one buffer shared by every read of this thread. A batch reads hundreds
 * of MB, and fresh memory is slow to touch on this class of machine (guide: ~300 MB/s, against
 * GB/s for reused memory), while readFileSync allocates a new buffer per file. The bytes are
 * valid until the next read: readFolder hashes and decodes them at once and keeps only the text.
 */
let sharedReadBuffer: Buffer = Buffer.allocUnsafeSlow(1024 * 1024);

function readIntoSharedBuffer(absPath: string): Uint8Array {
  const fd = fs.openSync(absPath, 'r');
  try {
    let length = 0;
    for (;;) {
      if (length === sharedReadBuffer.length) sharedReadBuffer = grown(sharedReadBuffer);
      const read = fs.readSync(fd, sharedReadBuffer, length, sharedReadBuffer.length - length, null);
      if (read === 0) return sharedReadBuffer.subarray(0, length);
      length += read;
    }
  } finally {
    fs.closeSync(fd);
  }
}

function grown(buffer: Buffer): Buffer {
  const bigger = Buffer.allocUnsafeSlow(buffer.length * 2);
  buffer.copy(bigger);
  return bigger;
}

function hashOf(bytes: Uint8Array): string {
  return createHash('sha1').update(bytes).digest('hex');
}

function mb(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(1);
}
