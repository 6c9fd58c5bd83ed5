/**
 * Builders of schema-valid RunResult / CaseResult / Environment objects for tests (validated on the way out, so a
 * test never runs on data the real harness could not produce). Reusable by any module's tests.
 */
import { CaseResultSchema, type CaseKind, type CaseResult } from '../model/case-result.ts'
import { EnvironmentSchema, type Environment } from '../model/environment.ts'
import { RunResultSchema, type RunResult, type StageTiming } from '../model/run-result.ts'
import { STAGES, type Stage } from '../model/stages.ts'
import type { GpuTelemetry, GpuWindow } from '../model/telemetry.ts'
import type { Comparison } from '../model/validation.ts'

export function buildEnvironment(overrides: Partial<Environment> & { gpuCount?: number; gpuName?: string } = {}): Environment {
  const { gpuCount = 4, gpuName = 'NVIDIA H200', ...rest } = overrides
  return EnvironmentSchema.parse({
    capturedAt: '2026-11-28T12:00:00.000Z',
    host: 'gpu-host',
    platform: 'linux-x64',
    cpuModel: 'Test CPU',
    cpuCount: 16,
    memoryBytes: 128 * 2 ** 30,
    node: 'v20.20.2',
    python: { executable: '/usr/bin/python3', version: '3.11.2', torch: '2.11.0', cudaAvailable: gpuCount > 0, cudaVersion: '12.8', deviceCount: gpuCount },
    gpus: Array.from({ length: gpuCount }, (_, index) => ({ index, name: gpuName, uuid: `GPU-${index}`, memoryTotalMiB: 143771 })),
    driverVersion: gpuCount > 0 ? '570.86.15' : null,
    cudaDriverVersion: gpuCount > 0 ? '12.8' : null,
    git: { commit: 'abc1234', dirty: false },
    ...rest,
  })
}

/** Default per-stage seconds on 1 GPU, shaped like the real tool (ESM-2 dominates, CPU stages small). */
export const DEFAULT_STAGE_SECONDS: Record<Stage, number> = {
  CHUNKING: 2,
  TRANSLATION: 3,
  NUCLEOTIDE_SPLITTING: 1,
  PROTEIN_SPLITTING: 1,
  NUCLEOTIDE_FEATURES: 20,
  PROTEIN_FEATURES: 60,
  FEATURE_MERGING: 6,
  PREDICTION: 5,
  CONSENSUS: 2,
}

export interface RunOptions {
  id?: string
  gpuCount?: number
  /** Per-stage seconds; missing stages use DEFAULT_STAGE_SECONDS. */
  stageSeconds?: Partial<Record<Stage, number>>
  /** Added to the stage sum to give the externally measured wall time (imports, start-up). */
  overheadSeconds?: number
  inputRecords?: number
  orfFrames?: number
  /** Mean embedding utilisation, percent; null → telemetry 'unavailable'. */
  utilisationPercent?: number | null
  intervalMs?: number
  memoryPeakMiB?: number
  powerW?: number
  modelLoadSeconds?: Partial<Record<Stage, number>>
  phases?: Partial<Record<Stage, StageTiming['phases']>>
  outcome?: RunResult['outcome']
  sampleName?: string
  startedAtMs?: number
  environment?: Environment
}

function gpuWindow(window: string, startMs: number, endMs: number, gpus: readonly number[], util: number, memoryPeakMiB: number, powerW: number): GpuWindow {
  const seconds = (endMs - startMs) / 1000
  const perGpu = gpus.map((gpu) => ({
    gpu,
    samples: Math.max(1, Math.round(seconds * 2)),
    utilisationPercent: { mean: util, p50: util, p95: Math.min(100, util + 5), max: Math.min(100, util + 10) },
    memoryUsedMiB: { peak: memoryPeakMiB, mean: memoryPeakMiB * 0.8 },
    memoryTotalMiB: 143771,
    powerW: { mean: powerW, p50: powerW, p95: powerW, max: powerW },
    energyJ: powerW * seconds,
    smClockMHz: null,
    longestIdleSeconds: 0,
  }))
  return {
    window,
    startMs,
    endMs,
    perGpu,
    meanUtilisationPercent: util,
    energyJ: powerW * seconds * gpus.length,
    busy: { busyThresholdPercent: 10, allBusySeconds: seconds, someBusySeconds: 0, noneBusySeconds: 0 },
  }
}

