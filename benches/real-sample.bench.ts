import { endToEndBenchmark, realSample } from '../plugin/index.ts'

// The real sample that took 45+ hours: measured end to end on 4 GPUs when its manifest is given
// (VIRNUCPRO_REAL_SAMPLE_MANIFEST=path/to/manifest.json), skipped with the reason otherwise.
endToEndBenchmark('real sample end to end on 4 GPUs', {
  sample: realSample({ manifestEnv: 'VIRNUCPRO_REAL_SAMPLE_MANIFEST' }),
  gpus: 4,
})
