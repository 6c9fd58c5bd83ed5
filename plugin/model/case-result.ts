import { z } from 'zod'
import { RunResultSchema } from './run-result.ts'
import { ComparisonSchema } from './validation.ts'
import { WarningSchema } from './thresholds.ts'
import { ProjectionCheckSchema } from './projection-check.ts'

export const CASE_KINDS = ['scaling', 'throughput', 'memory', 'end-to-end', 'validation'] as const
export const CaseKindSchema = z.enum(CASE_KINDS)
export type CaseKind = z.infer<typeof CaseKindSchema>

export const SampleRefSchema = z.object({
  name: z.string(),
  path: z.string(),
  records: z.number().int().nonnegative().nullable(),
  /** Set when the sample came with a manifest (real samples): sequence count, baseline, provenance. */
  manifestPath: z.string().nullable(),
})

/** One benchmark or validation case as persisted the moment it ends: the crash-safe unit of a report. */
export const CaseResultSchema = z.object({
  id: z.string(),
  title: z.string(),
  file: z.string(),
  kind: CaseKindSchema,
  status: z.enum(['ok', 'error', 'skipped']),
  /** For 'error': what went wrong in the harness or the pipeline (a failure, never a warning). */
  error: z.string().nullable(),
  /** For 'skipped': why (e.g. "needs 8 GPUs, this machine has 1"). */
  skipReasons: z.array(z.string()),
  sample: SampleRefSchema,
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  runs: z.array(RunResultSchema),
  comparisons: z.array(ComparisonSchema),
  warnings: z.array(WarningSchema),
  /** Held-out samples projected from a calibration sweep, then measured (projection-check cases). */
  projectionChecks: z.array(ProjectionCheckSchema).optional(),
  startedAtMs: z.number(),
  endedAtMs: z.number(),
})
export type CaseResult = z.infer<typeof CaseResultSchema>
