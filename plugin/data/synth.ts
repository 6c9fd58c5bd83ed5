import { stat } from 'node:fs/promises'
import { CodonSampler, fillRandomBases, reverseComplementInPlace } from './base-sampler.ts'
import { FastaWriter } from './fasta-writer.ts'
import { randomInt, randomRange, seededRandom, type PRNG } from './seeded-random.ts'
import { SequenceStatsAccumulator, type SequenceStats } from './sequence-stats.ts'
import { plantStopsInEveryFrame } from './stop-planting.ts'
import { drawLength, PRESETS, PROFILE_CHUNK_LENGTH, type Preset, type Profile } from './synth-profiles.ts'
import { chunkSpans } from './vanilla-rules.ts'

export interface SynthOptions {
  /** Non-negative safe integer; part of every record's PRNG seed and of its ID. */
  readonly seed: number
  /** Record count by name; `count` wins when both are given. Default `tiny`. */
  readonly preset?: Preset
  readonly count?: number
  /** Default `fixed500`. */
  readonly profile?: Profile
  /** Target fraction of chunks with at least one stop-free frame, 0..1. Default 0.95. */
  readonly orfRate?: number
  /** Mean GC content, 0.2..0.8; each record varies by up to ±0.04 around it. Default 0.42. */
  readonly gcFraction?: number
  /** Chunk length the ORF layout targets; default from the profile (300 for fixed300, else 500). */
  readonly chunkLength?: number
  /** FASTA line width. Default 60 (Biopython's). */
  readonly lineWidth?: number
}

export interface ResolvedSynthOptions {
  readonly seed: number
  readonly count: number
  readonly profile: Profile
  readonly orfRate: number
  readonly gcPermille: number
  readonly chunkLength: number
  readonly lineWidth: number
}

export const DEFAULT_ORF_RATE = 0.95
export const DEFAULT_GC_FRACTION = 0.42
const GC_JITTER_PERMILLE = 40
const N_RUN_PERCENT = 3
const LOWERCASE_PERCENT = 5

