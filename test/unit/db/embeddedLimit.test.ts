import { strict as assert } from 'node:assert';
import { EMBEDDED_WARN_BYTES, embeddedSizeWarning } from '../../../src/core/db/embeddedLimit';

describe('the embedded index says when it is getting too big', () => {
  it('is silent up to 500 MB and above it names the PostgreSQL option it is given', () => {
    assert.equal(EMBEDDED_WARN_BYTES, 500 * 1024 * 1024);
    assert.equal(embeddedSizeWarning(281e6, '--db postgresql://…'), undefined, 'a 1,000-run index (281 MB) is fine');
    assert.equal(embeddedSizeWarning(EMBEDDED_WARN_BYTES, '--db postgresql://…'), undefined);
    const advice = embeddedSizeWarning(1.13e9, 'index into --db postgresql://user@host:5432/dbname');
    assert.match(advice!, /1078 MB/);
    assert.match(advice!, /PostgreSQL index \(index into --db postgresql:\/\/user@host:5432\/dbname\)/);
  });
});
