import { defineConfig } from 'vitest/config'

// Three projects: the harness's own unit tests, the validations CI runs, and the GPU benches.
export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['plugin/**/*.test.ts', 'scripts/**/*.test.ts', 'fixtures/**/*.test.ts'],
          testTimeout: 60_000,
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
