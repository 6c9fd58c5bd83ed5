import { sampleManifest, scalingBenchmark, synthetic } from '../plugin/index.ts'

// The mission's scaling goal: 2 GPUs ≈ 1.8×, 4 ≈ 3.5×, 8 ≈ 7×, embedding stages > 80 % busy, and the real
// sample (45+ h on the original) under 10 h on 4 GPUs — projected from this run's per-stage throughput.
scalingBenchmark('scaling on the large synthetic sample', {
  sample: synthetic({ preset: { gpu: 'large', cpu: 'small' }, seed: 42, profile: 'fixed500' }),
  gpus: [1, 2, 4, 8],
  projectTo: sampleManifest({ manifestEnv: 'VIRNUCPRO_REAL_SAMPLE_MANIFEST', fallback: 'fixtures/samples/manifests/example-real-sample.json' }),
})
