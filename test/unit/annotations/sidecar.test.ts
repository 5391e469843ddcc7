import { strict as assert } from 'node:assert';
import { applyChange, emptySidecar, parseSidecar, serializeSidecar } from '../../../src/core/annotations/sidecar';
import { anAnnotation } from './builders';

describe('annotation sidecar format', () => {
  it('round-trips every field', () => {
    const doc = { annotations: [anAnnotation({ label: 'implausible', rating: 2, resolved: true, quote: ['a "quoted" line', 'ü ✓'] })] };
    const parsed = parseSidecar(serializeSidecar(doc), 'annotations.json');
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(parsed.value, doc);
  });

  it('writes the same bytes whatever order the annotations are in (diff-friendly)', () => {
    const a = anAnnotation({ file: 'b.md', startLine: 1 });
    const b = anAnnotation({ file: 'a.md', startLine: 9 });
    const c = anAnnotation({ file: 'a.md', startLine: 2 });
    const text = serializeSidecar({ annotations: [a, b, c] });
    assert.equal(text, serializeSidecar({ annotations: [c, a, b] }));
    assert.deepEqual(parseSidecar(text, 'x').value!.annotations.map((x) => x.id), [c.id, b.id, a.id]);
    assert.ok(text.endsWith('}\n'));
    assert.match(text, /^{\n  "format": "scenario-lab-annotations",\n  "version": 1,/);
  });

  it('refuses a file that is not a sidecar, and skips incomplete entries with a warning', () => {
    assert.equal(parseSidecar('{"annotations": [', 'f').value, undefined);
    assert.equal(parseSidecar('{"something": 1}', 'f').value, undefined);
    const parsed = parseSidecar(JSON.stringify({ format: 'scenario-lab-annotations', version: 1, annotations: [{ id: 'x' }, anAnnotation()] }), 'f');
    assert.equal(parsed.value!.annotations.length, 1);
    assert.equal(parsed.problems[0].severity, 'warning');
  });

  it('drops an invalid label or rating instead of the annotation', () => {
    const text = serializeSidecar({ annotations: [anAnnotation()] }).replace('"label": null', '"label": "nonsense"').replace('"rating": null', '"rating": 9');
    const a = parseSidecar(text, 'f').value!.annotations[0];
    assert.equal(a.label, null);
    assert.equal(a.rating, null);
  });
});

describe('annotation changes', () => {
  it('a reply to an annotation deleted elsewhere brings it back with both comments', () => {
    const base = anAnnotation();
    const reply = { id: 'r1', author: 'me', body: 'agree', created: '2026-02-01T00:00:00Z', updated: '2026-02-01T00:00:00Z' };
    const doc = applyChange(emptySidecar(), { kind: 'reply', base, comment: reply });
    assert.deepEqual(doc.annotations[0].comments.map((c) => c.id), [base.comments[0].id, 'r1']);
  });

  it('deleting the last comment deletes the annotation', () => {
    const a = anAnnotation();
    const doc = applyChange({ annotations: [a] }, { kind: 'deleteComment', base: a, commentId: a.comments[0].id, at: 'now' });
    assert.deepEqual(doc.annotations, []);
  });

  it('sets label, rating and resolved on the current copy, keeping comments added by others', () => {
    const mine = anAnnotation();
    const theirs = { ...mine, comments: [...mine.comments, { id: 'other', author: 'b', body: 'b', created: 'z', updated: 'z' }] };
    const doc = applyChange({ annotations: [theirs] }, { kind: 'set', base: mine, fields: { label: 'plausible', rating: 5, resolved: true }, at: 'now' });
    assert.equal(doc.annotations[0].comments.length, 2);
    assert.deepEqual([doc.annotations[0].label, doc.annotations[0].rating, doc.annotations[0].resolved], ['plausible', 5, true]);
  });
});
