import { strict as assert } from 'node:assert';
import { decodeText, decodingProblem, lineOfOffset, lineStarts, SourceText } from '../../../src/core/format/text';

const bytes = (...values: number[]) => Uint8Array.from(values);
const utf8 = (text: string) => new TextEncoder().encode(text);

describe('decodeText', () => {
  it('decodes UTF-8 and keeps non-ASCII names', () => {
    const decoded = decodeText(utf8("# Côte d'Ivoire - Turn 1\n\nL'Oréal Group, 日本"));
    assert.deepEqual(decoded, { text: "# Côte d'Ivoire - Turn 1\n\nL'Oréal Group, 日本", encoding: 'utf-8', binary: false });
  });

  it('strips a UTF-8 byte order mark', () => {
    assert.equal(decodeText(bytes(0xef, 0xbb, 0xbf, 0x41)).text, 'A');
  });

  it('falls back to Windows-1252 for files written on Windows, and normalises CRLF', () => {
    // "Côte d’Ivoire\r\n– done" in cp1252: ô = F4, ’ = 92, – = 96.
    const decoded = decodeText(bytes(0x43, 0xf4, 0x74, 0x65, 0x20, 0x64, 0x92, 0x49, 0x76, 0x0d, 0x0a, 0x96, 0x20, 0x78));
    assert.deepEqual(decoded, { text: 'Côte d\u2019Iv\n\u2013 x', encoding: 'windows-1252', binary: false });
  });

  it('maps every byte where Windows-1252 differs from ISO-8859-1, whatever the runtime decoder does', () => {
    const c1 = Array.from({ length: 32 }, (_, i) => 0x80 + i);
    // Python's cp1252 table, with its five undefined bytes kept as C1 controls (WHATWG).
    const expected = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';
    assert.equal(decodeText(Uint8Array.from(c1)).text, expected);
  });

  it('normalises CRLF and lone CR in UTF-8 text', () => {
    assert.equal(decodeText(utf8('a\r\nb\rc\n\r\nd')).text, 'a\nb\nc\n\nd');
  });

  it('flags NUL bytes near the start as binary', () => {
    assert.equal(decodeText(bytes(0x50, 0x4b, 0x03, 0x04, 0x00, 0x00)).binary, true);
    const late = new Uint8Array(9000).fill(0x41);
    late[8500] = 0;
    assert.equal(decodeText(late).binary, false);
  });

  it('decodes UTF-16 LE and BE with a byte order mark and drops the mark, so line 1 is the first line', () => {
    const text = '# Côte d\u2019Ivoire\r\n\r\n日本 😀\n';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);
    assert.deepEqual(decodeText(le), { text: '# Côte d\u2019Ivoire\n\n日本 😀\n', encoding: 'utf-16le', binary: false });
    assert.deepEqual(decodeText(be), { text: '# Côte d\u2019Ivoire\n\n日本 😀\n', encoding: 'utf-16be', binary: false });
  });

  it('guesses UTF-16 without a byte order mark when the NUL bytes sit where ASCII text in UTF-16 puts them (as VS Code does)', () => {
    assert.deepEqual(decodeText(Buffer.from('{"a": 1}\n', 'utf16le')), { text: '{"a": 1}\n', encoding: 'utf-16le', binary: false });
    assert.equal(decodeText(Buffer.from('# T\n', 'utf16le').swap16()).encoding, 'utf-16be');
    // Some NUL bytes but not in a UTF-16 pattern: binary, as before.
    assert.equal(decodeText(bytes(0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x41, 0x00)).binary, true);
  });

  it('decodes UTF-8 with damaged bytes as UTF-8 with U+FFFD, and says where the first one is', () => {
    // "é ok\n" then a cut "—" (E2 80) on line 2, then a whole one.
    const decoded = decodeText(Buffer.concat([Buffer.from('é ok\r\nx '), bytes(0xe2, 0x80), Buffer.from(' y —\n'), bytes(0xff)]));
    assert.equal(decoded.encoding, 'utf-8');
    assert.equal(decoded.text, 'é ok\nx \ufffd y —\n\ufffd');
    assert.deepEqual(decoded.invalid, { count: 2, firstLine: 2, firstByte: 9 });
    const problem = decodingProblem(decoded, 'run/a-001.md');
    assert.equal(problem?.line, 2);
    assert.match(problem!.message, /Not valid UTF-8 at byte 9 and 1 more place/);
    assert.ok(!problem!.message.includes('x '), 'the message does not quote the file');
  });

  it('does not count U+FFFD written in the file as damage', () => {
    const decoded = decodeText(Buffer.from('a \ufffd b —', 'utf8'));
    assert.equal(decoded.invalid, undefined);
    assert.equal(decodingProblem(decoded, 'f'), undefined);
    const utf16 = decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a\ufffd', 'utf16le')]));
    assert.equal(utf16.invalid, undefined);
  });

  it('reports a lone surrogate and an odd last byte in UTF-16', () => {
    const body = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('ab\n', 'utf16le'), bytes(0x00, 0xd8), Buffer.from('c', 'utf16le'), bytes(0x41)]);
    const decoded = decodeText(body);
    assert.equal(decoded.encoding, 'utf-16le');
    assert.equal(decoded.invalid?.count, 2);
    assert.equal(decoded.invalid?.firstLine, 2);
    assert.equal(decoded.invalid?.firstByte, 8, 'offset in the file, byte order mark included');
  });

  it('keeps Windows-1252 for text without any valid multi-byte UTF-8', () => {
    assert.equal(decodeText(bytes(0x43, 0xf4, 0x74, 0x65, 0xe9)).encoding, 'windows-1252');
  });

  it('decodes empty input', () => {
    assert.deepEqual(decodeText(new Uint8Array()), { text: '', encoding: 'utf-8', binary: false });
  });
});

describe('lineStarts / lineOfOffset', () => {
  const text = 'ab\n\ncd\n';
  const starts = lineStarts(text);

  it('lists the start offset of every line', () => {
    assert.deepEqual(starts, [0, 3, 4, 7]);
  });

  it('maps offsets to 1-based lines, counting a newline to the line it ends', () => {
    assert.deepEqual(
      [...text].map((_, i) => lineOfOffset(starts, i)),
      [1, 1, 1, 2, 3, 3, 3],
    );
    assert.equal(lineOfOffset(starts, text.length), 4);
    assert.equal(lineOfOffset(lineStarts(''), 0), 1);
  });
});

describe('SourceText', () => {
  const src = new SourceText('# T\n\n## Action\n\nx\ny\n', 'run/a-001.md');

  it('gives spans of inclusive 1-based lines', () => {
    assert.deepEqual(src.span(5, 19), { file: 'run/a-001.md', startLine: 3, endLine: 6 });
    assert.deepEqual(src.wholeSpan(), { file: 'run/a-001.md', startLine: 1, endLine: 6 });
  });

  it('points an empty section at its heading line', () => {
    assert.deepEqual(src.sectionSpan(5, 16, 16), { file: 'run/a-001.md', startLine: 3, endLine: 3 });
  });

  it('creates problems at the line of an offset', () => {
    assert.deepEqual(src.problem(17, 'warning', 'w'), { file: 'run/a-001.md', line: 5, severity: 'warning', message: 'w' });
  });
});
