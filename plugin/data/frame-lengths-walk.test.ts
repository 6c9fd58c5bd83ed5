import { describe, expect, it } from 'vitest'
import { nucleotideFrameLength, stopFreeFrameLengths } from './vanilla-rules.ts'
import { chunkSpans, FRAME_LABELS, identifyOrfs, stopFreeFrameMask } from './vanilla-rules.ts'
import { SequenceStatsAccumulator } from './sequence-stats.ts'

/** Deterministic pseudo-random bases with some N and lower case, so vanishing codons are exercised. */
function randomSequence(seed: number, length: number): string {
  let state = seed >>> 0
  let out = ''
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    const r = state % 100
    out += r < 2 ? 'N' : r < 6 ? 'acgt'.charAt(r % 4) : 'ACGT'.charAt(r % 4)
  }
  return out
}

describe('stopFreeFrameLengths', () => {
  it('keeps the same frames as the string rules, with their protein and nucleotide lengths', () => {
    const residues = new Int32Array(6)
    for (let seed = 1; seed <= 300; seed++) {
      const seq = randomSequence(seed, 20 + (seed % 160))
      const bytes = Buffer.from(seq, 'latin1')
      const mask = stopFreeFrameLengths(bytes, 0, bytes.length, residues)
      expect(mask).toBe(stopFreeFrameMask(bytes, 0, bytes.length))
      const orfs = identifyOrfs('x', seq)
      const expected = FRAME_LABELS.map((label) => orfs.find((o) => o.frame === label))
      expected.forEach((orf, i) => {
        expect(residues[i]).toBe(orf?.protein.length ?? 0)
        if (orf !== undefined) expect(nucleotideFrameLength(seq.length, i, orf.protein.length)).toBe(orf.nucleotide.length)
      })
    }
  })
})

describe('SequenceStatsAccumulator.workProfile', () => {
  it('histograms every kept frame of every chunk: counts add up to the frame count', () => {
    const stats = new SequenceStatsAccumulator(300)
    const seqs = Array.from({ length: 40 }, (_, i) => randomSequence(1000 + i, 100 + 37 * i))
    for (const seq of seqs) stats.add(seq)
    const work = stats.workProfile()
    const proteins: number[] = []
    const nucleotides: number[] = []
    for (const seq of seqs) {
      for (const span of chunkSpans(seq.length, 300)) {
        for (const orf of identifyOrfs('c', seq.slice(span.start, span.start + span.length))) {
          proteins.push(orf.protein.length)
          nucleotides.push(orf.nucleotide.length)
        }
      }
    }
    const histogram = (values: number[]): [number, number][] =>
      [...values.reduce((m, v) => m.set(v, (m.get(v) ?? 0) + 1), new Map<number, number>())].sort((a, b) => a[0] - b[0])
    expect(work.orfFrames).toBe(proteins.length)
    expect(work.proteinLengths).toEqual(histogram(proteins))
    expect(work.nucleotideLengths).toEqual(histogram(nucleotides))
  })
})
