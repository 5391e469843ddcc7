// Times the analytics call behind `scenario-lab variations <experiment> --metric M` on an index that
// is already loaded (what the CLI does after opening it). Needs `npx tsc -p .` (runs from out/).
//   node scripts/time-variations.js <index.db> <experiment> <metric>
const path = require('node:path');
const { openScenarioIndex } = require(path.join(__dirname, '..', 'out', 'src', 'core', 'scenarioIndex'));

(async () => {
  const [file, experiment, metric] = process.argv.slice(2);
  const index = await openScenarioIndex(file, { readOnly: true });
  const times = [];
  for (let i = 0; i < 11; i++) {
    const started = process.hrtime.bigint();
    await index.analytics.variationStatistics(experiment, { metric });
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  const warm = times.slice(1).sort((a, b) => a - b);
  console.log(`first call ${times[0].toFixed(1)} ms; next 10: median ${warm[5].toFixed(1)} ms, max ${warm[9].toFixed(1)} ms`);
  await index.close();
})();
