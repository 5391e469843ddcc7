import { strict as assert } from 'node:assert';
import { parseSidecar } from '../../../src/core/format/sidecar';
import { applyChangeToText, SidecarUnreadableError, type SidecarChange } from '../../../src/core/annotations/sidecarEdits';
import type { Annotation } from '../../../src/core/format/annotationModel';
import { anAnnotation, caseText, sidecarText } from './builders';

const FILE = 'run/.scenario-lab/annotations.json';
const apply = (text: string, change: SidecarChange) => applyChangeToText(text, change, FILE);

/** The line of the case file that holds entry `id` (each case entry is written on one line). */
function caseLine(id: string): string {
  return caseText().split('\n').find((l) => l.includes(`"id": "${id}"`))!;
}

/** The caller's copy of hand-1, as the editor holds it after reading the case. */
function hand1(): Annotation {
  return parseSidecar(caseText(), FILE).value!.annotations[0];
}

/** Asserts that `after` holds each of the case's lines for `ids` unchanged, in the original order. */
function keepsLines(after: string, ids: string[]): void {
  const positions = ids.map((id) => after.indexOf(caseLine(id)));
  positions.forEach((p, i) => assert.ok(p >= 0, `the line of ${ids[i]} is kept byte for byte`));
  assert.deepEqual([...positions].sort((a, b) => a - b), positions, 'in their order');
}

