import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { generateSampleWorkspace, sampleWorkspaceFiles, type GeneratedRun, type SampleOptions } from '../../../src/tools/samples/sampleWorkspace';

// The checks below re-implement the reading rules of docs/format.md#a-run-folder with plain regexes, so
// they test the generator against the spec and not against its own code.

const OPTIONS: Partial<SampleOptions> = { runs: 8, turns: 4, actors: 5, scenarios: 2, seed: 'unit', batchRunsPerVariation: 1 };
const { files, summary } = sampleWorkspaceFiles(OPTIONS);

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

function file(p: string): string {
  const text = files.get(p);
  assert.ok(text !== undefined, `missing ${p}`);
  return text;
}

function json(p: string): Json {
  return JSON.parse(file(p));
}

function runFiles(run: GeneratedRun): string[] {
  return [...files.keys()].filter((p) => p.startsWith(`${run.path}/`)).map((p) => p.slice(run.path.length + 1)).sort();
}

const pad = (n: number): string => String(n).padStart(3, '0');
const slug = (name: string): string => name.toLowerCase().replaceAll(' ', '-');

/** docs/format.md#decisions (layout b) parsing rules. */
function parsePersistence(text: string): { actor: string; turn: number; goals: string[]; reasoning: string; action: string; timestamp: string } {
  const title = /^# (.*) - Turn (\d+)$/m.exec(text.split('\n')[0]);
  assert.ok(title, 'title line');
  const goalsStart = text.indexOf('## Goals\n') + '## Goals\n'.length;
  const reasoningAt = text.indexOf('\n\n## Reasoning\n', goalsStart - 1);
  const goalsBlock = text.slice(goalsStart, Math.max(goalsStart, reasoningAt));
  const goals = goalsBlock === '' ? [] : goalsBlock.split('\n').map((l) => l.replace(/^- /, ''));
  const afterReasoning = text.slice(reasoningAt + '\n\n## Reasoning\n'.length);
  const actionAt = afterReasoning.indexOf('\n\n## Action\n');
  const reasoning = afterReasoning.slice(0, actionAt);
  const rest = afterReasoning.slice(actionAt + '\n\n## Action\n'.length);
  const footer = /\n\n\*Decision made at (\S+)\*$/.exec(rest);
  assert.ok(footer, 'footer line');
  return { actor: title[1], turn: Number(title[2]), goals, reasoning, action: rest.slice(0, footer.index), timestamp: footer[1] };
}

/** docs/format.md#decisions (layout a) template, read back with one regex. */
function parseDecisionPhase(text: string): { actor: string; turn: number; goalsText: string; reasoning: string; action: string } {
  const m = /^# (.*) - Turn (\d+)\n\n\*Decision made at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\*\n\n## Goals\n\n([\s\S]*?)\n\n## Reasoning\n\n([\s\S]*?)\n\n## Action\n\n([\s\S]*)\n$/.exec(text);
  assert.ok(m, 'decision-phase layout');
  return { actor: m[1], turn: Number(m[2]), goalsText: m[3], reasoning: m[4], action: m[5] };
}

/** docs/format.md#world-state: the world state after turn k. */
function worldStateAfter(run: GeneratedRun, k: number): string {
  if (k === run.lastTurn) return json(`${run.path}/scenario-state.json`).world_state.content;
  const text = file(`${run.path}/world-state-${pad(k - 1)}.md`);
  const start = text.indexOf('\n## Current Situation\n\n') + '\n## Current Situation\n\n'.length;
  return text.slice(start, text.indexOf('\n\n## Key Changes This Turn\n\n', start));
}

/** Metric pattern rule (docs/format.md#metric-definitions): case-insensitive, last match, first non-empty group. */
function extract(text: string, pattern: string): string | undefined {
  const matches = [...text.matchAll(new RegExp(pattern, 'gi'))];
  if (matches.length === 0) return undefined;
  const last = matches[matches.length - 1];
  return last.slice(1).find((g) => g) ?? last[0];
}

