/**
 * What a finished run's logs and GPU samples say beyond stage times: the phases inside the embedding stages, the
 * optimisation claims with their evidence, the effective configuration and the tool's own bottleneck ranking.
 * Pure (no I/O): runPipeline calls it on a live run, and it can be replayed on a kept run folder.
 */
import { judgeClaims } from '../analysis/claims.ts'
import { logClockOffsetMs, stagePhases } from '../analysis/phases.ts'
import type { RunResult, StageTiming } from '../model/run-result.ts'
import { EMBEDDING_STAGES } from '../model/stages.ts'
import type { GpuSample } from './gpu-sample.ts'
import { IDLE_UTILISATION_PCT } from './gpu-summary.ts'
import type { LogSummary } from './log-parser.ts'

export interface RunEvidenceInput {
  log: LogSummary
  /** Every GPU sample of the run (null when it was not sampled). */
  samples: readonly GpuSample[] | null
  /** pipeline_state.json `pipeline_config` (model_path, expected_length), when the state file had one. */
  stateConfig?: Record<string, unknown> | null
  /** dtype of the written ESM-2 embeddings, when the harness read them. */
  esmOutputDtype?: string | null
}

/** The run's GPUs: those it was given plus those that worked (the real tool's v2 path may ignore `--gpus`). */
function runGpus(run: RunResult): Set<number> {
  if (run.gpu.status !== 'sampled') return new Set()
  return new Set([...run.gpu.assignedGpus, ...run.gpu.busyGpus])
}

function busyTimes(run: RunResult, samples: readonly GpuSample[]): number[] {
  const gpus = runGpus(run)
  const threshold = run.gpu.status === 'sampled' ? run.gpu.run.busy.busyThresholdPercent : IDLE_UTILISATION_PCT
  const times = samples.filter((s) => (gpus.size === 0 || gpus.has(s.gpu)) && (s.utilisationPct ?? 0) >= threshold).map((s) => s.timestampMs)
  return [...new Set(times)].sort((a, b) => a - b)
}

function withPhases(run: RunResult, input: RunEvidenceInput): StageTiming[] {
  const pairs = run.stages.flatMap((s) => {
    const logged = input.log.stages[s.stage]?.startedAtMs
    return s.source === 'state-file' && s.startedAtMs !== null && logged !== null && logged !== undefined ? [{ logMs: logged, stateMs: s.startedAtMs }] : []
  })
  const offset = logClockOffsetMs(pairs)
  const marks = input.log.phaseMarks.map((m) => ({ ...m, atMs: m.atMs + offset }))
  const busy = input.samples === null ? [] : busyTimes(run, input.samples)
  const intervalMs = run.gpu.status === 'sampled' ? run.gpu.intervalMs : null
  return run.stages.map((s) => {
    if (!EMBEDDING_STAGES.includes(s.stage) || s.startedAtMs === null || s.completedAtMs === null) return s
    return { ...s, phases: stagePhases({ stage: s.stage, startMs: s.startedAtMs, endMs: s.completedAtMs, marks, busyTimesMs: busy, intervalMs }) }
  })
}

function effectiveConfig(log: LogSummary, state: Record<string, unknown> | null | undefined): RunResult['effectiveConfig'] {
  const stateModel = typeof state?.model_path === 'string' ? state.model_path : null
  const stateLength = typeof state?.expected_length === 'number' && Number.isInteger(state.expected_length) && state.expected_length > 0 ? state.expected_length : null
  const model = stateModel ?? log.config.model
  const chunkLength = stateLength ?? log.config.chunkLength
  if (model === null && chunkLength === null) return null
  const sources = [stateModel !== null || stateLength !== null ? 'pipeline_state.json pipeline_config' : null, log.config.model !== null || log.config.chunkLength !== null ? 'log `Model:` / `Expected length:` lines' : null]
  return { model, chunkLength, source: sources.filter((x) => x !== null).join('; ') }
}

export function withRunEvidence(run: RunResult, input: RunEvidenceInput): RunResult {
  const judged = judgeClaims({ evidence: input.log.claims, esmOutputDtype: input.esmOutputDtype ?? null })
  const known = new Set(run.logFindings.map((f) => f.code))
  return {
    ...run,
    stages: withPhases(run, input),
    claims: judged.claims,
    logFindings: [...run.logFindings, ...judged.findings.filter((f) => !known.has(f.code))],
    effectiveConfig: effectiveConfig(input.log, input.stateConfig),
    toolBottlenecks: input.log.bottlenecks,
  }
}
