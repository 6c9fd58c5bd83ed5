/**
 * The plugin's options as users write them in vitest.config.ts, and the resolved config the harness runs with.
 * One schema: every field has a default so `{}` (no configuration at all) is a valid, useful config.
 */
import { z } from 'zod'
import { DEFAULT_THRESHOLDS, ThresholdsSchema, type Thresholds } from '../model/thresholds.ts'
import { RepeatsOptionSchema } from '../model/repeat-policy.ts'

const SIX_HOURS_S = 6 * 60 * 60

const PositiveInt = z.number().int().positive()

export const ReferenceTargetOptionsSchema = z.object({
  kind: z.literal('reference'),
  /** 'auto' becomes 'full' when CUDA GPUs exist and 'tiny' otherwise, once the Python is known. */
  modelSize: z.enum(['tiny', 'full', 'auto']).default('auto'),
  seed: z.number().int().nonnegative().default(42),
  device: z.enum(['auto', 'cpu', 'cuda']).default('auto'),
  /** Appended to every command, e.g. ['--preload', 'off'] or ['--batch-tokens', '32768'] for an A/B run. */
  extraArgs: z.array(z.string()).default([]),
})

export const VirnucproTargetOptionsSchema = z.object({
  kind: z.literal('virnucpro'),
  /** The repository root: `python -m virnucpro` must run from there (contract caveat 1). */
  repoDir: z.string().min(1, 'a path to the virnucpro-broad checkout'),
  python: z.string().min(1).optional(),
  modelType: z.enum(['300', '500']).default('500'),
  extraArgs: z.array(z.string()).default([]),
  /** Replaces the harness's idea of "vanilla" (see plugin/pipeline/README.md), e.g. a pinned v1 checkout's command. */
  vanillaCommand: z.array(z.string()).min(1).optional(),
})

export const TargetOptionsSchema = z.discriminatedUnion('kind', [ReferenceTargetOptionsSchema, VirnucproTargetOptionsSchema])

/** Thresholds may be overridden piecewise: `{ speedup: { '2': { min: 1.5 } } }` keeps every other default. */
const ThresholdsOverrideSchema = z
  .object({
    realSampleHours: ThresholdsSchema.shape.realSampleHours.partial(),
    speedup: z.record(z.string().regex(/^\d+$/, 'a GPU count such as "2"'), ThresholdsSchema.shape.speedup.valueType.partial()),
    embeddingUtilisationPercent: ThresholdsSchema.shape.embeddingUtilisationPercent,
  })
  .partial()
  .strict()
export type ThresholdsOverride = z.infer<typeof ThresholdsOverrideSchema>

export const HarnessOptionsSchema = z
  .object({
    target: TargetOptionsSchema.default({ kind: 'reference', modelSize: 'auto', seed: 42, device: 'auto', extraArgs: [] }),
    /** A Python that imports torch; found automatically when absent (plugin/env/locate-python.ts). */
    python: z.string().min(1).optional(),
    /** Physical GPU indices to use, or every visible GPU. */
    gpus: z.union([z.literal('auto'), z.array(z.number().int().nonnegative()).min(1)]).default('auto'),
    sampleIntervalMs: PositiveInt.min(50, 'at least 50 ms (nvidia-smi cannot sample faster)').default(500),
    runsDir: z.string().min(1).default('.runs'),
    reportsDir: z.string().min(1).default('reports'),
    timeoutSeconds: z.number().positive().default(SIX_HOURS_S),
    /** Seconds between SIGTERM and SIGKILL on timeout or Ctrl-C; the real tool needs about 30 s to checkpoint. */
    killGraceSeconds: z.number().nonnegative().default(45),
    /** Threshold misses fail tests instead of warning. */
    strict: z.boolean().default(false),
    progress: z.enum(['auto', 'tty', 'plain', 'off']).default('auto'),
    thresholds: ThresholdsOverrideSchema.optional(),
    /** Minimum measured runs per GPU count, or a repeat policy (plugin/model/repeat-policy.ts); 1 = the default policy. */
    repeats: RepeatsOptionSchema.default(1),
  })
  .strict()

export type HarnessOptions = z.input<typeof HarnessOptionsSchema>
type ParsedOptions = z.output<typeof HarnessOptionsSchema>
export type TargetConfig = ParsedOptions['target']
export type ReferenceTargetConfig = Extract<TargetConfig, { kind: 'reference' }>
export type VirnucproTargetConfig = Extract<TargetConfig, { kind: 'virnucpro' }>
export type ProgressMode = ParsedOptions['progress']

/** What the harness runs with: options with defaults applied and thresholds merged over the defaults. */
export type HarnessConfig = Omit<ParsedOptions, 'thresholds'> & { thresholds: Thresholds }

export function mergeThresholds(override: ThresholdsOverride | undefined): Thresholds {
  const base = structuredClone(DEFAULT_THRESHOLDS)
  if (override === undefined) return base
  const speedup = { ...base.speedup }
  for (const [gpus, band] of Object.entries(override.speedup ?? {})) {
    const current = speedup[gpus]
    const merged = { ...current, ...band }
    if (merged.target === undefined || merged.min === undefined) {
      // A new GPU count has no default band to fill the gaps from.
      throw new Error(`thresholds.speedup.${gpus}: a new GPU count needs both target and min`)
    }
    speedup[gpus] = { ...merged, target: merged.target, min: merged.min }
  }
  return ThresholdsSchema.parse({
    realSampleHours: { ...base.realSampleHours, ...override.realSampleHours },
    speedup,
    embeddingUtilisationPercent: override.embeddingUtilisationPercent ?? base.embeddingUtilisationPercent,
  })
}
