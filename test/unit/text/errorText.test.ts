import { strict as assert } from 'node:assert';
import { errorText } from '../../../src/core/text/errorText';

describe('errorText', () => {
  it("is an Error's message, and anything else thrown as String() writes it", () => {
    assert.equal(errorText(new TypeError('bad input')), 'bad input');
    assert.equal(errorText('plain text'), 'plain text');
    assert.equal(errorText(42), '42');
    assert.equal(errorText(undefined), 'undefined');
    assert.equal(errorText(null), 'null');
  });
});
