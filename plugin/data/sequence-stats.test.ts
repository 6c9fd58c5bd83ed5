import { describe, expect, it } from 'vitest'
import { SequenceStatsAccumulator } from './sequence-stats.ts'

describe('SequenceStatsAccumulator', () => {
  it('counts records, bases, nearest-rank median and GC over ACGT only', () => {
    const stats = new SequenceStatsAccumulator(500)
    for (const seq of ['GGCC', 'AATTNN', 'gcAT', 'A']) stats.add(seq)
    const result = stats.result()
    expect(result.records).toBe(4)
    expect(result.bases).toBe(15)
    expect(result.length).toEqual({ min: 1, p50: 4, mean: 3.75, max: 6 })
    // G,G,C,C,g,c out of 13 ACGT bases (the two N left out).
    expect(result.gcFraction).toBeCloseTo(6 / 13, 6)
  })

  it('counts chunks and stop-free chunks with the vanilla rules', () => {
    const stats = new SequenceStatsAccumulator(300)
    stats.add('GCC'.repeat(100)) // 1 chunk, 6 stop-free frames
    stats.add('TAA'.repeat(100)) // 1 chunk: TAA / AAT / ATA forward, TTA / TAT / ATT reverse: F1 has stops, others not
    stats.add('GCC'.repeat(200)) // 600 bp = 2 chunks, all frames stop-free
    const result = stats.result()
    expect(result.chunks).toBe(4)
    expect(result.chunksWithOrf).toBe(4)
    expect(result.orfFrames).toBe(6 + 5 + 12)
    expect(result.orfChunkFraction).toBe(1)
  })

  it('a chunk with stops in all six frames counts as ORF-free', () => {
    const stats = new SequenceStatsAccumulator(500)
    // CTAG has period 4, so every frame meets TAG; it is its own reverse complement, so the reverse frames do too.
    stats.add('CTAG'.repeat(25))
    expect(stats.result()).toMatchObject({ chunks: 1, chunksWithOrf: 0, orfFrames: 0, orfChunkFraction: 0 })
  })

  it('applies the skip rule to empty records and is well-defined with no input', () => {
    const allShort = new SequenceStatsAccumulator(500)
    allShort.add('')
    allShort.add('ACG')
    expect(allShort.result().chunks).toBe(2)
    const mixed = new SequenceStatsAccumulator(500)
    mixed.add('')
    mixed.add('A'.repeat(700))
    expect(mixed.result().chunks).toBe(2)
    expect(new SequenceStatsAccumulator(500).result()).toMatchObject({ records: 0, chunks: 0, orfChunkFraction: 0, gcFraction: 0 })
  })

  it('builds a length histogram with an open top bucket', () => {
    const stats = new SequenceStatsAccumulator(500)
    for (const length of [50, 150, 150, 500, 20_000]) stats.add('A'.repeat(length))
    const histogram = stats.histogram([99, 150, 500])
    expect(histogram).toEqual([
      { min: 0, max: 99, count: 1 },
      { min: 100, max: 150, count: 2 },
      { min: 151, max: 500, count: 1 },
      { min: 501, max: null, count: 1 },
    ])
  })
})
