import { z } from 'zod'
import { EnvironmentSchema } from './environment.ts'
import { StageSchema } from './stages.ts'
import { GpuTelemetrySchema } from './telemetry.ts'
import { CalibrationSchema, StageEfficiencySchema } from './efficiency.ts'

export const StageTimingSchema = z.object({
  stage: StageSchema,
  status: z.enum(['not_started', 'in_progress', 'completed', 'failed', 'skipped']),
  /** Epoch milliseconds (UTC). */
  startedAtMs: z.number().nullable(),
  completedAtMs: z.number().nullable(),
  durationSeconds: z.number().nullable(),
  recordsIn: z.number().int().nonnegative().nullable(),
  recordsOut: z.number().int().nonnegative().nullable(),
  tokens: z.number().int().nonnegative().nullable(),
  /** Seconds of model loading inside the stage, where the pipeline logs it. */
  modelLoadSeconds: z.number().nullable(),
  /** Where the timing came from: the state file is authoritative, the log a fallback. */
  source: z.enum(['state-file', 'log']),
})
export type StageTiming = z.infer<typeof StageTimingSchema>

export const RUN_OUTCOMES = ['succeeded', 'failed', 'out-of-memory', 'terminated', 'timed-out', 'interrupted', 'partial'] as const
export const RunOutcomeSchema = z.enum(RUN_OUTCOMES)
export type RunOutcome = z.infer<typeof RunOutcomeSchema>

export const RunCountsSchema = z.object({
  inputRecords: z.number().int().nonnegative().nullable(),
  chunks: z.number().int().nonnegative().nullable(),
  orfFrames: z.number().int().nonnegative().nullable(),
  predictions: z.number().int().nonnegative().nullable(),
  consensus: z.number().int().nonnegative().nullable(),
})
export type RunCounts = z.infer<typeof RunCountsSchema>

/** One execution of a pipeline on one sample: the harness's unit of measurement. */
export const RunResultSchema = z.object({
  id: z.string(),
  target: z.object({ kind: z.enum(['reference', 'virnucpro']), name: z.string(), version: z.string().nullable() }),
  mode: z.enum(['vanilla', 'optimised']),
  device: z.enum(['cpu', 'cuda']),
  gpuCount: z.number().int().nonnegative(),
  sample: z.object({ name: z.string(), path: z.string(), records: z.number().int().nonnegative().nullable() }),
  command: z.array(z.string()),
  runDir: z.string(),
  outputDir: z.string(),
  startedAtMs: z.number(),
  endedAtMs: z.number(),
  /** Measured outside the process, from spawn to exit. */
  wallSeconds: z.number(),
  /** The pipeline's own `Total wall time`, which excludes imports and start-up. */
  pipelineWallSeconds: z.number().nullable(),
  exitCode: z.number().int().nullable(),
  signal: z.string().nullable(),
  outcome: RunOutcomeSchema,
  /** The exit status in words, e.g. "exit 4: out of memory". */
  outcomeDescription: z.string(),
  stages: z.array(StageTimingSchema),
  counts: RunCountsSchema,
  gpu: GpuTelemetrySchema,
  /** Log anomalies: lines that mean trouble even when the exit code is 0 (contract §6). */
  logFindings: z.array(z.object({ severity: z.enum(['error', 'warning']), code: z.string(), message: z.string() })),
  logs: z.object({ stdout: z.string(), stderr: z.string() }),
  environment: EnvironmentSchema,
  /** The GPU ceiling measured on this machine (GPU runs only), and the embedding stages' efficiency against it. */
  calibration: CalibrationSchema.nullable().default(null),
  efficiency: z.array(StageEfficiencySchema).default([]),
  /**
   * A run that paid one-off costs (cold file cache, lazy imports, first CUDA context) by the case's repeat policy:
   * shown apart in the reports, never part of a median, a speedup or a comparison.
   */
  warmup: z.boolean().default(false),
  /** The host's 1-minute load average when the run ended (os.loadavg): above the CPU count, timings carry contention. */
  hostLoad: z.number().nonnegative().nullable().default(null),
})
export type RunResult = z.infer<typeof RunResultSchema>
