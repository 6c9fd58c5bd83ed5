import { createHash } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readSequences } from './fasta-reader.ts'
import { loadSampleManifest } from './sample-manifest.ts'
import { SequenceStatsAccumulator } from './sequence-stats.ts'
import { PROFILES, type Preset } from './synth-profiles.ts'
import { writeSynthFasta } from './synth.ts'

const SAMPLES = resolve(import.meta.dirname, '../../fixtures/samples')
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'samples-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const synthSamples = (['tiny', 'small'] as Preset[]).flatMap((preset) => PROFILES.map((profile) => [preset, profile] as const))

describe('committed samples (fixtures/samples)', () => {
  // Regenerating here, on whatever machine runs the tests, is the cross-machine determinism check.
  it.each(synthSamples)('synth-%s-%s-s42.fa regenerates byte-identically', async (preset, profile) => {
    const name = `synth-${preset}-${profile}-s42.fa`
    const fresh = join(dir, name)
    await writeSynthFasta(fresh, { seed: 42, preset, profile })
    expect(sha256(await readFile(fresh))).toBe(sha256(await readFile(join(SAMPLES, name))))
  })

  it('lambda samples match their recorded provenance', async () => {
    const provenance = JSON.parse(await readFile(join(SAMPLES, 'lambda-provenance.json'), 'utf8')) as {
      package: string
      outputs: Array<{ path: string; sha256: string; records: number }>
    }
    expect(provenance.package).toBe('bowtie2-examples')
    for (const output of provenance.outputs) {
      const path = resolve(SAMPLES, '../..', output.path)
      expect(sha256(await readFile(path))).toBe(output.sha256)
    }
    const genome: string[] = []
    for await (const record of readSequences(join(SAMPLES, 'lambda-genome.fa'))) genome.push(record.sequence)
    expect(genome).toHaveLength(1)
    expect(genome[0]).toHaveLength(48_502)
    let reads = 0
    for await (const record of readSequences(join(SAMPLES, 'lambda-reads-100.fa'))) {
      expect(record.id).toBe(`r${++reads}`)
    }
    expect(reads).toBe(100)
  })

  it('every manifest validates, and measured ones agree with their file', async () => {
    const manifestDir = join(SAMPLES, 'manifests')
    const names = (await readdir(manifestDir)).filter((n) => n.endsWith('.json'))
    expect(names).toContain('example-real-sample.json')
    for (const name of names) {
      const manifest = await loadSampleManifest(join(manifestDir, name))
      if (name === 'example-real-sample.json') {
        expect(manifest.placeholders?.length).toBeGreaterThan(0)
        expect(manifest.baseline).toMatchObject({ wallSeconds: 162_000, measured: false })
        expect(manifest).toMatchObject({ sequenceCount: 1_000_000, chunksWithOrf: 601_257, orfFrames: 794_577 })
        continue
      }
      const path = resolve(SAMPLES, '../..', manifest.path)
      expect(manifest.sha256).toBe(sha256(await readFile(path)))
      const stats = new SequenceStatsAccumulator(manifest.chunkLength)
      for await (const record of readSequences(path)) stats.add(record.sequence)
      expect(stats.result()).toMatchObject({ records: manifest.sequenceCount, bases: manifest.bases, chunksWithOrf: manifest.chunksWithOrf })
    }
  })

  it('stays under the 2 MB budget', async () => {
    let total = 0
    for (const entry of await readdir(SAMPLES, { recursive: true })) {
      const info = await stat(join(SAMPLES, entry))
      if (info.isFile()) total += info.size
    }
    expect(total).toBeLessThan(2 * 1024 * 1024)
  })
})
