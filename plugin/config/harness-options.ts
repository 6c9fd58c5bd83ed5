/**
 * The plugin's options as users write them in vitest.config.ts, and the resolved config the harness runs with.
 * One schema: every field has a default so `{}` (no configuration at all) is a valid, useful config.
 */
import { z } from 'zod'
import { DEFAULT_THRESHOLDS, ThresholdsSchema, type Thresholds } from '../model/thresholds.ts'
import { optionMeta } from './option-meta.ts'
import { RepeatsOptionSchema } from '../model/repeat-policy.ts'

const SIX_HOURS_S = 6 * 60 * 60

const PositiveInt = z.number().int().positive()

const EXTRA_ARGS_ENV = {
  variable: 'VIRNUCPRO_EXTRA_ARGS',
  form: 'arguments separated by spaces, e.g. "--preload off"',
  parser: 'words',
  example: '"--preload off"',
  meaning: 'arguments appended to every pipeline command (A/B runs of a pipeline option)',
} as const

export const ReferenceTargetOptionsSchema = z.object({
  kind: z.literal('reference'),
  /** 'auto' becomes 'full' when CUDA GPUs exist and 'tiny' otherwise, once the Python is known. */
  modelSize: z
    .enum(['tiny', 'full', 'auto'])
    .default('auto')
    .register(optionMeta, { env: { variable: 'VIRNUCPRO_MODEL_SIZE', form: 'tiny | full | auto', parser: 'choice', example: 'full', meaning: 'model size of the reference pipeline, or model type of a real VirNucPro' } }),
  seed: z.number().int().nonnegative().default(42),
  device: z.enum(['auto', 'cpu', 'cuda']).default('auto'),
  /** Appended to every command, e.g. ['--preload', 'off'] or ['--batch-tokens', '32768'] for an A/B run. */
  extraArgs: z.array(z.string()).default([]).register(optionMeta, { env: EXTRA_ARGS_ENV }),
})

export const VirnucproTargetOptionsSchema = z.object({
  kind: z.literal('virnucpro'),
  /** The repository root: `python -m virnucpro` must run from there (contract caveat 1). */
  repoDir: z
    .string()
    .min(1, 'a path to the virnucpro-broad checkout')
    .register(optionMeta, {
      env: { variable: 'VIRNUCPRO_REPO', form: 'path to a virnucpro-broad checkout', parser: 'text', example: '/opt/virnucpro', meaning: 'the real VirNucPro checkout to measure', note: 'implies `virnucpro` when no kind is set' },
    }),
  python: z.string().min(1).optional(),
  modelType: z
    .enum(['300', '500'])
    .default('500')
    .register(optionMeta, { env: { variable: 'VIRNUCPRO_MODEL_SIZE', form: '300 | 500', parser: 'choice' } }),
  extraArgs: z.array(z.string()).default([]).register(optionMeta, { env: EXTRA_ARGS_ENV }),
  /** Replaces the harness's idea of "vanilla" (see plugin/pipeline/README.md), e.g. a pinned v1 checkout's command. */
  vanillaCommand: z.array(z.string()).min(1).optional(),
})

export const TargetOptionsSchema = z.discriminatedUnion('kind', [ReferenceTargetOptionsSchema, VirnucproTargetOptionsSchema])

/** Runs the pipeline in place (a child process group of the harness). */
export const LocalLauncherOptionsSchema = z.object({ kind: z.literal('local') }).strict()

/**
 * Submits every pipeline run as a Slurm job (`sbatch`) that requests the GPUs the run needs and runs the pipeline,
 * the GPU sampler and the run's records on the allocated node; the run folder (runsDir) must be on a file system
 * the compute nodes share. See plugin/pipeline/slurm/README.md.
 */
