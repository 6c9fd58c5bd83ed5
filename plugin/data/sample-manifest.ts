import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { z } from 'zod'
import { detectSequenceFormat, isGzipFile, readSequences } from './fasta-reader.ts'
import { WorkProfileSchema } from '../model/work-profile.ts'
import { SequenceStatsAccumulator } from './sequence-stats.ts'

const count = z.number().int().nonnegative()

export const HistogramBucketSchema = z.strictObject({
  min: count,
  /** Inclusive upper bound; null for the open top bucket. */
  max: count.nullable(),
  count,
})

export const BaselineSchema = z.strictObject({
  wallSeconds: z.number().positive(),
  description: z.string().min(1),
  /** false for a claim or projection (the "45+ h" figure is one), true for a run someone timed. */
  measured: z.boolean(),
})

export const ExpectedSchema = z.strictObject({
  targetHours: z.number().positive().default(10),
  gpus: z.number().int().positive().default(4),
  /** Relative: 0.1 accepts 9–11 h for a 10 h target. */
  tolerance: z.number().min(0).max(1).default(0.1),
})

/**
 * A large real sample kept outside the repository: where it is, what it measures, and what it is expected to
 * achieve. Measured fields come from {@link describeSample}; provenance and baseline are written by a person.
 */
export const SampleManifestSchema = z.strictObject({
  name: z.string().min(1),
  /** Absolute, or relative to the repository root. */
  path: z.string().min(1),
  format: z.enum(['fasta', 'fastq']),
  gzip: z.boolean().optional(),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'sha256 must be 64 lower-case hex digits')
    .optional(),
  sequenceCount: count,
  bases: count,
  length: z.strictObject({
    min: count,
    p50: count,
    mean: z.number().nonnegative(),
    max: count,
    histogram: z.array(HistogramBucketSchema),
  }),
  gcFraction: z.number().min(0).max(1),
  provenance: z.string().min(1).optional(),
  baseline: BaselineSchema.optional(),
  expected: ExpectedSchema.default({ targetHours: 10, gpus: 4, tolerance: 0.1 }),
  chunkLength: z.number().int().positive(),
  /** Chunks under the vanilla rule at chunkLength. */
  chunks: count.optional(),
  /** Chunks with ≥1 stop-free frame: the consensus row count. */
  chunksWithOrf: count.optional(),
  /** Stop-free frames: the number of sequences the embedding stages see (estimate until a run confirms it). */
  orfFrames: count.optional(),
  /**
   * The exact nucleotide-frame and protein length distributions (vanilla rules), from which each target's token
   * counts, attention (Σ L²) and batch padding follow. Absent in older manifests: projections then say what lengths
   * they assumed.
   */
  work: WorkProfileSchema.optional(),
  /** JSON paths (e.g. "path", "sha256") whose values are placeholders still to be filled in. */
  placeholders: z.array(z.string()).optional(),
  notes: z.array(z.string()).optional(),
})

export type SampleManifest = z.infer<typeof SampleManifestSchema>
export type SampleManifestInput = z.input<typeof SampleManifestSchema>

export class SampleManifestError extends Error {
  constructor(source: string, detail: string) {
    super(`invalid sample manifest ${source}:\n${detail}`)
    this.name = 'SampleManifestError'
  }
}

/** Validates parsed JSON; the error lists every problem with its field path. */
export function parseSampleManifest(value: unknown, source = '(value)'): SampleManifest {
  const result = SampleManifestSchema.safeParse(value)
  if (!result.success) throw new SampleManifestError(source, z.prettifyError(result.error))
  return result.data
}

export async function loadSampleManifest(path: string): Promise<SampleManifest> {
  let json: unknown
  try {
    json = JSON.parse(await readFile(path, 'utf8'))
  } catch (err) {
    throw new SampleManifestError(path, `not readable JSON: ${(err as Error).message}`)
  }
  return parseSampleManifest(json, path)
}

export interface DescribeSampleOptions {
  /** Default: the file name. */
  readonly name?: string
  /** Stored as given; default: the path passed in. */
  readonly manifestPath?: string
  readonly chunkLength?: number
  readonly provenance?: string
  readonly baseline?: z.infer<typeof BaselineSchema>
  readonly expected?: z.input<typeof ExpectedSchema>
  /** Hash the file bytes in the same pass. Default true. */
  readonly sha256?: boolean
  readonly histogramEdges?: readonly number[]
}

/**
 * Streams a FASTA/FASTQ (gzip allowed) once and measures it: counts, length distribution, GC, vanilla chunk and
 * stop-free frame counts with the frame and protein length distributions (the work profile), file hash. Memory stays bounded by the number of distinct lengths.
 */
export async function describeSample(path: string, options: DescribeSampleOptions = {}): Promise<SampleManifest> {
  const format = await detectSequenceFormat(path)
  const gzip = await isGzipFile(path)
  const hash = options.sha256 === false ? undefined : createHash('sha256')
  const stats = new SequenceStatsAccumulator(options.chunkLength ?? 500)
  const readOptions = hash ? { format, onRawChunk: (chunk: Buffer) => hash.update(chunk) } : { format }
  for await (const record of readSequences(path, readOptions)) stats.add(record.sequence)
  const summary = stats.result()
  return parseSampleManifest(
    {
      name: options.name ?? path.split('/').pop() ?? path,
      path: options.manifestPath ?? path,
      format,
      gzip,
      sha256: hash?.digest('hex'),
      sequenceCount: summary.records,
      bases: summary.bases,
      length: { ...summary.length, histogram: stats.histogram(options.histogramEdges) },
      gcFraction: summary.gcFraction,
      provenance: options.provenance,
      baseline: options.baseline,
      expected: options.expected,
      chunkLength: summary.chunkLength,
      chunks: summary.chunks,
      chunksWithOrf: summary.chunksWithOrf,
      orfFrames: summary.orfFrames,
      work: stats.workProfile(),
    },
    path,
  )
}
