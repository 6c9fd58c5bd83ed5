import type { PRNG } from './seeded-random.ts'
import { randomInt, randomRange } from './seeded-random.ts'

/** Record counts per preset; the names mirror the v1.0 generator's TINY/SMALL/MEDIUM/LARGE plus `huge`. */
export const PRESETS = { tiny: 10, small: 100, typical: 1_000, large: 10_000, huge: 100_000 } as const
export type Preset = keyof typeof PRESETS
export const PRESET_NAMES = Object.keys(PRESETS) as Preset[]

export const PROFILES = ['fixed500', 'fixed300', 'reads150', 'contigs'] as const
export type Profile = (typeof PROFILES)[number]

/** The chunk length each profile is aimed at: the model it would be run with (`-m 300` for fixed300). */
export const PROFILE_CHUNK_LENGTH: Record<Profile, number> = {
  fixed500: 500,
  fixed300: 300,
  reads150: 500,
  contigs: 500,
}

export function isPreset(value: string): value is Preset {
  return Object.hasOwn(PRESETS, value)
}

export function isProfile(value: string): value is Profile {
  return (PROFILES as readonly string[]).includes(value)
}

/** ≈150 bp Illumina reads: most full length, a fifth quality-trimmed to 100–149 bp. */
function readLength(rng: PRNG): number {
  return randomInt(rng, 5) === 0 ? randomRange(rng, 100, 149) : 150
}

/**
 * Assembly-like contigs, 200–5,000 bp: some shorter than a chunk (one short chunk), some exact multiples of the
 * chunk length (non-overlapping chunks), the rest spread with a long tail. Integer draws only: no Math.log, whose
 * last bit may differ between engines.
 */
function contigLength(rng: PRNG, chunkLength: number): number {
  const bucket = randomInt(rng, 100)
  if (bucket < 15) return randomRange(rng, 200, Math.max(200, chunkLength - 1))
  if (bucket < 30) {
    const multiples = Math.max(1, Math.floor(5_000 / chunkLength))
    return chunkLength * randomRange(rng, 1, multiples)
  }
  if (bucket < 65) return randomRange(rng, 501, 1_500)
  if (bucket < 88) return randomRange(rng, 1_501, 3_000)
  return randomRange(rng, 3_001, 5_000)
}

export function drawLength(profile: Profile, rng: PRNG, chunkLength: number): number {
  switch (profile) {
    case 'fixed500':
      return 500
    case 'fixed300':
      return 300
    case 'reads150':
      return readLength(rng)
    case 'contigs':
      return contigLength(rng, chunkLength)
  }
}
