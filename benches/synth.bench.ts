import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, bench, describe } from 'vitest'
import { writeSynthFasta } from '../plugin/data/index.ts'

// Generation cost of the biggest preset: 100,000 × 500 bp (≈57 MB FASTA), streamed to a temp file.
const dir = mkdtempSync(join(tmpdir(), 'synth-bench-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('synthetic data', () => {
  bench(
    'huge preset, fixed500, to disk',
    async () => {
      await writeSynthFasta(join(dir, 'huge.fa'), { seed: 1, preset: 'huge', profile: 'fixed500' })
    },
    { iterations: 3, time: 0, warmupIterations: 0, warmupTime: 0 },
  )
})
