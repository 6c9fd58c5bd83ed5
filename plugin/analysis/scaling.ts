/** Per-GPU-count scaling points, stage-group speedups and the Amdahl fit from a case's runs. Pure: no I/O. */
import type { RunResult, StageTiming } from '../model/run-result.ts'
import { STAGES, STAGE_GROUPS, STAGE_GROUP_OF, type Stage } from '../model/stages.ts'
import { fitAmdahl } from './amdahl.ts'
import type { GroupSpeedup, ScalingAnalysis, ScalingPoint, StagePoint } from './schema.ts'
import { max, mean, median, summarise } from './statistics.ts'

/** Only completed, measured runs count: a failed run measures the failure, a warm-up run the one-off costs. */
export function measurableRuns(runs: readonly RunResult[]): RunResult[] {
  return runs.filter((r) => r.outcome === 'succeeded' && !r.warmup)
}

function medianOrNull(values: readonly (number | null)[]): number | null {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v))
  return present.length === 0 ? null : median(present)
}

function completedStage(run: RunResult, stage: Stage): StageTiming | undefined {
  return run.stages.find((s) => s.stage === stage && s.status === 'completed' && s.durationSeconds !== null)
}

function stagePoints(runs: readonly RunResult[]): StagePoint[] {
  const points: StagePoint[] = []
  for (const stage of STAGES) {
    const timings = runs.map((r) => completedStage(r, stage)).filter((t): t is StageTiming => t !== undefined)
    if (timings.length === 0) continue
    const seconds = summarise(timings.map((t) => t.durationSeconds as number))
    const records = medianOrNull(timings.map((t) => t.recordsIn ?? t.recordsOut))
    points.push({
      stage,
      group: STAGE_GROUP_OF[stage],
      seconds,
      records,
      recordsPerSecond: records !== null && seconds.value > 0 ? records / seconds.value : null,
      modelLoadSeconds: medianOrNull(timings.map((t) => t.modelLoadSeconds)),
    })
  }
  return points
}

type SampledTelemetry = Extract<RunResult['gpu'], { status: 'sampled' }>

function sampled(runs: readonly RunResult[]): SampledTelemetry[] {
  return runs.map((r) => r.gpu).filter((g): g is SampledTelemetry => g.status === 'sampled')
}

function utilisation(runs: readonly RunResult[]): Pick<ScalingPoint, 'embeddingUtilisationPercent' | 'utilisationNote' | 'samplingIntervalMs'> {
  const telemetry = sampled(runs)
  if (telemetry.length === 0) {
    const reasons = [...new Set(runs.map((r) => (r.gpu.status === 'unavailable' ? r.gpu.reason : '')).filter(Boolean))]
    return { embeddingUtilisationPercent: null, utilisationNote: `GPU telemetry unavailable: ${reasons.join('; ') || 'no runs'}`, samplingIntervalMs: null }
  }
  const samplingIntervalMs = median(telemetry.map((t) => t.intervalMs))
  const embedding = telemetry.map((t) => t.embedding).filter((w) => w !== null)
  if (embedding.length === 0) {
    return { embeddingUtilisationPercent: null, utilisationNote: 'no embedding-stage window in the GPU samples', samplingIntervalMs }
  }
  return { embeddingUtilisationPercent: median(embedding.map((w) => w.meanUtilisationPercent)), utilisationNote: null, samplingIntervalMs }
}

function perGpu(runs: readonly RunResult[]): ScalingPoint['perGpu'] {
  const byGpu = new Map<number, { util: number[]; peak: number[]; mean: number[]; total: number | null }>()
  for (const t of sampled(runs)) {
    const window = t.embedding ?? t.run
    for (const stats of window.perGpu) {
      const runStats = t.run.perGpu.find((s) => s.gpu === stats.gpu) ?? stats
      const entry = byGpu.get(stats.gpu) ?? { util: [], peak: [], mean: [], total: stats.memoryTotalMiB }
      entry.util.push(stats.utilisationPercent.mean)
      entry.peak.push(runStats.memoryUsedMiB.peak)
      entry.mean.push(runStats.memoryUsedMiB.mean)
      byGpu.set(stats.gpu, entry)
    }
  }
  return [...byGpu.entries()]
    .sort(([a], [b]) => a - b)
    .map(([gpu, e]) => ({ gpu, utilisationPercent: mean(e.util), memoryPeakMiB: max(e.peak), memoryMeanMiB: mean(e.mean), memoryTotalMiB: e.total }))
}

