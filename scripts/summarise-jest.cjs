// Prints skipped tests by name, then the plain closing line CI reads.
const fs = require('node:fs');
const file = process.argv[2];
if (!fs.existsSync(file)) {
  console.log('tests: 0 passed, 1 failed');
  console.error(`no jest results at ${file}: jest did not finish`);
  process.exit(1);
}
const results = JSON.parse(fs.readFileSync(file, 'utf8'));
const skipped = [];
for (const suite of results.testResults) {
  for (const test of suite.assertionResults) {
    if (test.status === 'pending' || test.status === 'skipped' || test.status === 'todo') skipped.push(test.fullName);
  }
  if (suite.status === 'failed' && suite.assertionResults.length === 0) {
    console.error(`suite failed to run: ${suite.name}\n${suite.message}`);
  }
}
if (skipped.length > 0) {
  console.log(`skipped (${skipped.length}):`);
  for (const name of skipped) console.log(`  - ${name}`);
}
const failedSuites = results.numFailedTestSuites - results.testResults.filter((s) => s.assertionResults.some((t) => t.status === 'failed')).length;
const failed = results.numFailedTests + Math.max(0, failedSuites);
const line = `tests: ${results.numPassedTests} passed, ${failed} failed` + (skipped.length > 0 ? `, ${skipped.length} skipped` : '');
console.log(line);
process.exit(failed > 0 || results.numTotalTests === 0 ? 1 : 0);
