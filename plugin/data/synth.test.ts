import { createHash } from 'node:crypto'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readSequences } from './fasta-reader.ts'
import { SequenceStatsAccumulator, type SequenceStats } from './sequence-stats.ts'
import { PROFILE_CHUNK_LENGTH, PROFILES, type Profile } from './synth-profiles.ts'
import { resolveSynthOptions, synthRecords, writeSynthFasta, type SynthOptions } from './synth.ts'
import { chunkSpans, stopFreeFrameMask } from './vanilla-rules.ts'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'synth-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')

async function fileHash(name: string, options: SynthOptions): Promise<string> {
  const path = join(dir, name)
  await writeSynthFasta(path, options)
  return sha256(await readFile(path))
}

function statsOf(options: SynthOptions): SequenceStats {
  const resolved = resolveSynthOptions(options)
  const stats = new SequenceStatsAccumulator(resolved.chunkLength)
  for (const record of synthRecords(options)) stats.add(record.bases)
  return stats.result()
}

describe('synthetic generator', () => {
  it('is byte-identical for the same seed and options', async () => {
    const options: SynthOptions = { seed: 7, count: 300, profile: 'contigs' }
    expect(await fileHash('a.fa', options)).toBe(await fileHash('b.fa', options))
  })

  it('differs between seeds, and between profiles', async () => {
    const base = await fileHash('s1.fa', { seed: 1, preset: 'small' })
    expect(await fileHash('s2.fa', { seed: 2, preset: 'small' })).not.toBe(base)
    expect(await fileHash('s1-300.fa', { seed: 1, preset: 'small', profile: 'fixed300' })).not.toBe(base)
  })

  it('a smaller count is a prefix of a larger one (records are seeded per index)', async () => {
    await writeSynthFasta(join(dir, 'tiny.fa'), { seed: 3, preset: 'tiny', profile: 'reads150' })
    const tiny = await readFile(join(dir, 'tiny.fa'))
    await writeSynthFasta(join(dir, 'small.fa'), { seed: 3, preset: 'small', profile: 'reads150' })
    const small = await readFile(join(dir, 'small.fa'))
    expect(small.subarray(0, tiny.length).equals(tiny)).toBe(true)
  })

  it('gives unique, well-formed IDs and parses back with the FASTA reader', async () => {
    const path = join(dir, 'ids.fa')
    await writeSynthFasta(path, { seed: 42, count: 500, profile: 'contigs', lineWidth: 80 })
    const ids = new Set<string>()
    let count = 0
    for await (const record of readSequences(path)) {
      expect(record.id).toMatch(/^synth_42_\d{6}$/)
      expect(record.description).toMatch(/^synthetic contigs len=\d+ gc=0\.\d{3} orf=(F[123]|R[123]|none)$/)
      expect(record.sequence).toMatch(/^[ACGTNacgtn]+$/)
      ids.add(record.id)
      count++
    }
    expect(count).toBe(500)
    expect(ids.size).toBe(500)
    const lines = (await readFile(path, 'utf8')).split('\n').filter((l) => !l.startsWith('>'))
    expect(Math.max(...lines.map((l) => l.length))).toBe(80)
  })

  it.each(PROFILES.map((p) => [p]))('%s: at least 90%% of chunks have a stop-free frame by default', (profile: Profile) => {
    const stats = statsOf({ seed: 11, count: 400, profile })
    expect(stats.chunkLength).toBe(PROFILE_CHUNK_LENGTH[profile])
    expect(stats.orfChunkFraction).toBeGreaterThanOrEqual(0.9)
    // Some ORF-free chunks too, so the "no output for this chunk" path is exercised.
    expect(stats.chunksWithOrf).toBeLessThan(stats.chunks)
  })

  it.each([0, 0.25, 0.6, 1])('orfRate %f is respected at chunk level', (orfRate) => {
    for (const profile of PROFILES) {
      const stats = statsOf({ seed: 5, count: 400, profile, orfRate })
      expect(Math.abs(stats.orfChunkFraction - orfRate)).toBeLessThanOrEqual(0.03)
    }
  })

  it('ORF-bearing records keep a stop-free frame in every chunk; the others in none', () => {
    for (const record of synthRecords({ seed: 9, count: 200, profile: 'contigs', orfRate: 0.5 })) {
      for (const span of chunkSpans(record.bases.length, 500)) {
        const mask = stopFreeFrameMask(record.bases, span.start, span.start + span.length)
        expect(mask !== 0).toBe(record.orfBearing)
      }
    }
  })

  it('profiles have the promised lengths', () => {
    const lengths = (profile: Profile): number[] => [...synthRecords({ seed: 1, count: 500, profile })].map((r) => r.bases.length)
    expect(new Set(lengths('fixed500'))).toEqual(new Set([500]))
    expect(new Set(lengths('fixed300'))).toEqual(new Set([300]))
    const reads = lengths('reads150')
    expect(Math.min(...reads)).toBeGreaterThanOrEqual(100)
    expect(Math.max(...reads)).toBe(150)
    expect(reads.filter((l) => l === 150).length).toBeGreaterThan(300)
    const contigs = lengths('contigs')
    expect(Math.min(...contigs)).toBeGreaterThanOrEqual(200)
    expect(Math.max(...contigs)).toBeLessThanOrEqual(5000)
    expect(contigs.filter((l) => l < 500).length).toBeGreaterThan(25)
    expect(contigs.filter((l) => l % 500 === 0).length).toBeGreaterThan(25)
  })

  it('has realistic features: GC near the target, some N runs, some lower case', () => {
    const records = [...synthRecords({ seed: 4, count: 1000, profile: 'fixed500', gcFraction: 0.42 })]
    const text = records.map((r) => Buffer.from(r.bases).toString('latin1'))
    expect(text.filter((s) => s.includes('N') || s.includes('n')).length).toBeGreaterThan(5)
    expect(text.filter((s) => /[acgt]/.test(s)).length).toBeGreaterThan(10)
    const stats = statsOf({ seed: 4, count: 1000, gcFraction: 0.42 })
    expect(stats.gcFraction).toBeGreaterThan(0.39)
    expect(stats.gcFraction).toBeLessThan(0.47)
    expect(statsOf({ seed: 4, count: 300, gcFraction: 0.6 }).gcFraction).toBeGreaterThan(0.55)
  })

  it('rejects bad options with the option name', () => {
    expect(() => resolveSynthOptions({ seed: -1 })).toThrow(/seed/)
    expect(() => resolveSynthOptions({ seed: 1, orfRate: 2 })).toThrow(/orfRate/)
    expect(() => resolveSynthOptions({ seed: 1, count: 0 })).toThrow(/count/)
    expect(() => resolveSynthOptions({ seed: 1, gcFraction: 0.95 })).toThrow(/gcFraction/)
  })

  it('writeSynthFasta stats match a re-read of the file', async () => {
    const path = join(dir, 'stats.fa')
    const result = await writeSynthFasta(path, { seed: 8, count: 200, profile: 'contigs' }, { stats: true })
    const reread = new SequenceStatsAccumulator(500)
    for await (const record of readSequences(path)) reread.add(record.sequence)
    expect(result.stats).toEqual(reread.result())
    expect(result.records).toBe(200)
  })
})