function scalingPoint(gpus: number, runs: readonly RunResult[]): ScalingPoint {
  const wallSeconds = summarise(runs.map((r) => r.wallSeconds))
  const orfFrames = medianOrNull(runs.map((r) => r.counts.orfFrames))
  const gpuRows = perGpu(runs)
  const energies = sampled(runs).map((t) => t.run.energyJ)
  const energy = medianOrNull(energies)
  return {
    gpus,
    runs: runs.length,
    wallSeconds,
    stages: stagePoints(runs),
    inputRecords: medianOrNull(runs.map((r) => r.counts.inputRecords)),
    orfFrames,
    sequencesPerSecond: orfFrames !== null && wallSeconds.value > 0 ? orfFrames / wallSeconds.value : null,
    speedup: null,
    efficiency: null,
    ...utilisation(runs),
    perGpu: gpuRows,
    memoryPeakMiB: gpuRows.length === 0 ? null : max(gpuRows.map((g) => g.memoryPeakMiB)),
    memoryMeanMiB: gpuRows.length === 0 ? null : mean(gpuRows.map((g) => g.memoryMeanMiB)),
    energyJPerSequence: energy !== null && orfFrames !== null && orfFrames > 0 ? energy / orfFrames : null,
    basis: 'measured',
  }
}

function groupSeconds(point: ScalingPoint): Map<string, number> {
  const seconds = new Map<string, number>()
  for (const s of point.stages) seconds.set(s.group, (seconds.get(s.group) ?? 0) + s.seconds.value)
  return seconds
}

function groupSpeedups(points: readonly ScalingPoint[]): GroupSpeedup[] {
  const base = points.find((p) => p.gpus === 1)
  if (base === undefined) return []
  const baseSeconds = groupSeconds(base)
  const rows: GroupSpeedup[] = []
  for (const point of points.filter((p) => p.gpus >= 1)) {
    const seconds = groupSeconds(point)
    for (const group of STAGE_GROUPS) {
      const t = seconds.get(group)
      const t1 = baseSeconds.get(group)
      if (t === undefined || t1 === undefined) continue
      rows.push({ group, gpus: point.gpus, seconds: t, baselineSeconds: t1, speedup: t > 0 ? t1 / t : null })
    }
  }
  return rows
}

/** GPU counts Amdahl projections are made for by default: the project's 2/4/8 targets. */
export const DEFAULT_PROJECTION_GPUS: readonly number[] = [2, 4, 8]

export function analyseScaling(caseId: string, runs: readonly RunResult[], projectTo: readonly number[] = DEFAULT_PROJECTION_GPUS): ScalingAnalysis {
  const ok = measurableRuns(runs)
  const counts = [...new Set(ok.map((r) => r.gpuCount))].sort((a, b) => a - b)
  const points = counts.map((n) => scalingPoint(n, ok.filter((r) => r.gpuCount === n)))
  const base = points.find((p) => p.gpus === 1)
  if (base !== undefined) {
    for (const p of points) {
      if (p.gpus < 1 || p.wallSeconds.value <= 0) continue
      p.speedup = base.wallSeconds.value / p.wallSeconds.value
      p.efficiency = p.speedup / p.gpus
    }
  }
  const speedups = points.filter((p) => p.speedup !== null).map((p) => ({ gpus: p.gpus, speedup: p.speedup as number }))
  const amdahl = base === undefined ? { fit: null, note: 'no 1-GPU measurement to fit against' } : fitAmdahl(speedups, base.wallSeconds.value, projectTo)
  return { caseId, points, groupSpeedups: groupSpeedups(points), amdahl: amdahl.fit, amdahlNote: amdahl.note }
}