function requireInteger(name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer in [${min}, ${max}], got ${value}`)
  }
  return value
}

function requireFraction(name: string, value: number, min: number, max: number): number {
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new RangeError(`${name} must be a number in [${min}, ${max}], got ${value}`)
  }
  return value
}

export function resolveSynthOptions(options: SynthOptions): ResolvedSynthOptions {
  const profile = options.profile ?? 'fixed500'
  return {
    seed: requireInteger('seed', options.seed, 0),
    count: requireInteger('count', options.count ?? PRESETS[options.preset ?? 'tiny'], 1),
    profile,
    orfRate: requireFraction('orfRate', options.orfRate ?? DEFAULT_ORF_RATE, 0, 1),
    gcPermille: Math.round(requireFraction('gcFraction', options.gcFraction ?? DEFAULT_GC_FRACTION, 0.2, 0.8) * 1000),
    chunkLength: requireInteger('chunkLength', options.chunkLength ?? PROFILE_CHUNK_LENGTH[profile], 3),
    lineWidth: requireInteger('lineWidth', options.lineWidth ?? 60, 1),
  }
}

export interface SynthRecord {
  readonly id: string
  readonly description: string
  /** Upper-case ACGT, with occasional N runs and lower-case (soft-masked) stretches. */
  readonly bases: Uint8Array
  /** Whether the record was built around a stop-free frame (otherwise stops were planted in every frame). */
  readonly orfBearing: boolean
}

export function synthRecordId(seed: number, index0: number): string {
  return `synth_${seed}_${String(index0 + 1).padStart(6, '0')}`
}

/**
 * Error diffusion over chunks: a record is ORF-bearing when that keeps the running ORF-chunk fraction closest to
 * `orfRate`, with a per-record dither so the non-ORF records do not fall on a fixed period. Keeps the chunk fraction
 * within about one record's chunks of the target even for 10 records, where a coin flip per record would not.
 */
class OrfAllocator {
  private error = 0

  constructor(private readonly rate: number) {}

  decide(chunks: number, dither: number): boolean {
    const threshold = chunks * (this.rate - 0.5) + chunks * 0.9 * (dither - 0.5)
    const orf = this.error <= threshold
    this.error += orf ? chunks * (1 - this.rate) : -chunks * this.rate
    return orf
  }
}

function permilleText(permille: number): string {
  return `0.${String(permille).padStart(3, '0')}`
}

/** One long stop-free frame at a random offset and strand: every chunk window then keeps that frame stop-free. */
function fillOrf(out: Uint8Array, length: number, gcPermille: number, rng: PRNG): string {
  const offset = randomInt(rng, 3)
  const reverse = randomInt(rng, 2) === 1
  const sampler = CodonSampler.forGc(gcPermille)
  fillRandomBases(out, 0, offset, gcPermille, rng)
  const codons = Math.floor((length - offset) / 3)
  sampler.writeCodons(out, offset, codons, rng)
  fillRandomBases(out, offset + 3 * codons, length, gcPermille, rng)
  if (!reverse) return `F${offset + 1}`
  // The record's reverse strand is now the ORF strand, with the ORF at the same offset.
  reverseComplementInPlace(out, length)
  return `R${offset + 1}`
}

/** A short N run (assembly gap or no-call) in 3% of records; codons containing N translate to nothing. */
function maybeAddNRun(out: Uint8Array, length: number, rng: PRNG): void {
  if (randomInt(rng, 100) >= N_RUN_PERCENT) return
  const runLength = randomRange(rng, 1, 12)
  const start = randomInt(rng, length)
  out.fill(0x4e, start, Math.min(length, start + runLength))
}

/** A soft-masked (lower-case) stretch in 5% of records; vanilla upper-cases before translating. */
function maybeLowercase(out: Uint8Array, length: number, rng: PRNG): void {
  if (randomInt(rng, 100) >= LOWERCASE_PERCENT) return
  const start = randomInt(rng, length)
  const end = Math.min(length, start + randomRange(rng, 10, 100))
  for (let i = start; i < end; i++) out[i] = out[i]! | 0x20
}

/**
 * Generates records deterministically. Each record has its own PRNG seeded from (seed, index), so record i is the
 * same whatever the count: a tiny file is a prefix of the small one with the same seed and profile.
 */
export function* synthRecords(options: SynthOptions): Generator<SynthRecord> {
  const o = resolveSynthOptions(options)
  const allocator = new OrfAllocator(o.orfRate)
  for (let index = 0; index < o.count; index++) {
    const rng = seededRandom(`virnucpro-synth:${o.seed}:${index}`)
    const length = drawLength(o.profile, rng, o.chunkLength)
    const gcPermille = o.gcPermille + randomRange(rng, -GC_JITTER_PERMILLE, GC_JITTER_PERMILLE)
    const orfBearing = allocator.decide(chunkSpans(length, o.chunkLength).length, rng())
    const bases = new Uint8Array(length)
    let orfFrame = 'none'
    if (orfBearing) orfFrame = fillOrf(bases, length, gcPermille, rng)
    else fillRandomBases(bases, 0, length, gcPermille, rng)
    maybeAddNRun(bases, length, rng)
    if (!orfBearing) plantStopsInEveryFrame(bases, length, o.chunkLength, rng)
    maybeLowercase(bases, length, rng)
    yield {
      id: synthRecordId(o.seed, index),
      description: `synthetic ${o.profile} len=${length} gc=${permilleText(gcPermille)} orf=${orfFrame}`,
      bases,
      orfBearing,
    }
  }
}

export interface SynthFileResult {
  readonly path: string
  readonly records: number
  readonly fileBytes: number
  readonly options: ResolvedSynthOptions
  /** Present when asked for: computed from the generated bases with the vanilla rules, not from the plan. */
  readonly stats?: SequenceStats
}

/** Streams generated records to `path` as FASTA. */
export async function writeSynthFasta(
  path: string,
  options: SynthOptions,
  { stats = false }: { stats?: boolean } = {},
): Promise<SynthFileResult> {
  const resolved = resolveSynthOptions(options)
  const writer = new FastaWriter(path, { lineWidth: resolved.lineWidth })
  const accumulator = stats ? new SequenceStatsAccumulator(resolved.chunkLength) : undefined
  let records = 0
  try {
    for (const record of synthRecords(options)) {
      await writer.write(record.id, record.description, record.bases)
      accumulator?.add(record.bases)
      records++
    }
  } finally {
    await writer.close()
  }
  const { size } = await stat(path)
  const base = { path, records, fileBytes: size, options: resolved }
  return accumulator ? { ...base, stats: accumulator.result() } : base
}
