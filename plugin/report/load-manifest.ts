/**
 * Reads the part of a sample manifest a projection needs. Structural on purpose: the full manifest schema lives in
 * plugin/data/sample-manifest.ts; any manifest with these fields works.
 */
import { readFile } from 'node:fs/promises'
import { z } from 'zod'
import type { ManifestLike } from '../analysis/projection.ts'
import { WorkProfileSchema } from '../model/work-profile.ts'

export const ManifestLikeSchema = z.looseObject({
  name: z.string(),
  sequenceCount: z.number().int().positive(),
  length: z.looseObject({ mean: z.number().positive() }),
  baseline: z.looseObject({ wallSeconds: z.number().positive() }).nullish(),
  bases: z.number().int().nonnegative().optional(),
  chunkLength: z.number().int().positive().optional(),
  chunks: z.number().int().nonnegative().optional(),
  orfFrames: z.number().int().nonnegative().optional(),
  work: WorkProfileSchema.optional(),
})

export async function loadManifestLike(path: string): Promise<ManifestLike> {
  let value: unknown
  try {
    value = JSON.parse(await readFile(path, 'utf8'))
  } catch (error) {
    throw new Error(`cannot read sample manifest ${path}: ${error instanceof Error ? error.message : String(error)}`)
  }
  const parsed = ManifestLikeSchema.safeParse(value)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new Error(`sample manifest ${path} is missing what a projection needs: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`)
  }
  return parsed.data
}
