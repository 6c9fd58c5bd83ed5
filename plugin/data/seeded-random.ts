import seedrandom from 'seedrandom'

/** A seeded uniform [0, 1) source. */
export type PRNG = () => number

/**
 * Alea, fixed for good: it is seedrandom's fastest generator, and its state update uses only IEEE-754 double
 * add/multiply/subtract, which every JS engine computes bit-identically, so a seed means the same stream everywhere.
 * Changing the algorithm or the seed string format changes every committed sample.
 */
export function seededRandom(seed: string): PRNG {
  return seedrandom.alea(seed)
}

/** Uniform integer in [0, n). Exact: Math.floor of a double times a small integer involves no rounding choice. */
export function randomInt(rng: PRNG, n: number): number {
  return Math.floor(rng() * n)
}

/** Uniform integer in [lo, hi], inclusive. */
export function randomRange(rng: PRNG, lo: number, hi: number): number {
  return lo + randomInt(rng, hi - lo + 1)
}
