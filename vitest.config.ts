import { defineConfig } from 'vitest/config'
import { virnucproHarness } from './plugin/index.ts'

// Three projects: the harness's own unit tests, the validations CI runs, and the GPU benches.
// Options of the harness (target, GPUs, thresholds, …) go to virnucproHarness(); see plugin/config/README.md.
export default defineConfig({
  plugins: [virnucproHarness()],
  test: {
    // The JSON results feed CI's closing "N passed, N failed" line (.ci/summarise.mjs).
    reporters: ['default', ['json', { outputFile: 'reports/test-results.json' }]],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['plugin/**/*.test.ts', 'scripts/**/*.test.ts', 'fixtures/**/*.test.ts'],
          testTimeout: 120_000,
          benchmark: { include: [] },
        },
      },
      {
        extends: true,
        test: {
          name: 'validations',
          include: ['validations/**/*.test.ts'],
          testTimeout: 0,
          hookTimeout: 0,
          benchmark: { include: [] },
        },
      },
      {
        extends: true,
        test: {
          name: 'benches',
          include: [],
          fileParallelism: false,
          testTimeout: 0,
          hookTimeout: 0,
          benchmark: { include: ['benches/**/*.bench.ts'] },
        },
      },
    ],
  },
})
