// `npm test`'s last step: the real-cluster Slurm tests (core/sweep/slurm.test.ts, about two minutes,
// most of it waiting on the scheduler) run beside the end-to-end specs instead of before them, which
// kept CI near its 15-minute limit. The specs print as they go; the Slurm tests' output is held and
// printed whole when they end, so the two do not interleave. Exit status: the first failure's.
import { spawn } from 'node:child_process';

const [quiet, loud] = process.argv.slice(2);
if (!quiet || !loud) {
  process.stderr.write('usage: node scripts/run-both.js NPM_SCRIPT_HELD NPM_SCRIPT_LIVE\n');
  process.exit(2);
}
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const run = (script, live) =>
  new Promise((resolve) => {
    const held = [];
    const child = spawn(npm, ['run', '--silent', script], { stdio: ['ignore', live ? 'inherit' : 'pipe', live ? 'inherit' : 'pipe'] });
    if (!live) {
      child.stdout.on('data', (d) => held.push(d));
      child.stderr.on('data', (d) => held.push(d));
    }
    child.on('close', (code, signal) => {
      if (!live) process.stdout.write(Buffer.concat([Buffer.from(`\n── npm run ${script} (ran beside npm run ${loud}) ──\n`), ...held]));
      resolve(code ?? (signal ? 1 : 0));
    });
  });
const codes = await Promise.all([run(quiet, false), run(loud, true)]);
process.exit(codes.find((c) => c !== 0) ?? 0);
