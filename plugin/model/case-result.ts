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
  /** Total bases, counted from the file (or the manifest's figure for real samples). */
  bases: z.number().int().nonnegative().nullable().default(null),
  /** Record lengths, counted from the file: min / median / max in bp. */
  lengths: z.object({ min: z.number(), median: z.number(), max: z.number() }).nullable().default(null),
  /** Where the sample came from: "seeded synthetic (preset small, profile fixed500, seed 42)", a manifest's provenance, … */
  provenance: z.string().nullable().default(null),
})

/** A case that expects a particular verdict (an injected fault must be caught): what it expects and how it is named. */
export const ExpectationSchema = z.object({
  verdict: z.enum(['pass', 'warn', 'fail', 'error']),
  /** Finding codes the comparison must report, or 'none' for a comparison without findings (verdicts other than error). */
  findings: z.union([z.literal('none'), z.array(z.string())]).optional(),
  /** For verdict 'error': why the comparison must be impossible (a compare error reason). */
  reason: z.string().optional(),
})
export type Expectation = z.infer<typeof ExpectationSchema>

/** One timed piece of the harness's own work around the pipeline (preparing, post-run reading, persisting, …). */
export const HarnessSpanSchema = z.object({
  name: z.string(),
  seconds: z.number().nonnegative(),
  /** How many times it ran in this case (per-run spans repeat). */
  count: z.number().int().positive(),
})
export type HarnessSpan = z.infer<typeof HarnessSpanSchema>

/**
 * The harness's own cost in a case, measured with its clock: `perCaseSeconds` is the case's wall time outside the
 * pipeline processes (case wall − Σ run wall); `inRunCpuSeconds` is the CPU time the harness's worker used while
 * pipelines ran (sampler, state poller, log follower: what competes with the pipeline), and `inRunFraction` that
 * over Σ run wall.
 */
export const HarnessOverheadSchema = z.object({
  caseSeconds: z.number().nonnegative(),
  runSeconds: z.number().nonnegative(),
  perCaseSeconds: z.number(),
  inRunCpuSeconds: z.number().nonnegative(),
  inRunFraction: z.number().nullable(),
  spans: z.array(HarnessSpanSchema),
})
export type HarnessOverhead = z.infer<typeof HarnessOverheadSchema>

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
  /** For a case that expects a verdict (fault injection): the expectation; null for ordinary cases. */
  expectation: ExpectationSchema.nullable().default(null),
  /** The comparison could not be made (e.g. the candidate folder is unreadable), in words. */
  comparisonError: z.string().nullable().default(null),
  startedAtMs: z.number(),
  endedAtMs: z.number(),
  /** The harness's own cost (benchmark cases; null where not measured, e.g. reports older than this field). */
  overhead: HarnessOverheadSchema.nullable().default(null),
  /** What the case's repeat policy decided per GPU count, in words (e.g. "stable: last 3 runs within 10 %"). */
  repeatNotes: z.array(z.string()).default([]),
})
export type CaseResult = z.infer<typeof CaseResultSchema>
