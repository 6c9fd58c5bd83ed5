import { describe, expect, it } from 'vitest'
import { randomInt, seededRandom } from './seeded-random.ts'
import {
  chunkId,
  chunkSpans,
  chunkSpansForInput,
  frameCount,
  identifyOrfs,
  reverseComplement,
  shouldSkipChunking,
  stopFreeFrameMask,
  stopFreeFrames,
  translateFrame,
  FRAME_LABELS,
} from './vanilla-rules.ts'

const pairs = (length: number, size: number): Array<[number, number]> =>
  chunkSpans(length, size).map((s) => [s.start, s.length])

describe('vanilla chunking (vanilla-pipeline.md §1)', () => {
  it.each([
    [700, 500, [[0, 500], [349, 351]]],
    [501, 500, [[0, 500], [250, 251]]],
    [999, 500, [[0, 500], [499, 500]]],
    [1200, 500, [[0, 500], [399, 500], [798, 402]]],
    [500, 300, [[0, 300], [249, 251]]],
  ])('L=%i c=%i matches the spec table', (length, size, expected) => {
    expect(pairs(length, size)).toEqual(expected)
  })

  it('L=2400 c=500 ends with (1916, 484)', () => {
    expect(pairs(2400, 500).at(-1)).toEqual([1916, 484])
  })

  it('L=2000 c=300 starts every 285 and ends with a 290 bp chunk', () => {
    const spans = chunkSpans(2000, 300)
    expect(spans.map((s) => s.start)).toEqual([0, 285, 570, 855, 1140, 1425, 1710])
    expect(spans.at(-1)?.length).toBe(290)
  })

  it('L=10001 c=300 steps by 6 and ends with (9702, 299)', () => {
    const spans = chunkSpans(10001, 300)
    expect(spans[1]!.start).toBe(294)
    expect(pairs(10001, 300).at(-1)).toEqual([9702, 299])
  })

  it('L ≤ c gives one unpadded chunk; multiples of c give non-overlapping chunks', () => {
    expect(pairs(150, 500)).toEqual([[0, 150]])
    expect(pairs(500, 500)).toEqual([[0, 500]])
    expect(pairs(1500, 500)).toEqual([[0, 500], [500, 500], [1000, 500]])
  })

  it('reproduces the spec count of full-length last chunks over L = c+1..20000', () => {
    const fullLast = (size: number): [number, number] => {
      let full = 0
      let total = 0
      for (let length = size + 1; length <= 20_000; length++) {
        if (length % size === 0) continue
        total++
        if (chunkSpans(length, size).at(-1)!.length === size) full++
      }
      return [full, total]
    }
    expect(fullLast(500)).toEqual([8724, 19461])
    expect(fullLast(300)).toEqual([14224, 19635])
  })

  it('never loses a base: chunks cover [0, L) and stay within it', () => {
    for (const size of [300, 500]) {
      for (let length = 1; length <= 5000; length++) {
        const spans = chunkSpans(length, size)
        expect(spans.length).toBe(Math.ceil(length / size))
        expect(spans[0]!.start).toBe(0)
        const last = spans.at(-1)!
        expect(last.start + last.length).toBe(length)
        for (let k = 1; k < spans.length; k++) expect(spans[k]!.start).toBeLessThanOrEqual(spans[k - 1]!.start + spans[k - 1]!.length)
      }
    }
  })

  it('skip rule: all records ≤ c keep one chunk each, empty included', () => {
    expect(shouldSkipChunking(500, 500)).toBe(true)
    expect(shouldSkipChunking(501, 500)).toBe(false)
    expect(chunkSpansForInput(0, 150, 500)).toEqual([{ start: 0, length: 0 }])
    expect(chunkSpansForInput(0, 700, 500)).toEqual([])
    expect(chunkSpansForInput(700, 700, 500)).toEqual(chunkSpans(700, 500))
    expect(chunkId('seqA', 0)).toBe('seqA_chunk_1')
  })

  it('rejects a non-positive chunk size', () => {
    expect(() => chunkSpans(10, 0)).toThrow(/chunk size/)
  })
})

describe('six-frame translation (vanilla-pipeline.md §2)', () => {
  it('drops codons with non-ACGT bases and keeps the off-by-one nucleotide slice', () => {
    const orfs = identifyOrfs('x', 'ATGNNNAAACCCTTTGGGAAATTT')
    const f1 = orfs.find((o) => o.frame === 'F1')
    expect(f1).toEqual({ frame: 'F1', id: 'xF1', protein: 'MKPFGKF', nucleotide: 'ATGNNNAAACCCTTTGGGAAAT' })
  })

  it('reverse complement reverses but does not complement N or IUPAC codes', () => {
    expect(reverseComplement('ACGTNR')).toBe('RNACGT')
    expect(reverseComplement('acgt')).toBe('acgt')
  })

  it('drops a frame with any stop, terminal included', () => {
    expect(translateFrame('ATGAAATAA', 0)).toBe('MK*')
    expect(stopFreeFrames('ATGAAATAA')).not.toContain('F1')
  })

  it('500 bp chunk without stops: F1/F2/R1/R2 are 499 bp, F3/R3 498 bp, all 166 aa', () => {
    const chunk = 'GCC'.repeat(166) + 'GC'
    const orfs = identifyOrfs('c', chunk)
    expect(orfs.map((o) => o.frame)).toEqual([...FRAME_LABELS])
    expect(orfs.map((o) => o.nucleotide.length)).toEqual([499, 499, 498, 499, 499, 498])
    expect(orfs.every((o) => o.protein.length === 166)).toBe(true)
  })

  it('300 bp chunk without stops: F1/R1 are 300 bp and 100 aa, the others 298 bp and 99 aa', () => {
    const orfs = identifyOrfs('c', 'GCC'.repeat(100))
    expect(orfs.map((o) => o.nucleotide.length)).toEqual([300, 298, 298, 300, 298, 298])
    expect(orfs.map((o) => o.protein.length)).toEqual([100, 99, 99, 100, 99, 99])
  })

  it('upper-cases before translating and names frames without a separator', () => {
    expect(identifyOrfs('seqA_chunk_1', 'gccgccgcc')[0]?.id).toBe('seqA_chunk_1F1')
  })

  it('frames that translate to nothing are not ORFs', () => {
    expect(stopFreeFrames('NNNNNNNNN')).toEqual([])
    expect(stopFreeFrames('AC')).toEqual([])
  })

  it('the byte path agrees with the string path on seeded random windows', () => {
    const rng = seededRandom('vanilla-rules-property')
    const alphabet = 'ACGTACGTACGTacgtNRU'
    for (let trial = 0; trial < 3000; trial++) {
      const length = randomInt(rng, 60)
      let seq = ''
      for (let i = 0; i < length; i++) seq += alphabet.charAt(randomInt(rng, alphabet.length))
      const start = randomInt(rng, length + 1)
      const end = start + randomInt(rng, length - start + 1)
      const labels = stopFreeFrames(seq.slice(start, end))
      const mask = stopFreeFrameMask(Buffer.from(seq, 'latin1'), start, end)
      expect(FRAME_LABELS.filter((_, i) => mask & (1 << i))).toEqual(labels)
      expect(frameCount(mask)).toBe(labels.length)
    }
  })
})
