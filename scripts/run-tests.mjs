// `npm test`: type-check every process, lint, build, run the unit/integration tests (Vitest) and
// the end-to-end tests (Playwright in Chromium), then print one line: `N passed, N failed, N skipped`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const cache = join(root, '.cache');
mkdirSync(cache, { recursive: true });

let passed = 0;
let failed = 0;
let skipped = 0;

function step(title, command, args) {
  console.log(`\n=== ${title}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  return result.status === 0;
}

function check(title, command, args) {
  if (step(title, command, args)) passed++;
  else {
    failed++;
    console.log(`FAILED: ${title}`);
  }
}

check('type-check (main, worker, preload, renderer, tests)', bin('tsc'), ['-b', 'tsconfig.json']);
check('lint (ESLint)', bin('eslint'), ['.']);
check('format (Prettier)', bin('prettier'), ['--check', '.']);
check('build renderer (Vite)', bin('vite'), ['build', '--config', 'vite.config.mts', '--logLevel', 'warn']);

const vitestReport = join(cache, 'vitest.json');
rmSync(vitestReport, { force: true });
step('unit and integration tests (Vitest)', bin('vitest'), [
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${vitestReport}`,
]);
if (existsSync(vitestReport)) {
  const report = JSON.parse(readFileSync(vitestReport, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests + (report.numFailedTestSuites > 0 && report.numFailedTests === 0 ? 1 : 0);
  skipped += report.numPendingTests + report.numTodoTests;
} else {
  failed++;
  console.log('FAILED: Vitest wrote no report');
}

const playwrightReport = join(cache, 'playwright.json');
rmSync(playwrightReport, { force: true });
step('end-to-end tests (Playwright, Chromium)', bin('playwright'), ['test']);
if (existsSync(playwrightReport)) {
  const { stats } = JSON.parse(readFileSync(playwrightReport, 'utf8'));
  passed += stats.expected + stats.flaky;
  failed += stats.unexpected;
  skipped += stats.skipped;
} else {
  failed++;
  console.log('FAILED: Playwright wrote no report');
}

console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
