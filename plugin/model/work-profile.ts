import { z } from 'zod'

const count = z.number().int().nonnegative()

/**
 * An exact length distribution as `[length, count]` pairs, lengths ascending and distinct. Frame lengths are bounded
 * by the chunk length, so this stays a few hundred pairs however large the sample.
 */
export const LengthCountsSchema = z
  .array(z.tuple([count, count]))
  .refine((pairs) => pairs.every((p, i) => i === 0 || p[0] > pairs[i - 1]![0]), 'lengths must be ascending and distinct')
export type LengthCounts = z.infer<typeof LengthCountsSchema>

/**
 * The work a sample gives the GPU stages, computed with the vanilla CPU rules (chunking, six-frame translation,
 * stop-free frame selection): what DNABERT-S sees (nucleotide frames, bases) and what ESM-2 sees (proteins, residues).
 * Token counts follow from these lengths through each target's tokeniser.
 */
export const WorkProfileSchema = z.strictObject({
  chunkLength: z.number().int().positive(),
  chunks: count,
  chunksWithOrf: count,
  /** Stop-free frames: one nucleotide frame and one protein each. */
  orfFrames: count,
  /** Lengths (bases) of the nucleotide frames: V's 3·residues+1 slice, clipped at the chunk end. */
  nucleotideLengths: LengthCountsSchema,
  /** Lengths (residues) of the proteins. */
  proteinLengths: LengthCountsSchema,
})
export type WorkProfile = z.infer<typeof WorkProfileSchema>
