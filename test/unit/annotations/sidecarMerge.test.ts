import { strict as assert } from 'node:assert';
import { mergeTheirChange } from '../../../src/core/annotations/sidecarMerge';
import { parseSidecar } from '../../../src/core/format/sidecar';
import { applyChangeToText } from '../../../src/core/annotations/sidecarEdits';
import { anAnnotation, caseText } from './builders';

const ids = (text: string) => parseSidecar(text, 'f').value!.annotations.map((a) => a.id);

describe('merging a write another program made into the file we replaced', () => {
  it('carries over what they added, changed and removed, and keeps ours', () => {
    const ancestor = caseText();
    const mine = anAnnotation({ id: 'mine', file: 'world-state-001.md', startLine: 9 });
    const current = applyChangeToText(ancestor, { kind: 'add', annotation: mine }, 'f');
    const theirAdd = anAnnotation({ id: 'theirs', file: 'world-state-001.md', startLine: 10 });
    let theirs = applyChangeToText(ancestor, { kind: 'add', annotation: theirAdd }, 'f');
    theirs = theirs.replace('"label": "plausible"', '"label": "implausible"').replace(/\n.*"id": "hand-3".*\n/, '\n');
    const merged = mergeTheirChange(ancestor, theirs, current);
    assert.ok(merged.complete);
    assert.deepEqual(ids(merged.text), ['hand-1', 'mine', 'theirs']);
    assert.match(merged.text, /"id": "hand-1".*"label": "implausible"/);
    assert.ok(!merged.text.includes('"hand-3"'), 'their deletion of hand-3 applies');
    assert.ok(merged.text.includes(caseText().split('\n')[5]) && merged.text.includes(caseText().split('\n')[7]), 'hand-2 and hand-4 byte for byte');
    assert.equal(mergeTheirChange(ancestor, theirs, merged.text).text, merged.text, 'applying it again changes nothing');
  });

  it('reports a conflict (to keep their version aside) when both changed the same entry, or theirs is not a sidecar', () => {
    const ancestor = caseText();
    const current = ancestor.replace('"rating": 4', '"rating": 2');
    const theirs = ancestor.replace('"rating": 4', '"rating": 5');
    const merged = mergeTheirChange(ancestor, theirs, current);
    assert.equal(merged.complete, false);
    assert.equal(merged.text, current, 'ours stays; theirs goes aside');
    assert.equal(mergeTheirChange(ancestor, '{"format": "scenario-lab-annot', current).complete, false);
  });
});
