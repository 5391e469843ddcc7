import { strict as assert } from 'node:assert';
import { parseSidecar } from '../../../src/core/format/sidecar';
import { anAnnotation, caseText, sidecarText } from './builders';

describe('annotation sidecar format', () => {
  it('round-trips every field', () => {
    const doc = { annotations: [anAnnotation({ label: 'implausible', rating: 2, resolved: true, quote: ['a "quoted" line', 'ü ✓'] })] };
    const parsed = parseSidecar(sidecarText(...doc.annotations), 'annotations.json');
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(parsed.value, doc);
  });

  it('writes a new file in the documented layout, annotations in reading order whatever order they were added in', () => {
    const a = anAnnotation({ file: 'b.md', startLine: 1 });
    const b = anAnnotation({ file: 'a.md', startLine: 9 });
    const c = anAnnotation({ file: 'a.md', startLine: 2 });
    const text = sidecarText(a, b, c);
    assert.equal(text, sidecarText(c, a, b));
    assert.deepEqual(parseSidecar(text, 'x').value!.annotations.map((x) => x.id), [c.id, b.id, a.id]);
    assert.ok(text.endsWith('}\n'));
    assert.match(text, /^{\n  "format": "scenario-lab-annotations",\n  "version": 1,\n  "annotations": \[\n    {\n      "id": /);
  });

  it('reports each entry of the case that cannot be shown at its line, with the reason', () => {
    const parsed = parseSidecar(caseText(), '.scenario-lab/annotations.json');
    assert.deepEqual(parsed.value!.annotations.map((a) => a.id), ['hand-1']);
    const byLine = parsed.problems.map((p) => [p.line, p.severity, p.message]);
    assert.equal(byLine.length, 3);
    assert.deepEqual(byLine.map(([line]) => line), [6, 7, 8]);
    assert.match(parsed.problems[0].message, /"hand-2" is not shown: "startLine" must be a whole number of 1 or more \(it is the text "12"\)\. It is kept/);
    assert.match(parsed.problems[1].message, /"hand-3" is not shown: "startLine" must be a whole number of 1 or more \(it is 0\)/);
    assert.match(parsed.problems[2].message, /"hand-4" is not shown: "quote" must be a list of lines \(strings\) \(it is the text "a single string, not a list"\)/);
    assert.ok(parsed.problems.every((p) => p.severity === 'warning' && p.file === '.scenario-lab/annotations.json'));
  });

  it('points at the line of the faulty field in a multi-line entry, and of a faulty comment', () => {
    const text = sidecarText(anAnnotation({ id: 'x' })).replace('"endLine": 3', '"endLine": -2').replace(/"body": "note on x"/, '"body": 7');
    const lines = text.split('\n');
    const parsed = parseSidecar(text, 'f');
    assert.equal(parsed.problems.length, 1);
    assert.equal(lines[parsed.problems[0].line - 1].trim(), '"endLine": -2,');
    const commentOnly = sidecarText(anAnnotation({ id: 'y' })).replace(/"body": "note on y"/, '"body": 7');
    const withBadComment = parseSidecar(commentOnly, 'f');
    assert.equal(withBadComment.value!.annotations[0].comments.length, 0);
    assert.match(commentOnly.split('\n')[withBadComment.problems[0].line - 1], /{/);
    assert.match(withBadComment.problems[0].message, /comment #1 is not shown: "body" must be a string/);
  });

  it('refuses a file that is not JSON or not a sidecar, naming the line', () => {
    const broken = parseSidecar('{\n  "format": "scenario-lab-annotations",\n  "annotations": [\n    {"id": "a",}\n  ]\n}\n', 'f');
    assert.equal(broken.value, undefined);
    assert.equal(broken.problems[0].line, 4);
    assert.match(broken.problems[0].message, /not valid JSON \(.* at line 4\)/);
    assert.equal(parseSidecar('{"annotations": [', 'f').value, undefined);
    assert.equal(parseSidecar('{"something": 1}', 'f').value, undefined);
    const notAList = parseSidecar('{\n  "format": "scenario-lab-annotations",\n  "annotations": {"a": 1}\n}', 'f');
    assert.deepEqual([notAList.value, notAList.problems[0].line], [undefined, 3]);
    assert.equal(parseSidecar('// a comment\n{"format": "scenario-lab-annotations", "annotations": []}', 'f').value, undefined, 'comments are not JSON');
  });

  it('skips an incomplete entry and a repeated id with a warning, showing the rest', () => {
    const a = anAnnotation();
    const parsed = parseSidecar(JSON.stringify({ format: 'scenario-lab-annotations', version: 1, annotations: [{ id: 'x' }, a, { ...a, comments: [] }, 42] }), 'f');
    assert.deepEqual(parsed.value!.annotations, [a]);
    assert.deepEqual(parsed.problems.map((p) => p.message.replace(/:.*/, '')), ['Annotation "x" is not shown', `Annotation "${a.id}" repeats the id of an earlier annotation; it is not shown and is kept in the file as written.`.replace(/:.*/, ''), 'Annotation #4 is not shown']);
  });

  it('shows an entry with an unknown label or rating without them, and says so', () => {
    const text = sidecarText(anAnnotation()).replace('"label": null', '"label": "nonsense"').replace('"rating": null', '"rating": 9');
    const parsed = parseSidecar(text, 'f');
    const a = parsed.value!.annotations[0];
    assert.equal(a.label, null);
    assert.equal(a.rating, null);
    assert.equal(parsed.problems.length, 2);
    assert.match(parsed.problems[0].message, /"label" the text "nonsense" is not a known label/);
  });

  it('reads a file of a newer version and a file starting with a byte-order mark', () => {
    const a = anAnnotation();
    const newer = sidecarText(a).replace('"version": 1', '"version": 3');
    assert.deepEqual(parseSidecar(newer, 'f').value!.annotations, [a]);
    assert.deepEqual(parseSidecar(`\uFEFF${newer}`, 'f').value!.annotations, [a]);
  });
});
