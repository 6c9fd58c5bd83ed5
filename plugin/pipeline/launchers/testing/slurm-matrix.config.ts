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
    }),
  ],
  test: {
    benchmark: { include: ['plugin/pipeline/launchers/testing/slurm-matrix.bench.ts'] },
  },
})