export const SlurmLauncherOptionsSchema = z
  .object({
    kind: z.literal('slurm'),
    partition: z.string().min(1).optional().register(optionMeta, { env: { variable: 'BENCH_SLURM_PARTITION', form: 'a Slurm partition name', parser: 'text', example: 'gpu', meaning: 'the partition jobs are submitted to', note: 'implies `slurm` when no launcher kind is set' } }),
    account: z.string().min(1).optional().register(optionMeta, { env: { variable: 'BENCH_SLURM_ACCOUNT', form: 'a Slurm account name', parser: 'text', example: 'mylab', meaning: 'the account jobs are charged to' } }),
    qos: z.string().min(1).optional().register(optionMeta, { env: { variable: 'BENCH_SLURM_QOS', form: 'a Slurm QOS name', parser: 'text', example: 'normal', meaning: 'the quality of service jobs ask for' } }),
    /** Slurm's own limit (`--time`), e.g. '12:00:00'; the harness's timeoutSeconds still applies to the run itself. */
    timeLimit: z
      .string()
      .regex(/^[\d:-]+$/, "a Slurm time such as '90', '12:00:00' or '1-00:00:00'")
      .optional()
      .register(optionMeta, { env: { variable: 'BENCH_SLURM_TIME_LIMIT', form: "a Slurm time, e.g. '12:00:00'", parser: 'text', example: '12:00:00', meaning: "Slurm's own time limit for each job (`--time`)" } }),
    /** A whole node per run (`--exclusive`), so that neighbours do not distort the timing. */
    exclusive: z.boolean().default(true).register(optionMeta, { env: { variable: 'BENCH_SLURM_EXCLUSIVE', form: '1 | 0 | true | false', parser: 'flag', example: '1', meaning: 'a whole node per run (default), so neighbours do not distort the timing' } }),
    /** Appended to sbatch's arguments, e.g. ['--constraint=h100']. */
    extraArgs: z.array(z.string()).default([]).register(optionMeta, { env: { variable: 'BENCH_SLURM_EXTRA_ARGS', form: 'sbatch arguments separated by spaces, e.g. "--constraint=h100"', parser: 'words', example: '"--constraint=h200"', meaning: 'extra sbatch arguments' } }),
    /** GPU counts of a scaling case are submitted together (one job each) instead of one after another. */
    concurrent: z.boolean().default(false).register(optionMeta, { env: { variable: 'BENCH_SLURM_CONCURRENT', form: '1 | 0 | true | false', parser: 'flag', example: '1', meaning: "a scaling case's GPU counts submitted together, one job each" } }),
    /** GPUs per compute node; by default asked of Slurm (`sinfo`). 0 runs every case on the nodes' CPUs. */
    gpusPerNode: z
      .number()
      .int()
      .nonnegative()
      .optional()
      .register(optionMeta, { env: { variable: 'BENCH_SLURM_GPUS_PER_NODE', form: "a non-negative integer (0: run on the nodes' CPUs)", parser: 'number', example: '4', meaning: "GPUs per compute node (default: asked of `sinfo`)" } }),
  })
  .strict()

