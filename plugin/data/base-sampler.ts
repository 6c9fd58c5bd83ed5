import { randomInt, type PRNG } from './seeded-random.ts'
import { STOP_CODONS } from './vanilla-rules.ts'

const A = 0x41
const C = 0x43
const G = 0x47
const T = 0x54
const ACGT = [A, C, G, T] as const

/** Fills `out[start, end)` with bases at GC content gcPermille/1000. All arithmetic on integers. */
export function fillRandomBases(out: Uint8Array, start: number, end: number, gcPermille: number, rng: PRNG): void {
  // Out of 2000: G and C get gcPermille each, A and T get 1000 - gcPermille each.
  const g = gcPermille
  const c = 2 * gcPermille
  const a = 1000 + gcPermille
  for (let i = start; i < end; i++) {
    const r = randomInt(rng, 2000)
    out[i] = r < g ? G : r < c ? C : r < a ? A : T
  }
}

/** The 61 sense codons as ASCII, 3 bytes each. */
const SENSE_CODONS: Uint8Array = (() => {
  const stops = new Set(STOP_CODONS)
  const bytes: number[] = []
  for (const x of ACGT) for (const y of ACGT) for (const z of ACGT) {
    if (!stops.has(String.fromCharCode(x, y, z))) bytes.push(x, y, z)
  }
  return Uint8Array.from(bytes)
})()
const SENSE_COUNT = SENSE_CODONS.length / 3

const TABLE_BITS = 12
const TABLE_SIZE = 1 << TABLE_BITS

/**
 * Samples sense codons with the GC bias of a per-base composition: weight = product of the per-base weights
 * (gcPermille for G/C, 1000 - gcPermille for A/T). The weights are spread over a 4,096-slot lookup table with exact
 * integer arithmetic (≤ 1/4096 quantisation per codon), so one 24-bit draw yields two codons with no search: codon
 * sampling is the generator's hot loop.
 */
export class CodonSampler {
  private static readonly cache = new Map<number, CodonSampler>()
  /** Slot → codon index into SENSE_CODONS. */
  private readonly table = new Uint8Array(TABLE_SIZE)

  private constructor(gcPermille: number) {
    const weights: number[] = []
    for (let i = 0; i < SENSE_COUNT; i++) {
      let weight = 1
      for (let j = 0; j < 3; j++) {
        const base = SENSE_CODONS[3 * i + j]
        weight *= base === G || base === C ? gcPermille : 1000 - gcPermille
      }
      weights.push(weight)
    }
    const total = weights.reduce((a, b) => a + b, 0)
    let cumulative = 0
    let slot = 0
    weights.forEach((weight, codon) => {
      cumulative += weight
      // cumulative * 4096 < 2^53, so the boundary is exact.
      const boundary = Math.floor((cumulative * TABLE_SIZE) / total)
      for (; slot < boundary; slot++) this.table[slot] = codon
    })
  }

  static forGc(gcPermille: number): CodonSampler {
    let sampler = CodonSampler.cache.get(gcPermille)
    if (!sampler) {
      sampler = new CodonSampler(gcPermille)
      CodonSampler.cache.set(gcPermille, sampler)
    }
    return sampler
  }

  /** Writes `count` sense codons from out[pos] on. */
  writeCodons(out: Uint8Array, pos: number, count: number, rng: PRNG): void {
    const table = this.table
    let p = pos
    for (let i = 0; i < count; i += 2) {
      // Alea yields 32 random bits per call; 24 of them pick two slots.
      const bits = randomInt(rng, TABLE_SIZE * TABLE_SIZE)
      const first = 3 * table[bits & (TABLE_SIZE - 1)]!
      out[p++] = SENSE_CODONS[first]!
      out[p++] = SENSE_CODONS[first + 1]!
      out[p++] = SENSE_CODONS[first + 2]!
      if (i + 1 === count) break
      const second = 3 * table[bits >>> TABLE_BITS]!
      out[p++] = SENSE_CODONS[second]!
      out[p++] = SENSE_CODONS[second + 1]!
      out[p++] = SENSE_CODONS[second + 2]!
    }
  }
}

const COMPLEMENT: Uint8Array = (() => {
  const table = new Uint8Array(256)
  for (let i = 0; i < 256; i++) table[i] = i
  const pairs: Array<[string, string]> = [['A', 'T'], ['C', 'G'], ['a', 't'], ['c', 'g']]
  for (const [x, y] of pairs) {
    table[x.charCodeAt(0)] = y.charCodeAt(0)
    table[y.charCodeAt(0)] = x.charCodeAt(0)
  }
  return table
})()

/** In-place reverse complement of out[0, length); non-ACGT bytes are reversed but kept, like V's. */
export function reverseComplementInPlace(out: Uint8Array, length: number): void {
  for (let i = 0, j = length - 1; i <= j; i++, j--) {
    const left = COMPLEMENT[out[i]!]!
    out[i] = COMPLEMENT[out[j]!]!
    out[j] = left
  }
}
