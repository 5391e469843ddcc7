/**
 * The ids the extension shares with its manifest are defined once (src/extension/constants.ts) and
 * agree with package.json both ways: every command and view the module names is contributed, every
 * contributed one is in the module, every context value or key a `when` clause tests is one the
 * code sets, and no extension file spells a command or view id as a literal of its own.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { annotationThreadContext, Commands, CommentControllers, ContextKeys, ContextValues, Views } from '../../../src/extension/constants';
import { REPO_ROOT } from '../helpers/paths';

const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
const sorted = (values: Iterable<string>) => [...new Set(values)].sort();

/** Every `when` clause of the manifest (menus, views, welcome content, keybindings). */
function whenClauses(): string[] {
  const found: string[] = [];
  const visit = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        if (key === 'when' && typeof inner === 'string') found.push(inner);
        else visit(inner);
      }
    }
  };
  visit(manifest.contributes);
  return found;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

describe('contributed ids (src/extension/constants.ts ↔ package.json)', () => {
  it('names exactly the commands package.json contributes', () => {
    const contributed = manifest.contributes.commands.map((c: { command: string }) => c.command);
    assert.deepEqual(sorted(Object.values(Commands)), sorted(contributed));
    assert.equal(new Set(Object.values(Commands)).size, Object.values(Commands).length, 'no id listed twice');
  });

  it('names exactly the views package.json contributes', () => {
    const contributed = Object.values(manifest.contributes.views as Record<string, Array<{ id: string }>>).flat().map((v) => v.id);
    assert.deepEqual(sorted(Object.values(Views)), sorted(contributed));
  });

  it('sets every context value and key a when clause tests', () => {
    const clauses = whenClauses();
    const values = [...Object.values(ContextValues), ...[false, true].flatMap((r) => [false, true].map((o) => annotationThreadContext(r, o)))];
    let tested = 0;
    for (const clause of clauses) {
      for (const [, key, op, operand] of clause.matchAll(/\b(viewItem|commentThread|comment)\s*(==|=~)\s*([^\s&|)]+(?:\([^)]*\)[^\s&|)]*)?)/g)) {
        tested++;
        const matches = op === '==' ? values.includes(operand) : values.some((v) => new RegExp(operand.slice(1, operand.lastIndexOf('/'))).test(v));
        assert.ok(matches, `${key} ${op} ${operand} (in "${clause}") matches no context value in constants.ts`);
      }
      for (const [name] of clause.matchAll(/\bscenarioLab\.[A-Za-z.]+/g)) {
        const known: string[] = [...Object.values(ContextKeys), ...Object.values(Views), ...Object.values(CommentControllers)];
        assert.ok(known.includes(name), `context key ${name} (in "${clause}") is not in constants.ts`);
      }
    }
    assert.ok(tested >= 5, `the manifest's menus test context values (${tested} found)`);
  });

  it('is the only place in src/extension that spells a command, view, controller or context key id', () => {
    const ids = new Set<string>([...Object.values(Commands), ...Object.values(Views), ...Object.values(CommentControllers), ...Object.values(ContextKeys)]);
    const literals: string[] = [];
    for (const file of sourceFiles(path.join(REPO_ROOT, 'src', 'extension'))) {
      if (file.endsWith('constants.ts')) continue;
      const text = fs.readFileSync(file, 'utf8');
      for (const [literal, id] of text.matchAll(/['"](scenarioLab\.[A-Za-z.]+)['"]/g)) if (ids.has(id)) literals.push(`${path.relative(REPO_ROOT, file)}: ${literal}`);
      // An id built from parts (`scenarioLab.annotations.${verb}`) would escape the check above.
      for (const [literal] of text.matchAll(/`scenarioLab\.[A-Za-z.]*\$\{[^`]*`/g)) literals.push(`${path.relative(REPO_ROOT, file)}: ${literal}`);
    }
    assert.deepEqual(literals, []);
  });
});
