import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

export default defineConfig({
  root: 'renderer',
  plugins: [svelte()],
  base: './', // relative URLs: served by app:// in Electron and by `rxlab serve` in browser mode
  build: { outDir: '../out/renderer', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 6000 },
  resolve: process.env['VITEST'] ? { conditions: ['browser'] } : undefined,
  test: {
    root: '.',
    include: ['core/**/*.test.ts', 'electron/**/*.test.ts', 'renderer/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30000,
    hookTimeout: 60000,
    pool: 'forks',
    // Two files at a time on the 2-core CI machine (the default there is one): 321 s → 229 s, measured
    // side by side. The real-cluster Slurm test, which spends most of its 95–146 s waiting on the
    // scheduler, runs beside the end-to-end specs in `npm test` (scripts/run-both.js, npm run unit:slurm).
    maxWorkers: 2,
  },
});