export const LauncherOptionsSchema = z.discriminatedUnion('kind', [LocalLauncherOptionsSchema, SlurmLauncherOptionsSchema])

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
    target: TargetOptionsSchema.default({ kind: 'reference', modelSize: 'auto', seed: 42, device: 'auto', extraArgs: [] }).register(optionMeta, {
      description:
        "System under test. `reference`: the embedded `virnucpro_ref` (modelSize `auto` = `full` with CUDA GPUs, else `tiny`). `virnucpro`: `{ kind, repoDir, python?, modelType: '300'|'500' (500), extraArgs: [], vanillaCommand? }`",
      shownDefault: "`{ kind: 'reference', modelSize: 'auto', seed: 42, device: 'auto' }`",
      env: { variable: 'VIRNUCPRO_TARGET', form: 'reference | virnucpro', parser: 'kind', example: 'virnucpro', meaning: 'the kind of target', note: "switching kind drops the other kind's fields" },
    }),
    /** A Python that imports torch; found automatically when absent (plugin/env/locate-python.ts). */
    python: z
      .string()
      .min(1)
      .optional()
      .register(optionMeta, {
        description: 'A Python that imports torch (`plugin/env/locate-python.ts`)',
        shownDefault: 'found automatically',
        env: { variable: 'VIRNUCPRO_PYTHON', form: 'path to a Python that imports torch', parser: 'text', example: '/path/python', meaning: 'the Python that imports torch (default: searched; `/usr/bin/python3` on Debian)', note: "also the locator's second candidate" },
      }),
    /** Physical GPU indices to use, or every visible GPU. */
    gpus: z
      .union([z.literal('auto'), z.array(z.number().int().nonnegative()).min(1)])
      .default('auto')
      .register(optionMeta, {
        description: 'Physical GPU indices to use, or all',
        env: { variable: 'BENCH_GPUS', form: 'comma-separated physical GPU indices, e.g. 0,1,2,3, or auto', parser: 'gpus', example: '0,1,2,3', meaning: 'physical GPUs the harness may use (default: all)' },
      }),
    sampleIntervalMs: PositiveInt.min(50, 'at least 50 ms (nvidia-smi cannot sample faster)')
      .default(500)
      .register(optionMeta, {
        description: 'nvidia-smi sampling period (≥ 50)',
        env: { variable: 'BENCH_SAMPLE_INTERVAL_MS', form: 'an integer number of milliseconds ≥ 50', parser: 'number', example: '500', meaning: 'GPU sampling interval' },
      }),
    runsDir: z.string().min(1).default('.runs').register(optionMeta, { description: 'Run directories (one per pipeline run, see "Layout of a run")' }),
    retention: z
      .object({
        keepRuns: PositiveInt.default(10),
        keepFailedRuns: PositiveInt.default(20),
        maxMiB: z.number().positive().default(4096),
        /** Case-store sessions (`<reportsDir>/.cases/<session>/`) kept, newest first; reports are rebuilt from them. */
        keepSessions: PositiveInt.default(20),
      })
      .strict()
      .default({ keepRuns: 10, keepFailedRuns: 20, maxMiB: 4096, keepSessions: 20 })
      .register(optionMeta, {
        description:
          'Bounds on runsDir and the case store, applied at start and after every test: the newest `keepRuns` successful and `keepFailedRuns` failed/interrupted runs are kept whole; over `maxMiB`, `.pt` intermediates of successful runs go first, then whole runs, oldest first; `keepSessions` case-store sessions',
        shownDefault: '`{ keepRuns: 10, keepFailedRuns: 20, maxMiB: 4096, keepSessions: 20 }`',
      }),
    reportsDir: z.string().min(1).default('reports').register(optionMeta, { description: 'Reports, and the case store under `.cases/`' }),
    timeoutSeconds: z
      .number()
      .positive()
      .default(SIX_HOURS_S)
      .register(optionMeta, {
        description: 'Per run; then SIGTERM to the process group, `killGraceSeconds`, SIGKILL',
        shownDefault: '21600 (6 h)',
        env: { variable: 'BENCH_TIMEOUT_S', form: 'a positive number of seconds', parser: 'number', example: '3600', meaning: 'per-run timeout' },
      }),
    /** Seconds between SIGTERM and SIGKILL on timeout or Ctrl-C; the real tool needs about 30 s to checkpoint. */
    killGraceSeconds: z
      .number()
      .nonnegative()
      .optional()
      .register(optionMeta, {
        description: "Seconds between SIGTERM and SIGKILL on timeout, Ctrl-C or the harness ending; default: the target's own (VirNucPro 35 s: its 30 s checkpoint wait, contract §6.18, + 5 s; reference pipeline 5 s)",
        shownDefault: "the target's",
      }),
    leftoverGraceSeconds: z
      .number()
      .nonnegative()
      .default(3)
      .register(optionMeta, { description: 'Seconds a process of the run\'s group may outlive the pipeline (multiprocessing helpers exit a moment after their parent) before it counts as left over: then it is named in a finding and stopped' }),
    /** Threshold misses fail tests instead of warning. */
    strict: z
      .boolean()
      .default(false)
      .register(optionMeta, {
        description: 'Threshold misses fail instead of warn',
        env: { variable: 'BENCH_STRICT', form: '1 | 0 | true | false', parser: 'flag', example: '1', meaning: 'threshold misses fail' },
      }),
    progress: z
      .enum(['auto', 'tty', 'plain', 'off'])
      .default('auto')
      .register(optionMeta, {
        description: '`tty` (one updating line), `plain` (stage transitions + every 30 s), `off`; `auto` picks by stderr',
        env: { variable: 'BENCH_PROGRESS', form: 'auto | tty | plain | off', parser: 'choice', example: 'plain', meaning: 'progress display' },
      }),
    thresholds: ThresholdsOverrideSchema.optional().register(optionMeta, {
      description: "Deep-partial override, e.g. `{ speedup: { '2': { min: 1.5 } } }`",
      shownDefault: '`DEFAULT_THRESHOLDS`',
    }),
    repeats: RepeatsOptionSchema.default(1).register(optionMeta, {
      description:
        'Minimum measured runs per GPU count of every benchmark case, or a repeat policy `{ minRuns, shortRunSeconds, shortMinRuns, maxRuns, budgetSeconds, stableRuns, stableWithin, warmup }` (plugin/model/repeat-policy.ts): short runs repeat until stable, long runs stay at the minimum (a case may set its own `repeats`)',
      env: { variable: 'BENCH_REPEATS', form: 'a positive integer', parser: 'number', example: '3', meaning: 'pipeline runs per GPU count (≥ 3: median/min/max/spread; ≥ 5: significance tests in compare-reports)' },
    }),
    freshVanilla: z
      .boolean()
      .default(false)
      .register(optionMeta, {
        description: '`validateAgainstFreshVanilla` cases run (vanilla and optimised, fresh, compared); skipped otherwise',
        env: { variable: 'VALIDATE_FRESH_VANILLA', form: '1 | 0 | true | false', parser: 'flag', example: '1', meaning: 'run the opt-in fresh-vanilla validations' },
      }),
    launcher: LauncherOptionsSchema.default({ kind: 'local' }).register(optionMeta, {
      description: "Where pipeline runs execute: `{ kind: 'local' }` in place, or `{ kind: 'slurm', partition?, account?, qos?, timeLimit?, exclusive: true, extraArgs: [], concurrent: false, gpusPerNode? }` as Slurm jobs on a cluster's compute nodes (plugin/pipeline/slurm/README.md)",
      shownDefault: "`{ kind: 'local' }`",
      env: { variable: 'BENCH_LAUNCHER', form: 'local | slurm', parser: 'kind', example: 'slurm', meaning: 'run every pipeline as a Slurm job' },
    }),
  })
  .strict()

export type HarnessOptions = z.input<typeof HarnessOptionsSchema>
type ParsedOptions = z.output<typeof HarnessOptionsSchema>
export type TargetConfig = ParsedOptions['target']
export type ReferenceTargetConfig = Extract<TargetConfig, { kind: 'reference' }>
export type VirnucproTargetConfig = Extract<TargetConfig, { kind: 'virnucpro' }>
export type ProgressMode = ParsedOptions['progress']
export type LauncherConfig = ParsedOptions['launcher']
export type SlurmLauncherConfig = Extract<LauncherConfig, { kind: 'slurm' }>

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
