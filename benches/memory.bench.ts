import { memoryBenchmark, synthetic } from '../plugin/index.ts'

// GPU memory peak and average per stage on one GPU, on long contigs (the chunking stage multiplies them).
memoryBenchmark('GPU memory on one GPU, contigs', {
  sample: synthetic({ preset: { gpu: 'typical', cpu: 'tiny' }, seed: 7, profile: 'contigs' }),
})
