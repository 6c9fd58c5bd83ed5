import { lambdaReads, projectionCheckBenchmark, synthetic } from '../plugin/index.ts'

// Can a short run predict a long one? Calibrate the per-stage cost model on a sweep of length profiles and sizes
// (about a minute on one H200), then project samples of other shapes from it alone and measure them: real viral
// reads with short ORFs, contigs cut into chunks, and a sample ten times larger than anything in the sweep. The
// report puts projected (with its interval) and measured side by side; more than 10 % off, or outside the interval,
// is a warning. On CPU-only machines the same shapes run at tiny sizes with the tiny models.
projectionCheckBenchmark('projection check', {
  sweep: [
    synthetic({ preset: { gpu: 'small', cpu: 'tiny' }, seed: 11, profile: 'fixed500' }),
    synthetic({ preset: { gpu: 'typical', cpu: 'small' }, seed: 12, profile: 'reads150' }),
    synthetic({ preset: { gpu: 'typical', cpu: 'small' }, seed: 13, profile: 'fixed500' }),
    synthetic({ preset: { gpu: 'large', cpu: 'small' }, seed: 14, profile: 'fixed300' }),
  ],
  heldOut: [
    lambdaReads({ reads: { gpu: 10_000, cpu: 300 } }),
    synthetic({ preset: { gpu: 'typical', cpu: 'small' }, seed: 21, profile: 'contigs' }),
    synthetic({ preset: { gpu: 'huge', cpu: 'typical' }, seed: 22, profile: 'fixed500' }),
  ],
})
