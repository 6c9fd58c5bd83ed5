import { committed, validateGpuConsistency } from '../plugin/index.ts'

// Splitting the work over GPUs must not change the results.
validateGpuConsistency('2 GPUs agree with 1 GPU', { sample: committed('fixtures/samples/synth-small-fixed500-s42.fa'), gpus: 2 })
validateGpuConsistency('4 GPUs agree with 1 GPU', { sample: committed('fixtures/samples/synth-small-fixed500-s42.fa'), gpus: 4 })
