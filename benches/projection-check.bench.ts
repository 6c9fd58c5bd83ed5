import { lambdaReads, projectionCheckBenchmark, synthetic } from '../plugin/index.ts'

// Can a short run predict a long one? Calibrate the per-stage cost model on a sweep of length profiles and sizes
// (about two minutes on one H200), then project samples of other shapes from it alone and measure them: real viral
// reads with short ORFs, contigs cut into chunks, and a sample ten times larger than anything in the sweep. The
// report puts projected (with its interval) and measured side by side; more than 10 % off, or outside the interval,
// is a warning. On CPU-only machines the same shapes run at tiny sizes with the tiny models.
projectionCheckBenchmark('projection check', {
  sweep: [
    synthetic({ preset: { gpu: 'small', cpu: 'tiny' }, seed: 11, profile: 'fixed500' }),
    synthetic({ preset: { gpu: 'typical', cpu: 'small' }, seed: 12, profile: 'reads150' }),
    synthetic({ preset: { gpu: 'typical', cpu: 'small' }, seed: 13, profile: 'fixed500' }),
    synthetic({ preset: { gpu: 'large', cpu: 'small' }, seed: 14, profile: 'fixed300' }),
    // Two more samples whose ESM-2 stage dominates (about 10 s and 20 s on an H200): the first sweep's short-read
    // and 500 bp samples spent 2.3 s in ESM-2, too little to tell the per-FLOP cost from per-frame and warm-up costs.
    synthetic({ preset: { gpu: 'large', cpu: 'small' }, seed: 15, profile: 'reads150' }),
    synthetic({ preset: { gpu: 'large', cpu: 'small' }, seed: 16, profile: 'fixed500' }),
  ],
  heldOut: [
    lambdaReads({ reads: { gpu: 10_000, cpu: 300 } }),
    synthetic({ preset: { gpu: 'typical', cpu: 'small' }, seed: 21, profile: 'contigs' }),
    synthetic({ preset: { gpu: 'huge', cpu: 'typical' }, seed: 22, profile: 'fixed500' }),
  ],
})
