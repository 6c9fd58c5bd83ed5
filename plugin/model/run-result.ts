import { z } from 'zod'
import { EnvironmentSchema } from './environment.ts'
import { StageSchema } from './stages.ts'
import { GpuTelemetrySchema } from './telemetry.ts'
import { CalibrationSchema, StageEfficiencySchema } from './efficiency.ts'
import { StagePhaseSchema } from './phases.ts'
import { ClaimSchema, EffectiveConfigSchema, LeftoverProcessSchema } from './run-evidence.ts'
import { SlurmJobRecordSchema } from './scheduler.ts'

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
  /** The stage's wall time split into phases (plugin/analysis/phases.ts); empty when nothing marks them. */
  phases: z.array(StagePhaseSchema).default([]),
})
export type StageTiming = z.infer<typeof StageTimingSchema>

/** 'not-scheduled': a cluster scheduler refused or never started the run (a request problem, not a pipeline failure). */
export const RUN_OUTCOMES = ['succeeded', 'failed', 'out-of-memory', 'terminated', 'timed-out', 'interrupted', 'partial', 'not-scheduled'] as const
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

/** A log anomaly (contract §6 and the harness's own checks), counted, with the stage it belongs to and its first line. */
export const LogFindingSchema = z.object({
  severity: z.enum(['error', 'warning']),
  code: z.string(),
  message: z.string(),
  count: z.number().int().positive().default(1),
  stage: StageSchema.nullable().default(null),
  firstLine: z.string().nullable().default(null),
  workers: z.array(z.number().int().nonnegative()).default([]),
})
export type RunLogFinding = z.infer<typeof LogFindingSchema>

/** The first ERROR lines and traceback lines of each stream: the real tool logs its errors on stdout, workers on stderr. */
export const ErrorLinesSchema = z.object({ stdout: z.array(z.string()), stderr: z.array(z.string()) })
export type ErrorLines = z.infer<typeof ErrorLinesSchema>

/** What the run left in its output folder, counted from the file names (contract §2). */
export const OutputInventorySchema = z.object({
  nucleotideFeatureFiles: z.number().int().nonnegative(),
  proteinFeatureFiles: z.number().int().nonnegative(),
  mergedFiles: z.number().int().nonnegative(),
  predictionFile: z.boolean(),
  consensusFile: z.boolean(),
  /** `.done` markers whose data file is absent (a capture that did not keep the `.pt` files, or a half-written run). */
  doneMarkersWithoutFile: z.number().int().nonnegative(),
})
export type OutputInventory = z.infer<typeof OutputInventorySchema>

/** A check of the output files against each other and the logs (contract §6 catches), made by post-run analysis. */
export const OutputCheckSchema = z.object({
  check: z.string(),
  status: z.enum(['ok', 'warn', 'fail', 'not-checked']),
  detail: z.string(),
})
export type OutputCheck = z.infer<typeof OutputCheckSchema>

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
  logFindings: z.array(LogFindingSchema),
  errorLines: ErrorLinesSchema.default({ stdout: [], stderr: [] }),
  outputs: OutputInventorySchema.nullable().default(null),
  outputChecks: z.array(OutputCheckSchema).default([]),
  logs: z.object({ stdout: z.string(), stderr: z.string() }),
  environment: EnvironmentSchema,
  /** The GPU ceiling measured on this machine (GPU runs only), and the embedding stages' efficiency against it. */
  calibration: CalibrationSchema.nullable().default(null),
  efficiency: z.array(StageEfficiencySchema).default([]),
  /** Optimisations the pipeline's log claims, each with what the harness saw (plugin/analysis/claims.ts). */
  claims: z.array(ClaimSchema).default([]),
  /** Processes of the run's group still alive after the parent exited and the grace period passed. */
  leftoverProcesses: z.array(LeftoverProcessSchema).default([]),
  /** The model and chunk length the run really used (contract §6.8), and where each was read. */
  effectiveConfig: EffectiveConfigSchema.nullable().default(null),
  /** The `Bottlenecks:` line of the pipeline's own summary, as logged. */
  toolBottlenecks: z.array(z.object({ stage: z.string(), percent: z.number() })).default([]),
  /** The Slurm job that ran it (launcher 'slurm'); absent for runs launched in place. */
  scheduler: SlurmJobRecordSchema.optional(),
  /**
   * A run that paid one-off costs (cold file cache, lazy imports, first CUDA context) by the case's repeat policy:
   * shown apart in the reports, never part of a median, a speedup or a comparison.
   */
  warmup: z.boolean().default(false),
  /** The host's 1-minute load average when the run ended (os.loadavg): above the CPU count, timings carry contention. */
  hostLoad: z.number().nonnegative().nullable().default(null),
})
export type RunResult = z.infer<typeof RunResultSchema>
