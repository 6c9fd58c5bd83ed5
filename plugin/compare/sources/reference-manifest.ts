import { z } from 'zod'

/** One Arrow record batch of a stored reference = one split file of the run that made it. */
export const ReferenceBlockSchema = z.object({ name: z.string().min(1), rows: z.number().int().nonnegative() })

/** `fixtures/reference/<sample>/manifest.json`: what made the reference, so a comparison can refuse a mismatch. */
export const ReferenceManifestSchema = z.object({
  format: z.literal('virnucpro-reference/1'),
  pipeline: z.string().min(1),
  version: z.string(),
  mode: z.enum(['vanilla', 'optimised']),
  seed: z.number().int().nullable(),
  modelSize: z.string().nullable(),
  /** The classifier model as the run's state file names it (compared by file name). */
  model: z.string().nullable(),
  chunkLength: z.number().int().positive(),
  command: z.array(z.string()),
  createdAt: z.string(),
  input: z.object({ file: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/), records: z.number().int().nonnegative() }),
  counts: z.object({
    orfFrames: z.number().int().nonnegative(),
    predictions: z.number().int().nonnegative(),
    consensus: z.number().int().nonnegative(),
  }),
  embeddings: z.object({
    dnabert: z.object({ file: z.string(), width: z.literal(768), blocks: z.array(ReferenceBlockSchema) }),
    esm: z.object({ file: z.string(), width: z.literal(2560), blocks: z.array(ReferenceBlockSchema) }),
  }),
})
export type ReferenceManifest = z.infer<typeof ReferenceManifestSchema>