const normalRuns = summary.runs.filter((r) => r.path.startsWith('output/'));
const batchRuns = summary.runs.filter((r) => r.path.startsWith('experiments/'));

describe('samples/sampleWorkspace', () => {
  it('is deterministic: the same options give byte-identical folders, another seed does not', () => {
    const hashDir = (dir: string): string => {
      const hash = createHash('sha256');
      const walk = (d: string): void => {
        for (const name of readdirSync(d).sort()) {
          const p = path.join(d, name);
          if (statSync(p).isDirectory()) walk(p);
          else hash.update(path.relative(dir, p)).update('\0').update(readFileSync(p)).update('\0');
        }
      };
      walk(dir);
      return hash.digest('hex');
    };
    const writeTo = (dir: string, options: Partial<SampleOptions>): void => {
      generateSampleWorkspace(options, (p, content) => {
        mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
        writeFileSync(path.join(dir, p), content);
      });
    };
    const root = mkdtempSync(path.join(tmpdir(), 'samples-'));
    try {
      writeTo(path.join(root, 'a'), OPTIONS);
      writeTo(path.join(root, 'b'), OPTIONS);
      writeTo(path.join(root, 'c'), { ...OPTIONS, seed: 'other' });
      assert.equal(hashDir(path.join(root, 'a')), hashDir(path.join(root, 'b')));
      assert.notEqual(hashDir(path.join(root, 'a')), hashDir(path.join(root, 'c')));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('gives the same files when generated in shards (the CLI\'s worker threads)', () => {
    const sharded = new Map<string, string>();
    for (let index = 0; index < 3; index++) {
      generateSampleWorkspace(OPTIONS, (p, content) => {
        assert.ok(!sharded.has(p), `${p} written by two shards`);
        sharded.set(p, content);
      }, { index, count: 3 });
    }
    assert.deepEqual([...sharded.keys()].sort(), [...files.keys()].sort());
    for (const [p, content] of sharded) assert.equal(content, files.get(p), p);
  });

  it('gives runs distinct, non-overlapping time spans in run order', () => {
    const spans = normalRuns.map((r) => {
      const state = json(`${r.path}/scenario-state.json`);
      const stamps = [state.started_at, ...state.costs.map((c: Json) => c.timestamp), ...state.metrics.map((m: Json) => m.timestamp)].sort();
      return [stamps[0], stamps[stamps.length - 1]];
    });
    for (let i = 1; i < spans.length; i++) assert.ok(spans[i - 1][1] < spans[i][0], `run ${i - 1} ends before run ${i} starts`);
    assert.equal(new Set(normalRuns.map((r) => r.runId)).size, normalRuns.length);
  });

  it('produces every run kind, numbered per scenario, plus the batch runs', () => {
    assert.equal(normalRuns.length, 8);
    assert.deepEqual(new Set(normalRuns.map((r) => r.kind)), new Set(['completed', 'interrupted', 'halted', 'finished-running']));
    assert.deepEqual(normalRuns.slice(0, 4).map((r) => r.path), [
      'output/ai-summit/run-001', 'output/ai-regulatory-negotiation/run-001', 'output/ai-summit/run-002', 'output/ai-regulatory-negotiation/run-002',
    ]);
    assert.equal(batchRuns.length, 2);
    for (const r of summary.runs) {
      const state = json(`${r.path}/scenario-state.json`);
      assert.equal(state.turn, r.lastTurn);
      assert.equal(state.status, r.status);
      assert.equal(state.run_id, r.runId);
      assert.match(r.runId, /^run-\d{8}-\d{6}$/);
    }
  });

  it('writes JSON like Python json.dump(indent=2): parseable, ASCII only, no trailing newline', () => {
    for (const [p, text] of files) {
      if (!p.endsWith('.json')) continue;
      JSON.parse(text);
      assert.ok(/^[\x20-\x7e\n]*$/.test(text), `${p} is not ASCII`);
      assert.ok(!text.endsWith('\n'), `${p} ends with a newline`);
    }
    assert.match(file(`${normalRuns[0].path}/costs.json`), /^\{\n {2}"total_cost": \d\.\d+(e-\d\d)?,\n {2}"by_actor": \{\n {4}"/);
  });

  it('has the file set of docs/format.md#a-run-folder for every run: both decision formats, the world-state off-by-one, channel files', () => {
    for (const run of summary.runs) {
      const state = json(`${run.path}/scenario-state.json`);
      const actors = Object.values(state.actors) as Json[];
      const names = runFiles(run);
      const expected = new Set(['costs.json', 'metrics.json', 'scenario-state.json', 'scenario-state-v2.json']);
      for (let t = 1; t <= run.lastTurn; t++) {
        expected.add(`world-state-${pad(t - 1)}.md`);
        for (const a of actors) {
          expected.add(`${slug(a.name)}-${pad(t)}.md`);
          expected.add(`${a.short_name}-${pad(t)}.md`);
        }
      }
      expected.add(`world-state-${pad(run.lastTurn)}.md`);
      const partial = names.filter((n) => n.endsWith(`-${pad(run.lastTurn + 1)}.md`));
      assert.equal(partial.length > 0, run.partialTurn !== undefined, `${run.path}: leftovers only for interrupted runs`);
      for (const n of partial) expected.add(n);
      const channels = names.filter((n) => /^(bilateral|coalition)-/.test(n));
      assert.deepEqual(names, [...new Set([...expected, ...channels])].sort(), run.path);

      for (let t = 1; t <= run.lastTurn; t++) {
        const formatted = file(`${run.path}/world-state-${pad(t - 1)}.md`);
        assert.ok(formatted.startsWith(`# World State - Turn ${t - 1}\n\n*Updated at `), 'formatted title says t-1');
        assert.ok(formatted.endsWith('```\n\n</details>\n'));
      }
      const raw = file(`${run.path}/world-state-${pad(run.lastTurn)}.md`);
      assert.equal(raw, state.world_state.content, 'the raw file holds the state after the last turn');
      if (run.lastTurn > 1) assert.equal(worldStateAfter(run, run.lastTurn), raw);
      assert.ok(raw.startsWith(`By the end of turn ${run.lastTurn},`));
      for (let k = 1; k < run.lastTurn; k++) assert.ok(worldStateAfter(run, k).startsWith(`By the end of turn ${k},`), `state after ${k}`);
    }
  });

  it('leaves only decision-phase files (format a) and channel files for the interrupted turn', () => {
    const interrupted = summary.runs.filter((r) => r.partialTurn !== undefined);
    assert.ok(interrupted.length > 0);
    for (const run of interrupted) {
      const state = json(`${run.path}/scenario-state.json`);
      const shortNames = new Set((Object.values(state.actors) as Json[]).map((a) => a.short_name));
      for (const n of runFiles(run).filter((x) => x.endsWith(`-${pad(run.partialTurn!)}.md`))) {
        if (/^(bilateral|coalition)-/.test(n)) continue;
        assert.ok(shortNames.has(n.replace(/-\d{3,}\.md$/, '')), `${n} is named by short_name`);
        assert.equal(parseDecisionPhase(file(`${run.path}/${n}`)).turn, run.partialTurn);
      }
      assert.equal(state.status, 'running');
      assert.equal(state.completed_at, null);
      assert.ok(!state.communications.some((c: Json) => c.turn > run.lastTurn), 'the failed turn is in no JSON');
    }
  });

  it('writes the state files with the keys of docs/format.md#state-file and #state-file-v2 and the last turn\'s decisions', () => {
    for (const run of summary.runs) {
      const state = json(`${run.path}/scenario-state.json`);
      const v2 = json(`${run.path}/scenario-state-v2.json`);
      assert.deepEqual(Object.keys(state), [
        'scenario_id', 'scenario_name', 'run_id', 'status', 'scenario_config', 'turn', 'current_phase', 'world_state', 'actors',
        'communications', 'decisions', 'metrics', 'costs', 'started_at', 'completed_at', 'error', 'metadata', 'total_cost',
      ]);
      assert.deepEqual(Object.keys(v2), [
        'version', 'scenario_id', 'scenario_name', 'run_id', 'turn', 'status', 'scenario_config', 'world_state', 'actors',
        'decisions', 'communications', 'costs', 'metrics', 'metadata',
      ]);
      assert.equal(v2.turn, state.turn);
      assert.equal(state.current_phase, 'persistence');
      assert.equal(state.error, run.kind === 'halted' ? 'Manual stop requested' : null);
      assert.equal(state.completed_at === null, run.status === 'running');
      for (const a of Object.values(state.actors) as Json[]) {
        assert.deepEqual(Object.keys(a), ['name', 'short_name', 'model', 'current_goals', 'recent_decisions', 'private_information', 'metadata']);
        assert.deepEqual(a.recent_decisions.map((d: Json) => d.turn), Array.from({ length: Math.min(5, run.lastTurn) }, (_, i) => run.lastTurn - Math.min(5, run.lastTurn) + 1 + i));
      }
      for (const d of Object.values(state.decisions) as Json[]) {
        assert.equal(d.turn, state.turn);
        assert.deepEqual(Object.keys(d), ['actor', 'turn', 'goals', 'reasoning', 'action', 'timestamp', 'metadata']);
      }
      assert.deepEqual(Object.keys(state.decisions), Object.keys(state.actors));
      for (const m of v2.metrics) assert.deepEqual(Object.keys(m), ['turn', 'name', 'value', 'actor', 'timestamp']);
      for (const m of state.metrics) assert.deepEqual(Object.keys(m), ['name', 'value', 'turn', 'timestamp', 'metadata']);
      assert.deepEqual(json(`${run.path}/metrics.json`), state.metrics);
      assert.match(state.started_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?$/);
    }
  });

  it('writes cumulative costs with null-actor world_update (and qa_validation) records', () => {
    for (const run of summary.runs) {
      const costs = json(`${run.path}/costs.json`);
      const state = json(`${run.path}/scenario-state.json`);
      const records = costs.records as Json[];
      assert.equal(records.filter((r) => r.phase === 'world_update' && r.actor === null).length, run.lastTurn);
      const qa = records.filter((r) => r.phase === 'qa_validation');
      assert.ok(qa.length === 0 || qa.length === run.lastTurn);
      assert.equal(records.filter((r) => r.phase === 'decision').length, run.lastTurn * run.actors);
      assert.equal(costs.total_cost, records.reduce((s, r) => s + r.cost, 0));
      assert.deepEqual(Object.keys(costs.by_actor), Object.keys(state.actors));
      assert.equal(state.total_cost, costs.total_cost);
      assert.deepEqual(state.costs.map((c: Json) => { const { metadata, ...rest } = c; return rest; }), records);
      const timestamps = records.map((r) => r.timestamp);
      assert.deepEqual([...timestamps].sort(), timestamps, 'records in creation order');
    }
  });

  it('round-trips every decision: markdown (both formats) parses back to the JSON values', () => {
    let compared = 0;
    for (const run of summary.runs) {
      const state = json(`${run.path}/scenario-state.json`);
      const v2 = json(`${run.path}/scenario-state-v2.json`);
      for (const a of Object.values(state.actors) as Json[]) {
        for (const d of a.recent_decisions as Json[]) {
          const parsed = parsePersistence(file(`${run.path}/${slug(a.name)}-${pad(d.turn)}.md`));
          assert.deepEqual(parsed, { actor: d.actor, turn: d.turn, goals: d.goals, reasoning: d.reasoning, action: d.action, timestamp: d.timestamp });
          if (a.short_name !== slug(a.name)) {
            const phase = parseDecisionPhase(file(`${run.path}/${a.short_name}-${pad(d.turn)}.md`));
            assert.deepEqual(phase, { actor: d.actor, turn: d.turn, goalsText: d.goals.join('\n'), reasoning: d.reasoning, action: d.action });
          }
          compared++;
        }
        const last = parsePersistence(file(`${run.path}/${slug(a.name)}-${pad(run.lastTurn)}.md`));
        assert.deepEqual(v2.decisions[a.name], { actor: last.actor, turn: last.turn, goals: last.goals, reasoning: last.reasoning, action: last.action });
      }
    }
    assert.ok(compared > 100);
  });

  it('uses names with punctuation and Unicode, and short names that differ from slugs', () => {
    const names = new Set(summary.runs.flatMap((r) => Object.keys(json(`${r.path}/scenario-state.json`).actors)));
    assert.ok([...names].some((n) => /[^\x00-\x7f]/.test(n)), 'a non-ASCII name');
    assert.ok([...names].some((n) => n.includes("'")), 'an apostrophe');
    assert.ok([...files.keys()].some((p) => p.includes("l'oréal-group-001.md") || p.includes("côte-d'ivoire-001.md")));
  });

  it('writes one channel file per participant set and turn, participants in code-point order, public messages only in JSON', () => {
    let channels = 0;
    let publics = 0;
    for (const run of summary.runs) {
      const state = json(`${run.path}/scenario-state.json`);
      for (const t of Array.from({ length: run.lastTurn }, (_, i) => i + 1)) {
        const comms = (state.communications as Json[]).filter((c) => c.turn === t);
        publics += comms.filter((c) => c.type === 'public').length;
        const groups = new Map<string, Json[]>();
        for (const c of comms.filter((x) => x.type !== 'public')) {
          const participants = [...new Set([c.sender, ...c.recipients] as string[])].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
          const name = `${c.type}-${participants.join('-')}-${pad(t)}.md`;
          groups.set(name, [...(groups.get(name) ?? []), c]);
        }
        const onDisk = runFiles(run).filter((n) => /^(bilateral|coalition)-/.test(n) && n.endsWith(`-${pad(t)}.md`));
        assert.deepEqual(onDisk, [...groups.keys()].sort(), `${run.path} turn ${t}`);
        for (const [name, messages] of groups) {
          const text = file(`${run.path}/${name}`);
          const participants = /\*\*Participants:\*\* (.*)\n/.exec(text)![1];
          assert.equal(name, `${name.split('-')[0]}-${participants.split(', ').join('-')}-${pad(t)}.md`);
          assert.deepEqual([...text.matchAll(/^### (.*)\n\n([^\n]*)\n\n---\n/gm)].map((m) => [m[1], m[2]]), messages.map((c) => [c.sender, c.content]));
          channels++;
        }
      }
    }
    assert.ok(channels > 5, 'some channel files');
    assert.ok(publics > 0, 'some public statements');
  });

  it('records metric values that the metric patterns extract from the text they point to', () => {
    let checked = 0;
    for (const run of summary.runs) {
      const state = json(`${run.path}/scenario-state.json`);
      const definitions = files.has(`scenarios/${run.scenarioDir}/metrics.yaml`)
        ? (YAML.parse(file(`scenarios/${run.scenarioDir}/metrics.yaml`)).metrics as Json[])
        : [];
      const byName = new Map(definitions.map((m) => [m.name, m]));
      const decisionOf = (actor: string, turn: number): Json => {
        const a = state.actors[actor];
        return parsePersistence(file(`${run.path}/${slug(a.name)}-${pad(turn)}.md`));
      };
      for (const record of state.metrics as Json[]) {
        const def = byName.get(record.name);
        assert.ok(def, `${record.name} is defined`);
        const md = record.metadata;
        if (md.extraction_type === 'pattern') {
          assert.equal(md.pattern, def.extraction.pattern);
          const sources = md.actor === null
            ? [worldStateAfter(run, record.turn)]
            : [decisionOf(md.actor, record.turn).reasoning, decisionOf(md.actor, record.turn).action];
          const raws = sources.map((s) => extract(s, md.pattern)).filter((x) => x !== undefined);
          assert.ok(raws.includes(md.raw_value), `${record.name} turn ${record.turn}: ${md.raw_value} in text`);
          const expected = def.type === 'categorical' ? def.categories.indexOf(md.raw_value) : Number(md.raw_value);
          assert.equal(record.value, expected);
          checked++;
        } else if (md.extraction_type === 'keyword') {
          const text = worldStateAfter(run, record.turn).toLowerCase();
          const found = (def.extraction.keywords as string[]).filter((k) => text.includes(k.toLowerCase()));
          for (const k of found) assert.equal(text.split(k.toLowerCase()).length - 1, 1, `"${k}" occurs once`);
          assert.deepEqual(md.matches, found);
          assert.equal(record.value, def.extraction.scoring === 'presence' ? Number(found.length > 0) : found.length);
        }
      }
      // Each actor's trust statement: one record from the reasoning, a second one when the action repeats it.
      if (byName.has('trust_level')) {
        for (let t = 1; t <= run.lastTurn; t++) {
          for (const a of Object.keys(state.actors)) {
            const n = (state.metrics as Json[]).filter((m) => m.name === 'trust_level' && m.turn === t && m.metadata.actor === a).length;
            const d = decisionOf(a, t);
            assert.equal(n, [d.reasoning, d.action].filter((s: string) => /trust level:/i.test(s)).length);
          }
        }
      }
      const v2 = json(`${run.path}/scenario-state-v2.json`);
      assert.deepEqual(v2.metrics.map((m: Json) => m.actor !== null), state.metrics.map((m: Json) => m.metadata.extraction_type === 'manual'));
    }
    assert.ok(checked > 100);
  });

  it('writes scenario definitions whose YAML matches the scenario_config of the runs', () => {
    for (const run of summary.runs) {
      const yaml = YAML.parse(file(`scenarios/${run.scenarioDir}/scenario.yaml`));
      const config = json(`${run.path}/scenario-state.json`).scenario_config;
      for (const [key, value] of Object.entries(yaml)) assert.deepEqual(config[key], value, key);
      const state = json(`${run.path}/scenario-state.json`);
      assert.deepEqual(Object.values(state.actors).map((a: Json) => a.short_name), yaml.actors);
      for (const short of yaml.actors) {
        const actor = YAML.parse(file(`scenarios/${run.scenarioDir}/actors/${short}.yaml`));
        assert.equal(actor.short_name, short);
        assert.match(short, /^[a-z0-9-]+$/);
        assert.ok(state.actors[actor.name]);
      }
    }
  });

  it('writes a batch experiment whose parallel runs share run ids', () => {
    const dir = 'experiments/model-comparison';
    const batchState = json(`${dir}/batch-state.json`);
    const batchCosts = json(`${dir}/batch-costs.json`);
    const batchSummary = json(`${dir}/batch-summary.json`);
    const config = YAML.parse(file(`${dir}/batch-config.yaml`));
    assert.deepEqual(Object.keys(config), [...Object.keys(config)].sort(), 'batch-config.yaml keys are sorted');
    assert.deepEqual([...batchState.completed_runs].sort(), ['var-001-run-001', 'var-002-run-001']);
    assert.deepEqual(batchRuns.map((r) => r.path).sort(), [`${dir}/runs/var-001-run-001`, `${dir}/runs/var-002-run-001`]);
    assert.equal(new Set(batchRuns.map((r) => r.runId)).size, 1, 'one wave of two parallel runs');
    assert.equal(batchCosts.summary.total_spent, batchCosts.run_costs.reduce((s: number, r: Json) => s + r.cost, 0));
    assert.deepEqual(batchSummary.cost_summary, batchCosts.summary);
    const varied = config.variations[0];
    for (const [i, model] of (varied.values as string[]).entries()) {
      const state = json(`${dir}/runs/var-00${i + 1}-run-001/scenario-state.json`);
      const actor = (Object.values(state.actors) as Json[]).find((a) => a.short_name === varied.actor);
      assert.equal(actor.model, model);
    }
  });
});
