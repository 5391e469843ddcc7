import { strict as assert } from 'node:assert';
import { ellipsize, oneLine } from '../../../src/core/text/shortText';

describe('shortText', () => {
  it('ellipsize keeps text that fits and cuts longer text to exactly max, the mark included', () => {
    assert.equal(ellipsize('abcdef', 6), 'abcdef');
    assert.equal(ellipsize('abcdefg', 6), 'abcde…');
    assert.equal(ellipsize('abcdefg', 6, '...'), 'abc...');
    assert.equal(ellipsize('abcdefg', 6, '...').length, 6);
    assert.equal(ellipsize('', 3), '');
  });

  it('oneLine folds every run of white space and line breaks into one space before cutting', () => {
    assert.equal(oneLine('  SELECT *\n\tFROM   runs \r\n', 60), 'SELECT * FROM runs');
    assert.equal(oneLine('a\n\nb c d e f g', 6), 'a b c…');
    assert.equal(oneLine(`x ${'y'.repeat(200)}`, 80, '...'), `x ${'y'.repeat(75)}...`);
  });
});
