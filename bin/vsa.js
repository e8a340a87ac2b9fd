#!/usr/bin/env node
// Kept tiny: `--version` answers before anything heavy is imported.
import { readFileSync, existsSync } from 'node:fs';

// `vsa … | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${pkg.version}\n`);
  process.exit(0);
}
const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('vsa: not built yet; run `npm run build` in the vsa checkout\n');
  process.exit(5);
}
const { main: run } = await import(main.href);
process.exitCode = await run(args);
