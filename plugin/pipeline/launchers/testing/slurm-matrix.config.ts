import { defineConfig } from 'vitest/config'
import { virnucproHarness } from '../../../index.ts'

// A scaling case whose GPU counts are submitted together (launcher.concurrent) to the one-node test cluster:
// jobs share the node (exclusive: false) and ask for the fake GPUs; the tiny model runs on the node's CPU.
export default defineConfig({
  plugins: [
    virnucproHarness({
      target: { kind: 'reference', modelSize: 'tiny', device: 'cpu' },
      launcher: { kind: 'slurm', concurrent: true, exclusive: false, gpusPerNode: 2 },
      progress: 'plain',
      // One run per GPU count, the two submitted together (the default policy would repeat these short runs).
      repeats: { minRuns: 1, maxRuns: 1, warmup: 'never' },
    }),
  ],
  test: {
    benchmark: { include: ['plugin/pipeline/launchers/testing/slurm-matrix.bench.ts'] },
  },
})
