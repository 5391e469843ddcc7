import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseActorYaml, parseMetricsYaml, parseScenarioYaml } from '../../../src/core/format/scenarioDefinition';
import { linesOf, readSample, WORKSPACE } from './formatSamples';

const SCENARIOS = ['ai-summit', 'ai-regulatory-negotiation', 'ai-2027'];

describe('scenario definition YAML', () => {
  for (const scenario of SCENARIOS) {
    it(`reads every file of scenarios/${scenario} with no problems`, () => {
      const dir = `scenarios/${scenario}`;
      const scenarioYaml = parseScenarioYaml(readSample(`${dir}/scenario.yaml`), `${dir}/scenario.yaml`);
      assert.deepEqual(scenarioYaml.problems, []);
      assert.ok(scenarioYaml.value);
      const actorFiles = fs.readdirSync(path.join(WORKSPACE, dir, 'actors')).sort();
      const actors = actorFiles.map((name) => parseActorYaml(readSample(`${dir}/actors/${name}`), `${dir}/actors/${name}`));
      assert.deepEqual(actors.flatMap((a) => a.problems), []);
      // Declared short names all have an actor file (the runner loads every file, declared or not).
      const shortNames = actors.map((a) => a.value?.shortName);
      for (const declared of scenarioYaml.value.declaredActors) assert.ok(shortNames.includes(declared), declared);
      const metrics = parseMetricsYaml(readSample(`${dir}/metrics.yaml`), `${dir}/metrics.yaml`);
      assert.deepEqual(metrics.problems, []);
      const text = readSample(`${dir}/metrics.yaml`);
      for (const metric of metrics.value ?? []) {
        assert.match(linesOf(text, metric.span.startLine, metric.span.startLine), new RegExp(`- name: "?${metric.name}"?$`));
        assert.ok(metric.span.endLine >= metric.span.startLine);
      }
    });
  }

  it('reads scenarios/ai-summit', () => {
    const { value } = parseScenarioYaml(readSample('scenarios/ai-summit/scenario.yaml'), 'scenarios/ai-summit/scenario.yaml');
    assert.deepEqual(value, {
      name: 'AI Safety Summit 2026',
      description: 'Four major powers negotiate a post-Bletchley framework for frontier AI safety: evaluations, incident reporting and compute governance.',
      plannedTurns: 4,
      turnDuration: '1 week',
      declaredActors: ['china', 'eu', 'united-kingdom', 'united-states'],
      span: { file: 'scenarios/ai-summit/scenario.yaml', startLine: 1, endLine: 30 },
    });
    const actor = parseActorYaml(readSample('scenarios/ai-summit/actors/united-states.yaml'), 'us.yaml').value;
    assert.deepEqual(actor && [actor.name, actor.shortName, actor.model], ['United States', 'united-states', 'openai/gpt-4o']);
  });

  it('reads the V2 metric definitions of scenarios/ai-summit, keeping regexes verbatim', () => {
    const { value } = parseMetricsYaml(readSample('scenarios/ai-summit/metrics.yaml'), 'metrics.yaml');
    assert.ok(value);
    assert.deepEqual(value.map((m) => m.name), ['cooperation_level', 'trust_level', 'tension_index', 'safety_commitments', 'agreement_reached', 'concessions_made']);
    const [cooperation, trust, , safety, agreement] = value;
    assert.deepEqual({ ...cooperation, span: undefined }, {
      name: 'cooperation_level',
      description: 'Overall level of cooperation between the parties (0-10)',
      type: 'continuous',
      unit: 'score',
      range: [0, 10],
      categories: undefined,
      extractionType: 'pattern',
      pattern: 'cooperation level:\\s*(\\d+(?:\\.\\d+)?)',
      keywords: undefined,
      actorSpecific: false,
      warningThreshold: 3,
      criticalThreshold: 1.5,
      span: undefined,
    });
    assert.deepEqual(cooperation.span, { file: 'metrics.yaml', startLine: 3, endLine: 13 });
    assert.equal(trust.pattern, 'trust level:\\s*(\\d+(?:\\.\\d+)?)');
    assert.equal(trust.actorSpecific, true);
    assert.deepEqual(safety.keywords, ['commit', 'pledge', 'safeguard']);
    assert.equal(agreement.type, 'boolean');
    assert.deepEqual(agreement.keywords, ['joint communiqué was released', 'agreed on a']);
  });

  it('reads categories of scenarios/ai-regulatory-negotiation', () => {
    const { value } = parseMetricsYaml(readSample('scenarios/ai-regulatory-negotiation/metrics.yaml'), 'metrics.yaml');
    const stage = value?.find((m) => m.name === 'negotiation_stage');
    assert.deepEqual(stage?.categories, ['exploratory', 'drafting', 'final_text', 'ratification']);
    assert.equal(stage?.pattern, 'negotiation stage:\\s*(exploratory|drafting|final_text|ratification)');
    assert.equal(value?.length, 8);
  });

  it('reads the hand-written scenarios/ai-2027 (read from the shared samples, never copied)', () => {
    const dir = 'scenarios/ai-2027';
    const { value } = parseScenarioYaml(readSample(`${dir}/scenario.yaml`), `${dir}/scenario.yaml`);
    assert.equal(value?.name, 'AI 2027: Race to Superintelligence');
    assert.equal(value?.plannedTurns, 66);
    assert.equal(value?.turnDuration, '1 month');
    assert.equal(value?.declaredActors.length, 7);
    const metrics = parseMetricsYaml(readSample(`${dir}/metrics.yaml`), `${dir}/metrics.yaml`).value;
    assert.equal(metrics?.length, 10);
    assert.deepEqual(metrics?.at(-1)?.categories, ['race_ending', 'slowdown_ending', 'uncertain']);
    assert.equal(metrics?.at(-1)?.extractionType, 'keyword');
    assert.equal(metrics?.[0].range?.[1], 10);
  });

  it('ignores V1 and intermediate metric definitions with an info problem', () => {
    const v1 = 'metrics:\n  budget_spent:\n    extraction_type: pattern\n    pattern: \'\\$(\\d+)\'\n';
    const intermediate = 'metrics:\n- name: x\n  extraction: {type: regex, patterns: [a]}\n';
    for (const text of [v1, intermediate, 'something: else\n']) {
      const { value, problems } = parseMetricsYaml(text, 'scenarios/old/metrics.yaml');
      assert.deepEqual(value, []);
      assert.deepEqual(problems.map((p) => [p.severity, p.message]), [['info', 'metrics.yaml: metric definitions in an older format are not used']]);
    }
  });

  it('reads YAML 1.1 booleans like PyYAML and lets a repeated key win', () => {
    const { value, problems } = parseMetricsYaml('metrics:\n- name: a\n  type: boolean\n  actor_specific: yes\n  extraction: {type: manual}\n  type: continuous\n', 'm.yaml');
    assert.deepEqual(problems, []);
    assert.equal(value?.[0].actorSpecific, true);
    assert.equal(value?.[0].type, 'continuous');
  });

  it('reports broken YAML at its line and wrong shapes without throwing', () => {
    const broken = parseScenarioYaml('name: x\nactors: [a,\nturns: 4\n', 'scenario.yaml');
    assert.equal(broken.value, undefined);
    assert.ok(broken.problems.length > 0 && broken.problems.every((p) => p.severity === 'error'));
    assert.match(broken.problems[0].message, /^scenario\.yaml is not valid YAML: /);
    assert.ok(broken.problems[0].line >= 2);
    assert.equal(parseScenarioYaml('- a\n- b\n', 'scenario.yaml').value, undefined);
    assert.equal(parseActorYaml('short_name: x\n', 'actors/x.yaml').value, undefined);
    const actor = parseActorYaml('name: "Côte d\'Ivoire"\nshort_name: civ\n', 'actors/civ.yaml');
    assert.deepEqual(actor.value && [actor.value.name, actor.value.model], ["Côte d'Ivoire", 'openai/gpt-4o-mini']);
    const scenario = parseScenarioYaml('name: 2027\nturns: four\n', 'scenario.yaml');
    assert.equal(scenario.value?.name, '');
    assert.equal(scenario.value?.plannedTurns, undefined);
    assert.ok(scenario.problems.every((p) => p.severity === 'warning'));
    assert.deepEqual(parseMetricsYaml('', 'metrics.yaml'), { value: [], problems: [] });
  });
});
