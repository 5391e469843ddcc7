/**
 * Every name a CLI command takes (metric, actor, experiment, scenario, run) that matches nothing in
 * the index ends with exit status 1 and a message naming the closest known names, as the README's
 * exit-status table says, instead of an empty table with status 0.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { closestNames } from '../../../src/cli/knownNames';
import { SHARED_SAMPLES } from '../helpers/paths';
import { runCli as cli } from '../helpers/processes';

const WORKSPACE = path.join(SHARED_SAMPLES, 'workspace-small');
const EXPERIMENT = 'Regulatory negotiation - model comparison';

describe('CLI names that match nothing', function () {
  this.timeout(60000);
  let dir: string;
  let db: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-names-'));
    db = path.join(dir, 'index.db');
    assert.equal(cli('index', WORKSPACE, '--db', db).code, 0);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const cases: Array<[string, string[], RegExp]> = [
    ['variations --metric misspelled', ['variations', EXPERIMENT, '--metric', 'cooperationlevel'], /no metric named cooperationlevel .*did you mean cooperation_level\?/],
    ['runs --where on a misspelled metric', ['runs', '--where', 'cooperationlevel>=6'], /no metric named cooperationlevel .*did you mean cooperation_level\?/],
    ['runs --where --json on a misspelled metric', ['runs', '--where', 'trustlevel>=1', '--json'], /no metric named trustlevel .*trust_level/],
    ['variations --actor unknown', ['variations', EXPERIMENT, '--metric', 'cooperation_level', '--actor', 'Chian'], /no actor named Chian .*did you mean China/],
    ['aggregate --actor unknown', ['aggregate', 'trust_level', '--actor', 'Chian'], /no actor named Chian .*China/],
    ['metrics --actor unknown', ['metrics', '--name', 'trust_level', '--actor', 'Nobody At All'], /no actor named Nobody At All/],
    ['runs --actor unknown', ['runs', '--where', 'trust_level>=0', '--actor', 'Chian'], /no actor named Chian .*China/],
    ['variations of an unknown experiment', ['variations', 'regulatory-model-comparisn'], /no experiment named regulatory-model-comparisn .*experiments\/regulatory-model-comparison/],
    ['runs --experiment unknown', ['runs', '--experiment', 'regulatory-model-comparisn'], /no experiment named .*did you mean/],
    ['actor-strategy of an unknown experiment', ['actor-strategy', 'regulatory-model-comparisn', '--actor', 'China'], /no experiment or scenario named .*did you mean/],
    ['actor-strategy --actor unknown', ['actor-strategy', EXPERIMENT, '--actor', 'Chian'], /no actor named Chian .*China/],
    ['actor-strategy --turn outside the turns', ['actor-strategy', EXPERIMENT, '--actor', 'China', '--turn', '9'], /no decision at turn 9 .*turns with decisions are \d+–\d+/],
    ['stats of an unknown run', ['stats', 'run-20251124-09475'], /no run with id run-20251124-09475 .*did you mean run-20251124-094755/],
    ['compare with an unknown run', ['compare', 'run-20251124-094755', 'run-x'], /no run with id run-x/],
    ['evolution --scenario unknown', ['evolution', 'trust_level', '--scenario', 'ai-summitt'], /no scenario named ai-summitt/],
  ];
  for (const [title, args, message] of cases) {
    it(`${title}: exit 1 and the closest names`, () => {
      const result = cli(...args, '--db', db);
      assert.equal(result.code, 1, `${result.stdout}\n${result.stderr}`);
      assert.match(result.stderr, message);
      assert.equal(result.stdout, '', 'no empty table on stdout');
    });
  }

  it('still answers for known names', () => {
    assert.equal(cli('variations', EXPERIMENT, '--metric', 'cooperation_level', '--db', db).code, 0);
    assert.equal(cli('actor-strategy', EXPERIMENT, '--actor', 'China', '--turn', '1', '--db', db).code, 0);
  });

  it('ranks close names first and lists none for a name far from all', () => {
    assert.deepEqual(closestNames('cooperationlevel', ['trust_level', 'cooperation_level', 'tension_index']), ['cooperation_level']);
    assert.deepEqual(closestNames('zzzzzzzz', ['trust_level', 'cooperation_level']), []);
    assert.deepEqual(closestNames('CHINA', ['China', 'Chile']), ['China', 'Chile']);
  });
});
