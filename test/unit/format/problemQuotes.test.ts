/**
 * Problem messages quote a file only as far as it locates the fault. Every parser is given files
 * that are not what it expects (a system file a link led to, long tokens, long values): no message
 * may carry a run of more than 45 characters of the file (a token cut at 40, with its quotes).
 */
import { strict as assert } from 'node:assert';
import { parseSidecar } from '../../../src/core/format/sidecar';
import { parseBatchConfig } from '../../../src/core/format/batchConfig';
import { parseBatchCosts, parseBatchState, parseBatchSummary } from '../../../src/core/format/batchFiles';
import { parseCommunication } from '../../../src/core/format/communication';
import { parseCostsJson } from '../../../src/core/format/costsJson';
import { parseDecision } from '../../../src/core/format/decision';
import { parseMetricsJson } from '../../../src/core/format/metricsJson';
import type { Parsed } from '../../../src/core/format/records';
import { parseActorYaml, parseMetricsYaml, parseScenarioYaml } from '../../../src/core/format/scenarioDefinition';
import { parseStateJson } from '../../../src/core/format/stateJson';
import { parseWorldState } from '../../../src/core/format/worldState';

const LONG = 'SECRETSECRET'.repeat(10);
const INPUTS: Record<string, string> = {
  'a system file': `root${LONG}:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n`,
  'a private key': `-----BEGIN OPENSSH PRIVATE KEY-----\n${LONG}\n-----END OPENSSH PRIVATE KEY-----\n`,
  'JSON with long values': `{"version": "${LONG}", "metrics": {"1": {"m": "${LONG}"}}, "turns": {"1": {"${LONG}": "${LONG}"}}, "format": "${LONG}"}`,
  'JSON cut in a long string': `{"run_id": "${LONG}`,
  'YAML with a long bad token': `name: x\n  : ${LONG}: [\n`,
  'YAML with an unterminated long string': `name: "${LONG}\n`,
  'markdown with a long first line': `# Title\n\n${LONG} ${LONG}\n`,
  'a message from a long sender': `# Bilateral\n\n**${LONG}** (Turn 1):\n${LONG}\n`,
};

const PARSERS: Record<string, (text: string, file: string) => Parsed<unknown>> = {
  parseStateJson, parseMetricsJson, parseCostsJson, parseSidecar, parseBatchState, parseBatchCosts, parseBatchSummary,
  parseBatchConfig, parseScenarioYaml, parseActorYaml, parseMetricsYaml, parseDecision, parseCommunication, parseWorldState,
};

/** A run of `text` longer than `limit` characters that `message` holds, if any. */
function quotesMoreThan(message: string, text: string, limit: number): string | undefined {
  for (let i = 0; i + limit + 1 <= text.length; i++) {
    const piece = text.slice(i, i + limit + 1);
    if (message.includes(piece)) return piece;
  }
  return undefined;
}

describe('problem messages quote no more of a file than locates the fault', () => {
  for (const [parser, parse] of Object.entries(PARSERS)) {
    it(`${parser}`, () => {
      for (const [what, text] of Object.entries(INPUTS)) {
        for (const problem of parse(text, 'ws/run/file').problems) {
          const quoted = quotesMoreThan(problem.message, text, 45);
          assert.equal(quoted, undefined, `${parser} on ${what}: "${problem.message}"`);
        }
      }
    });
  }
});