describe('annotation changes as text edits', () => {
  it('adding keeps every entry of the case byte for byte, in order, with its unknown fields', () => {
    const added = anAnnotation({ file: 'world-state-001.md', startLine: 7, endLine: 7 });
    const after = apply(caseText(), { kind: 'add', annotation: added });
    keepsLines(after, ['hand-1', 'hand-2', 'hand-3', 'hand-4']);
    assert.ok(after.startsWith(caseText().slice(0, caseText().indexOf(caseLine('hand-4')) + caseLine('hand-4').length)), 'everything before the insertion is untouched');
    assert.deepEqual(parseSidecar(after, FILE).value!.annotations.map((a) => a.id), ['hand-1', added.id]);
    assert.equal(after.split('\n').length, caseText().split('\n').length + 1, 'the new entry is one line, like its neighbours');
  });

  it('replying, editing, labelling, rating and resolving change only their fields of hand-1', () => {
    const base = hand1();
    const steps: SidecarChange[] = [
      { kind: 'reply', base, comment: { id: 'c9', author: 'b', body: 'agree', created: '2026-02-01T00:00:00Z', updated: '2026-02-01T00:00:00Z' } },
      { kind: 'editComment', base, commentId: 'c1', body: 'kept, edited', at: '2026-02-02T00:00:00Z' },
      { kind: 'set', base, fields: { label: 'implausible', rating: 2, resolved: true }, at: '2026-02-03T00:00:00Z' },
    ];
    const after = steps.reduce(apply, caseText());
    keepsLines(after, ['hand-2', 'hand-3', 'hand-4']);
    const line = after.split('\n').find((l) => l.includes('"id": "hand-1"'))!;
    assert.equal(
      line,
      caseLine('hand-1')
        .replace('"label": "plausible", "rating": 4, "resolved": false', '"label": "implausible", "rating": 2, "resolved": true')
        .replace('"updated": "2026-01-01T00:00:00Z", "priority"', '"updated": "2026-02-03T00:00:00Z", "priority"')
        .replace('"body": "keep me", "created": "2026-01-01T00:00:00Z", "updated": "2026-01-01T00:00:00Z"', '"body": "kept, edited", "created": "2026-01-01T00:00:00Z", "updated": "2026-02-02T00:00:00Z"')
        .replace('"attachments": ["fig1.png"]}]', '"attachments": ["fig1.png"]}, {"id": "c9", "author": "b", "body": "agree", "created": "2026-02-01T00:00:00Z", "updated": "2026-02-01T00:00:00Z"}]'),
    );
  });

  it('deleting an annotation or a comment removes only it', () => {
    const deleted = apply(caseText(), { kind: 'delete', id: 'hand-1' });
    assert.equal(deleted, caseText().replace(`${caseLine('hand-1')}\n`, ''));
    const base = hand1();
    const replied = apply(caseText(), { kind: 'reply', base, comment: { id: 'c9', author: 'b', body: 'agree', created: 't', updated: 't' } });
    const uncommented = apply(replied, { kind: 'deleteComment', base, commentId: 'c9', at: '2026-03-01T00:00:00Z' });
    assert.equal(uncommented, caseText().replace('"updated": "2026-01-01T00:00:00Z", "priority"', '"updated": "2026-03-01T00:00:00Z", "priority"'));
    assert.equal(apply(caseText(), { kind: 'deleteComment', base, commentId: 'c1', at: 'now' }), deleted, 'its last comment gone, the annotation is gone');
  });

  it('an action on an entry with an invalid field edits only the fields it sets and keeps the invalid one as written', () => {
    // hand-2 (startLine "12") cannot be shown; a window that read it when it was valid may still act on it.
    const base = anAnnotation({ id: 'hand-2', comments: [{ id: 'c2', author: 'me', body: 'a careful two-page review', created: '2026-01-01T00:00:00Z', updated: '2026-01-01T00:00:00Z' }] });
    const after = apply(caseText(), { kind: 'set', base, fields: { label: 'plausible' }, at: 'T' });
    assert.equal(after, caseText().replace(caseLine('hand-2'), caseLine('hand-2').replace(/}]}(,?)$/, '}], "label": "plausible", "updated": "T"}$1')));
    assert.match(after, /"id": "hand-2", "file": "world-state-001.md", "startLine": "12"/);
  });

  it('refuses, naming the file and line, a change an entry cannot take or a text that is not JSON', () => {
    const text = caseText().replace('"comments": [{"id": "c4"', '"comments": {"oops": [{"id": "c4"').replace('"note four", "created": "2026-01-01T00:00:00Z"}]}', '"note four", "created": "2026-01-01T00:00:00Z"}]}}');
    const base = anAnnotation({ id: 'hand-4' });
    assert.throws(() => apply(text, { kind: 'reply', base, comment: base.comments[0] }), (e: Error) => e instanceof SidecarUnreadableError && e.message.startsWith(`${FILE}:8:`));
    assert.throws(() => apply('{\n"format": "scenario-lab-annotations",\n"annotations": [,]}', { kind: 'add', annotation: anAnnotation() }), (e: Error) => e instanceof SidecarUnreadableError && /^run\/\.scenario-lab\/annotations\.json:3: .*not valid JSON/.test(e.message));
  });

  it('keeps a newer version, tabs and CRLF line endings, and lays a new entry out like its neighbours', () => {
    const a = anAnnotation({ file: 'a.md' });
    const tabbed = sidecarText(a).replace('"version": 1', '"version": 7').replace(/\n/g, '\r\n').replace(/ {2}/g, '\t');
    const b = anAnnotation({ file: 'b.md' });
    const after = apply(tabbed, { kind: 'add', annotation: b });
    assert.ok(after.startsWith(tabbed.slice(0, tabbed.lastIndexOf('}', tabbed.lastIndexOf('\t]')) + 1)), 'everything before the new entry is untouched');
    assert.match(after, /"version": 7,/);
    assert.ok(!/[^\r]\n/.test(after), 'CRLF throughout');
    assert.ok(after.includes(`},\r\n\t\t{\r\n\t\t\t"id": "${b.id}",\r\n`), 'multi-line, tab-indented like the entry before it');
    assert.deepEqual(parseSidecar(after, FILE).value!.annotations, [a, b]);
  });

  it('a reply or an edit to an annotation deleted elsewhere brings it back', () => {
    const base = anAnnotation();
    const reply = { id: 'r1', author: 'me', body: 'agree', created: '2026-02-01T00:00:00Z', updated: '2026-02-01T00:00:00Z' };
    const revived = parseSidecar(apply(sidecarText(), { kind: 'reply', base, comment: reply }), FILE).value!;
    assert.deepEqual(revived.annotations[0].comments.map((c) => c.id), [base.comments[0].id, 'r1']);
    const edited = parseSidecar(apply(sidecarText(), { kind: 'editComment', base, commentId: base.comments[0].id, body: 'new words', at: 'T' }), FILE).value!;
    assert.equal(edited.annotations[0].comments[0].body, 'new words');
  });

  it('an edit to a comment deleted elsewhere brings the comment back with the edit', () => {
    const base = anAnnotation();
    const second = { id: 'c2', author: 'b', body: 'second', created: 'z', updated: 'z' };
    const theirs = apply(apply(sidecarText(base), { kind: 'reply', base, comment: second }), { kind: 'deleteComment', base, commentId: base.comments[0].id, at: 'u' });
    const after = parseSidecar(apply(theirs, { kind: 'editComment', base, commentId: base.comments[0].id, body: 'mine, edited', at: 'v' }), FILE).value!;
    assert.deepEqual(after.annotations[0].comments.map((c) => [c.id, c.body]), [['c2', 'second'], [base.comments[0].id, 'mine, edited']]);
  });

  it('sets label, rating and resolved on the current copy, keeping comments added by others', () => {
    const mine = anAnnotation();
    const theirs = apply(sidecarText(mine), { kind: 'reply', base: mine, comment: { id: 'other', author: 'b', body: 'b', created: 'z', updated: 'z' } });
    const doc = parseSidecar(apply(theirs, { kind: 'set', base: mine, fields: { label: 'plausible', rating: 5, resolved: true }, at: 'now' }), FILE).value!;
    assert.equal(doc.annotations[0].comments.length, 2);
    assert.deepEqual([doc.annotations[0].label, doc.annotations[0].rating, doc.annotations[0].resolved, doc.annotations[0].updated], ['plausible', 5, true, 'now']);
  });
});
