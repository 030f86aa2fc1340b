// ESLint: typescript-eslint + eslint-plugin-svelte, plus the layering rules of the architecture:
// core/ imports no electron, DOM or renderer code; renderer/ imports only types from core/contract;
// model code never sees the paper's numbers.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';

const paperOnlyInReference = {
  group: ['**/reference/paper*'],
  message: 'Model code must not see the paper’s numbers: simulated figures come from events and named costs (core/reference/paper.ts is for reproduce, calibration and tests).',
};

export default tseslint.config(
  { ignores: ['out/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'build/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      'no-console': 'off',
    },
  },
  {
    files: ['core/**/*.ts'],
    ignores: ['core/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'core/ must not import electron: it runs under Node, in workers and in the CLI.' }],
          patterns: [
            { group: ['**/renderer/**', 'svelte', 'svelte/*', 'plotly.js-dist'], message: 'core/ must not import renderer or DOM code.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'localStorage', 'sessionStorage'],
    },
  },
  {
    files: ['core/sim/model/**/*.ts', 'core/sim/engine/**/*.ts', 'core/sim/run.ts', 'core/sim/params.ts', 'core/sim/systems.ts', 'core/sim/types.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'core/ must not import electron.' }], patterns: [paperOnlyInReference] }],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.svelte'],
    languageOptions: { globals: { ...globals.browser }, parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/core/**', '!**/core/contract', '!**/core/contract/**'],
              message: 'renderer/ may import only types from core/contract; everything else goes through lib/api.ts.',
            },
            // Seventeen exceptions, all pure, dependency-free code the notebook and the backend must share, so
            // the renderer imports them as values: core/contract/csv.ts (CSV quoting for downloads and
            // exports), core/contract/limits.ts (size limits, checked before a file is sent),
            // core/contract/ids.ts (id lists as the Compare cell reads them),
            // core/contract/paper-points.ts (where the paper's systems sit on a sweep; numbers passed in)
            // core/contract/over-time.ts (imported runs' time series, for the cell and the report),
            // core/contract/sim-over-time.ts (traced simulated runs' seeds averaged, likewise),
            // core/contract/welch.ts (simulated against measured with a Welch interval; quantile passed in),
            // core/contract/latency-cdf.ts (netperf -v 2 histograms as distributions, likewise),
            // core/contract/multipliers.ts (fitted multipliers in words, as the CLI and the report print them; their names and the profile's defaults),
            // core/contract/units.ts (throughput units to Mbit/s, as the backend's measured tables read them),
            // core/contract/udp-received.ts (what a UDP_STREAM run's receiver got, beside the sender's rate),
            // core/contract/stable-json.ts (key-sorted JSON: the run cache's keys, and the Compare cell's run groups),
            // core/contract/templates.ts (the ready-made notebooks' names and titles, as the CLI creates them),
            // core/contract/metric-labels.ts (metric labels and units, as the notebook and the PDF report print them),
            // core/contract/chart-colors.ts (the series palette and the Compare chart's colours, on screen and on paper),
            // core/contract/display-number.ts (a record's number without float noise, as the Import cell and the report print it) and
            // core/contract/interval-text.ts (a mean ± half-width rounded as the notebook and the report print it).
            // (A gitignore-style group cannot re-include a file under a matched directory, so the bare
            // "core/contract" import is a separate regex.)
            {
              group: ['**/core/contract/**', '!**/core/contract/csv.js', '!**/core/contract/limits.js', '!**/core/contract/ids.js', '!**/core/contract/paper-points.js', '!**/core/contract/over-time.js', '!**/core/contract/sim-over-time.js', '!**/core/contract/welch.js', '!**/core/contract/latency-cdf.js', '!**/core/contract/multipliers.js', '!**/core/contract/units.js', '!**/core/contract/udp-received.js', '!**/core/contract/stable-json.js', '!**/core/contract/templates.js', '!**/core/contract/metric-labels.js', '!**/core/contract/chart-colors.js', '!**/core/contract/interval-text.js', '!**/core/contract/display-number.js'],
              allowTypeImports: true,
              message: 'renderer/ may import only TYPES from core/contract (values only from core/contract/csv.js, limits.js, ids.js, paper-points.js, over-time.js, sim-over-time.js, welch.js, latency-cdf.js, multipliers.js, units.js, udp-received.js, stable-json.js, templates.js, metric-labels.js, chart-colors.js, interval-text.js and display-number.js).',
            },
            { regex: '(^|/)core/contract/?$', allowTypeImports: true, message: 'renderer/ may import only TYPES from core/contract.' },
            { group: ['electron', 'node:*'], message: 'renderer/ runs sandboxed: no electron or Node imports.' },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/preload.cts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/core/**', '!**/core/contract', '!**/core/contract/**'], message: 'preload imports only core/contract.' }] },
      ],
    },
  },
);
