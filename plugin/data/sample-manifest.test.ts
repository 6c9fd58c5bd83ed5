import { createHash } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { describeSample, parseSampleManifest, SampleManifestError, SampleManifestSchema, type SampleManifestInput } from './sample-manifest.ts'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'manifest-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const good: SampleManifestInput = {
  name: 'sample',
  path: '/data/sample.fastq.gz',
  format: 'fastq',
  sequenceCount: 2,
  bases: 300,
  length: { min: 150, p50: 150, mean: 150, max: 150, histogram: [{ min: 0, max: null, count: 2 }] },
  gcFraction: 0.41,
  chunkLength: 300,
  baseline: { wallSeconds: 162_000, description: '45+ h on the original pipeline (VirNucPro v1.0 single GPU)', measured: false },
}

describe('SampleManifestSchema', () => {
  it('accepts a good manifest and fills the expected defaults (10 h on 4 GPUs, ±10%)', () => {
    const manifest = parseSampleManifest(good)
    expect(manifest.expected).toEqual({ targetHours: 10, gpus: 4, tolerance: 0.1 })
    expect(SampleManifestSchema.safeParse(good).success).toBe(true)
  })

  it('rejects bad input with every problem and its path in a readable message', () => {
    const bad = {
      ...good,
      format: 'bam',
      sha256: 'xyz',
      sequenceCount: -1,
      length: { ...good.length, p50: 1.5 },
      baseline: { wallSeconds: 0, description: '', measured: 'no' },
      extra: true,
    }
    let message = ''
    try {
      parseSampleManifest(bad, 'bad.json')
    } catch (err) {
      expect(err).toBeInstanceOf(SampleManifestError)
      message = (err as Error).message
    }
    expect(message).toContain('invalid sample manifest bad.json')
    for (const path of ['format', 'sha256', 'sequenceCount', 'length.p50', 'baseline.wallSeconds', 'baseline.measured']) {
      expect(message).toContain(`→ at ${path}`)
    }
    expect(message).toMatch(/extra/)
    expect(message).toMatch(/64 lower-case hex/)
  })

  it('requires the measured fields', () => {
    const { sequenceCount: _, ...missing } = good
    expect(() => parseSampleManifest(missing)).toThrow(/sequenceCount/)
  })
})

describe('describeSample', () => {
  it('measures a gzip FASTQ in one pass, hash included, and leaves provenance/baseline to the caller', async () => {
    const fastq = '@r1\nGCCGCCGCC\n+\nIIIIIIIII\n@r2\nCTAGCTAGCTAG\n+\nIIIIIIIIIIII\n@r3\nAC\n+\nII\n'
    const bytes = gzipSync(fastq)
    const path = join(dir, 'reads.fq.gz')
    await writeFile(path, bytes)
    const manifest = await describeSample(path, { name: 'reads', chunkLength: 300 })
    expect(manifest).toMatchObject({
      name: 'reads',
      path,
      format: 'fastq',
      gzip: true,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      sequenceCount: 3,
      bases: 23,
      length: { min: 2, p50: 9, max: 12 },
      chunkLength: 300,
      chunks: 3,
      chunksWithOrf: 1,
      orfFrames: 6,
      expected: { targetHours: 10, gpus: 4, tolerance: 0.1 },
    })
    expect(manifest.provenance).toBeUndefined()
    expect(manifest.baseline).toBeUndefined()
    const lengthTotal = manifest.length.histogram.reduce((sum, b) => sum + b.count, 0)
    expect(lengthTotal).toBe(3)
  })

  it('passes provenance and baseline through, and the result round-trips through JSON', async () => {
    const path = join(dir, 'one.fa')
    await writeFile(path, '>a\nACGT\n')
    const manifest = await describeSample(path, {
      provenance: 'test file',
      baseline: { wallSeconds: 10, description: 'timed', measured: true },
      sha256: false,
    })
    expect(manifest.sha256).toBeUndefined()
    expect(manifest.provenance).toBe('test file')
    expect(parseSampleManifest(JSON.parse(JSON.stringify(manifest)))).toEqual(manifest)
    expect(await readFile(path, 'utf8')).toBe('>a\nACGT\n')
  })
})
