/**
 * Where a thread's time went, from a V8 .cpuprofile (`node --cpu-prof`): the functions with the
 * most self time, idle and garbage collection included. The bench prints one per thread of its
 * cold index, so a missed target comes with the profile that explains it.
 */
import * as fs from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ThreadProfile {
  file: string;
  totalMs: number;
  /** Functions by self time, largest first; wasm functions of sql.js are summed as one. */
  top: Array<{ name: string; ms: number; share: number }>;
  /** Names of every function that ran, to tell the threads apart. */
  functions: Set<string>;
}

export function summariseCpuProfile(file: string, topCount = 12): ThreadProfile {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<string, number>();
  let totalUs = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    totalUs += us;
    const name = labelOf(byId.get(id)!);
    selfUs.set(name, (selfUs.get(name) ?? 0) + us);
  });
  const top = [...selfUs.entries()]
    .sort(([, a], [, b]) => b - a)
    .slice(0, topCount)
    .map(([name, us]) => ({ name, ms: us / 1000, share: us / Math.max(1, totalUs) }));
  return { file, totalMs: totalUs / 1000, top, functions: new Set(profile.nodes.map((n) => n.callFrame.functionName)) };
}

function labelOf(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  if (functionName.startsWith('wasm-function')) return '(sql.js wasm: SQLite itself)';
  if (!url) return functionName || '(anonymous)';
  return `${functionName || '(anonymous)'} ${url.split('/').pop()}:${lineNumber + 1}`;
}
