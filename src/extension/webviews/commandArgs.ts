/** Reading command arguments that come from trees, other features or code (kept free of vscode for unit tests). */

/**
 * Run ids from whatever a caller passed: `runIds: string[]`, a run id, `{ runId }`, a runs-tree
 * node (`{ run: { id } }`), or a tree's (clicked, selected[]) pair for a multi-selection.
 */
export function runIdsFromArgs(args: unknown[]): string[] {
  const ids: string[] = [];
  const visit = (value: unknown): void => {
    if (typeof value === 'string') ids.push(value);
    else if (Array.isArray(value)) value.forEach(visit);
    else if (typeof value === 'object' && value !== null) {
      const v = value as { runId?: unknown; runIds?: unknown; run?: { id?: unknown } };
      if (v.runIds !== undefined) visit(v.runIds);
      else if (typeof v.runId === 'string') ids.push(v.runId);
      else if (typeof v.run?.id === 'string') ids.push(v.run.id);
    }
  };
  // With a multi-selection VS Code passes the clicked node and then all selected nodes.
  visit(Array.isArray(args[1]) && args[1].length > 0 ? args[1] : args[0]);
  return [...new Set(ids)];
}

/**
 * An experiment from a command's arguments: a folder or name string, `{ experiment: string }`, or an
 * Experiments tree node (`{ experiment: { folder } }`). Undefined when none is given.
 */
export function experimentFromArgs(args: unknown[]): string | undefined {
  const [first] = args;
  if (typeof first === 'string') return first;
  if (typeof first !== 'object' || first === null) return undefined;
  const value = (first as { experiment?: unknown }).experiment;
  if (typeof value === 'string') return value;
  const folder = (value as { folder?: unknown } | undefined)?.folder;
  return typeof folder === 'string' ? folder : undefined;
}