export function buildRun(options: RunOptions = {}): RunResult {
  const gpuCount = options.gpuCount ?? 1
  const startedAtMs = options.startedAtMs ?? Date.UTC(2026, 10, 28, 12)
  const inputRecords = options.inputRecords ?? 2000
  const orfFrames = options.orfFrames ?? 8000
  const stages: StageTiming[] = []
  let cursor = startedAtMs + 1000
  for (const stage of STAGES) {
    const seconds = options.stageSeconds?.[stage] ?? DEFAULT_STAGE_SECONDS[stage]
    const records = stage === 'NUCLEOTIDE_FEATURES' || stage === 'PROTEIN_FEATURES' || stage === 'FEATURE_MERGING' || stage === 'PREDICTION' ? orfFrames : inputRecords
    stages.push({
      stage,
      status: 'completed',
      startedAtMs: cursor,
      completedAtMs: cursor + seconds * 1000,
      durationSeconds: seconds,
      recordsIn: records,
      recordsOut: records,
      tokens: null,
      modelLoadSeconds: options.modelLoadSeconds?.[stage] ?? null,
      source: 'state-file',
      phases: options.phases?.[stage] ?? [],
    })
    cursor += seconds * 1000
  }
  const stageTotal = stages.reduce((t, s) => t + (s.durationSeconds ?? 0), 0)
  const wallSeconds = stageTotal + (options.overheadSeconds ?? 5)
  const endedAtMs = startedAtMs + wallSeconds * 1000
  const gpus = Array.from({ length: gpuCount }, (_, i) => i)
  const util = options.utilisationPercent === undefined ? 85 : options.utilisationPercent
  const peak = options.memoryPeakMiB ?? 40000
  const power = options.powerW ?? 400
  const embeddingStart = stages.find((s) => s.stage === 'NUCLEOTIDE_FEATURES')?.startedAtMs ?? startedAtMs
  const embeddingEnd = stages.find((s) => s.stage === 'PROTEIN_FEATURES')?.completedAtMs ?? endedAtMs
  const gpu: GpuTelemetry =
    util === null || gpuCount === 0
      ? { status: 'unavailable', reason: gpuCount === 0 ? 'no GPUs (CPU run)' : 'nvidia-smi not found' }
      : {
          status: 'sampled',
          source: 'nvidia-smi',
          intervalMs: options.intervalMs ?? 500,
          sampleCount: Math.round(wallSeconds * 2) * gpuCount,
          samplerCpuPercent: 0.5,
          timelinePath: null,
          assignedGpus: gpus,
          busyGpus: gpus,
          run: gpuWindow('run', startedAtMs, endedAtMs, gpus, util * 0.8, peak, power),
          embedding: gpuWindow('embedding', embeddingStart, embeddingEnd, gpus, util, peak, power),
          stages: [],
        }
  const id = options.id ?? `run-${gpuCount}gpu-${startedAtMs}`
  const outcome = options.outcome ?? 'succeeded'
  return RunResultSchema.parse({
    id,
    target: { kind: 'reference', name: 'virnucpro_ref', version: '0.1.0' },
    mode: 'optimised',
    device: gpuCount > 0 ? 'cuda' : 'cpu',
    gpuCount,
    sample: { name: options.sampleName ?? 'synth-small', path: `/samples/${options.sampleName ?? 'synth-small'}.fa`, records: inputRecords },
    command: ['python3', '-m', 'virnucpro_ref', 'predict', 'in.fa'],
    runDir: `/runs/${id}`,
    outputDir: `/runs/${id}/out`,
    startedAtMs,
    endedAtMs,
    wallSeconds,
    pipelineWallSeconds: stageTotal,
    exitCode: outcome === 'succeeded' ? 0 : 1,
    signal: null,
    outcome,
    outcomeDescription: outcome === 'succeeded' ? 'exit 0: success' : 'exit 1: failed',
    stages,
    counts: { inputRecords, chunks: inputRecords, orfFrames, predictions: orfFrames, consensus: inputRecords },
    gpu,
    logFindings: [],
    logs: { stdout: `/runs/${id}/stdout.log`, stderr: `/runs/${id}/stderr.log` },
    environment: options.environment ?? buildEnvironment(),
  })
}

/** Stage seconds for n GPUs when the embedding stages scale with efficiency `efficiency` and the rest do not. */
export function scaledStageSeconds(gpus: number, efficiency = 0.95): Record<Stage, number> {
  const factor = gpus <= 1 ? 1 : 1 / (gpus * efficiency)
  return {
    ...DEFAULT_STAGE_SECONDS,
    NUCLEOTIDE_FEATURES: DEFAULT_STAGE_SECONDS.NUCLEOTIDE_FEATURES * factor,
    PROTEIN_FEATURES: DEFAULT_STAGE_SECONDS.PROTEIN_FEATURES * factor,
  }
}

