#!/usr/bin/env node
// Sums the JSON results every jest run wrote to reports/jest/*.json and prints one line:
// `tests: N passed, N failed`. Exits non-zero when any test failed, any suite failed to run, or no test ran.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2] ?? 'reports/jest';
let passed = 0;
let failed = 0;
let brokenSuites = 0;
let files = [];
try {
  files = readdirSync(dir).filter((f) => f.endsWith('.json'));
} catch {
  // no results at all: reported below
}
for (const file of files) {
  const result = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  passed += result.numPassedTests;
  failed += result.numFailedTests;
  brokenSuites += result.numRuntimeErrorTestSuites ?? 0;
  if ((result.numRuntimeErrorTestSuites ?? 0) > 0) console.error(`${file}: ${result.numRuntimeErrorTestSuites} suite(s) failed to run`);
}
if (files.length === 0) console.error(`no jest results in ${dir}`);
console.log(`tests: ${passed} passed, ${failed + brokenSuites} failed`);
process.exit(failed > 0 || brokenSuites > 0 || passed === 0 ? 1 : 0);
