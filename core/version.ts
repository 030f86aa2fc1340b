import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { appRoot } from './paths.js';

/** The app version recorded in every run's provenance (from package.json, so it cannot drift). */
export const APP_VERSION: string = (
  JSON.parse(readFileSync(join(appRoot(), 'package.json'), 'utf8')) as { version: string }
).version;
