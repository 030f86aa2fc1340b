#!/usr/bin/env node
// The `rxlab` command. Runs the compiled CLI from out/ (built by `npm ci`/`npm install` through "prepare").
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'out', 'core', 'cli.js');
if (!existsSync(cli)) {
  process.stderr.write(`rxlab: the compiled CLI is missing (${cli}). Run "npm run build" in ${root} first.\n`);
  process.exit(1);
}
const { main } = await import(pathToFileURL(cli).href);
const code = await main(process.argv.slice(2));
// Give stdout a chance to drain before exiting with the command's code.
process.exitCode = code;