export interface CaseOptions {
  id?: string
  title?: string
  kind?: CaseKind
  status?: CaseResult['status']
  error?: string | null
  skipReasons?: string[]
  runs?: RunResult[]
  comparisons?: Comparison[]
  params?: CaseResult['params']
  sampleName?: string
  manifestPath?: string | null
  startedAtMs?: number
}

export function buildCase(options: CaseOptions = {}): CaseResult {
  const runs = options.runs ?? []
  const startedAtMs = options.startedAtMs ?? runs[0]?.startedAtMs ?? Date.UTC(2026, 10, 28, 12)
  const endedAtMs = runs.reduce((t, r) => Math.max(t, r.endedAtMs), startedAtMs)
  const sampleName = options.sampleName ?? runs[0]?.sample.name ?? 'synth-small'
  return CaseResultSchema.parse({
    id: options.id ?? 'scaling-small',
    title: options.title ?? 'Scaling on synth-small',
    file: 'benches/scaling.bench.ts',
    kind: options.kind ?? 'scaling',
    status: options.status ?? 'ok',
    error: options.error ?? null,
    skipReasons: options.skipReasons ?? [],
    sample: { name: sampleName, path: `/samples/${sampleName}.fa`, records: runs[0]?.counts.inputRecords ?? null, manifestPath: options.manifestPath ?? null },
    params: options.params ?? {},
    runs,
    comparisons: options.comparisons ?? [],
    warnings: [],
    startedAtMs,
    endedAtMs,
  })
}

/** A scaling case with `repeats` runs per GPU count; wall times jitter deterministically by `jitter` seconds. */
export function buildScalingCase(options: { id?: string; title?: string; gpuCounts?: number[]; repeats?: number; efficiency?: number; utilisationPercent?: number | null; jitter?: number; slowdown?: number; memoryPeakMiB?: number; environment?: Environment } = {}): CaseResult {
  const runs: RunResult[] = []
  const repeats = options.repeats ?? 3
  let start = Date.UTC(2026, 10, 28, 12)
  for (const gpuCount of options.gpuCounts ?? [1, 2, 4]) {
    for (let r = 0; r < repeats; r++) {
      const stageSeconds = scaledStageSeconds(gpuCount, options.efficiency)
      const slow = options.slowdown ?? 1
      const scaled = Object.fromEntries(Object.entries(stageSeconds).map(([k, v]) => [k, v * slow])) as Record<Stage, number>
      const run = buildRun({
        id: `${options.id ?? 'scaling'}-${gpuCount}gpu-r${r}`,
        gpuCount,
        stageSeconds: scaled,
        overheadSeconds: 5 + (options.jitter ?? 0.2) * ((r % 3) - 1),
        utilisationPercent: options.utilisationPercent === undefined ? 85 : options.utilisationPercent,
        memoryPeakMiB: options.memoryPeakMiB ?? 40000,
        startedAtMs: start,
        ...(options.environment ? { environment: options.environment } : {}),
      })
      start = run.endedAtMs + 1000
      runs.push(run)
    }
  }
  return buildCase({ id: options.id ?? 'scaling-small', runs, ...(options.title === undefined ? {} : { title: options.title }) })
}

export function buildComparison(verdict: Comparison['verdict'] = 'pass'): Comparison {
  return {
    verdict,
    candidate: '/runs/optimised/out',
    reference: 'fixtures/references/synth-tiny',
    tolerance: { rtol: 1e-3, atol: 1e-5 },
    tensors: [
      { stage: 'dnabert', vectors: 100, width: 768, elements: 76800, maxAbsDiff: 1e-6, maxRelDiff: 2e-5, outsideTolerance: 0, outsidePercent: 0, vectorsOutside: 0, minCosine: 0.999999, meanCosine: 1, nanCount: 0, infCount: 0, worst: null, lowCosine: null },
    ],
    predictions: { rows: 100, labelAgreement: 100, labelFlips: 0, borderlineFlips: 0, maxScoreDiff: 1e-5, meanScoreDiff: 1e-6, agreeingMaxScoreDiff: 1e-5 },
    consensus: { rows: 40, agreement: 100, disagreements: 0, borderlineDisagreements: 0 },
    findings: verdict === 'pass' ? [] : [{ verdict, code: 'label-flips', message: '2 labels flipped near 0.5' }],
    firstDivergingStage: verdict === 'pass' ? null : 'esm',
    referenceDescription: null,
    downstream: [],
  }
}
