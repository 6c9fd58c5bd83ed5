/**
 * Thresholds → soft warnings, one case at a time. Missing data is never a miss: it goes to `notEvaluated` with the
 * reason. Pure: no I/O.
 */
import type { CaseResult } from '../model/case-result.ts'
import type { Thresholds, Warning } from '../model/thresholds.ts'
import { amdahlSpeedup } from './amdahl.ts'
import { fixed, percent, times } from './format-numbers.ts'
import { projectRealSample, type ManifestLike } from './projection.ts'
import { projectionCheckWarnings } from './projection-check.ts'
import { analyseScaling, measurableRuns } from './scaling.ts'
import type { CaseAnalysis, NotEvaluated, Projection, ScalingAnalysis } from './schema.ts'
import { summarise } from './statistics.ts'

export interface EvaluateOptions {
  /** Extra GPU counts to project speedups for, beyond those the thresholds name. */
  projectTo?: readonly number[]
}

export interface CaseEvaluation {
  analysis: CaseAnalysis
  warnings: Warning[]
}

function measuredBasisText(runs: number): string {
  return runs === 1 ? 'measured (n=1)' : `measured (median of ${runs} runs)`
}

function speedupChecks(caseId: string, scaling: ScalingAnalysis, thresholds: Thresholds, warnings: Warning[], notEvaluated: NotEvaluated[]): void {
  for (const [key, band] of Object.entries(thresholds.speedup)) {
    const gpus = Number(key)
    const check = `speedup at ${gpus} GPUs`
    const point = scaling.points.find((p) => p.gpus === gpus)
    let measured: number
    let basis: string
    if (point?.speedup != null) {
      measured = point.speedup
      basis = measuredBasisText(point.runs)
    } else if (scaling.amdahl !== null) {
      measured = amdahlSpeedup(scaling.amdahl.serialFraction, gpus)
      basis = scaling.amdahl.basis
    } else {
      const counts = scaling.points.map((p) => p.gpus)
      const reason = counts.every((n) => n === 0)
        ? 'no GPU runs (CPU only)'
        : `${gpus} GPUs not measured (measured: ${counts.join(', ') || 'none'}) and no Amdahl fit: ${scaling.amdahlNote ?? 'unknown'}`
      notEvaluated.push({ check, caseId, reason })
      continue
    }
    if (measured >= band.min) continue
    const short = band.min - measured
    warnings.push({
      code: 'speedup-below-band',
      caseId,
      metric: `speedup.${gpus}gpu`,
      measured,
      target: `≥ ${times(band.min)} (target ${times(band.target)}) on ${gpus} GPUs`,
      shortfall: `${fixed(short)}× short of ${times(band.min)} (${percent(short / band.min)})`,
      basis,
      message: `Speedup on ${gpus} GPUs is ${times(measured)}, below the ${times(band.min)}–${times(band.max ?? band.target)} band`,
    })
  }
}

function utilisationChecks(caseId: string, scaling: ScalingAnalysis, thresholds: Thresholds, warnings: Warning[], notEvaluated: NotEvaluated[]): void {
  const limit = thresholds.embeddingUtilisationPercent
  const gpuPoints = scaling.points.filter((p) => p.gpus >= 1)
  if (gpuPoints.length === 0) {
    notEvaluated.push({ check: 'embedding GPU utilisation', caseId, reason: 'no GPU runs (CPU only)' })
    return
  }
  for (const point of gpuPoints) {
    const check = `embedding GPU utilisation at ${point.gpus} GPU(s)`
    if (point.embeddingUtilisationPercent === null) {
      notEvaluated.push({ check, caseId, reason: point.utilisationNote ?? 'no utilisation samples' })
      continue
    }
    const measured = point.embeddingUtilisationPercent
    if (measured > limit) continue
    warnings.push({
      code: 'embedding-utilisation-low',
      caseId,
      metric: `embeddingUtilisation.${point.gpus}gpu`,
      measured,
      target: `> ${limit} %`,
      shortfall: `${fixed(limit - measured, 1)} points short of ${limit} %`,
      basis: point.samplingIntervalMs === null ? 'sampled' : `sampled at ${point.samplingIntervalMs} ms`,
      message: `Mean GPU utilisation over the embedding stages on ${point.gpus} GPU(s) is ${fixed(measured, 1)} %, not above ${limit} %`,
    })
  }
}

function realSampleCheck(
  caseResult: CaseResult,
  scaling: ScalingAnalysis,
  thresholds: Thresholds,
  manifest: ManifestLike,
  warnings: Warning[],
  notEvaluated: NotEvaluated[],
): Projection[] {
  const target = thresholds.realSampleHours
  const { projections, notProjected } = projectRealSample(scaling, {
    caseId: caseResult.id,
    manifest,
    runs: caseResult.runs,
    measuredIsRealSample: caseResult.sample.name === manifest.name,
    target,
  })
  const check = `real-sample wall time on ${target.gpus} GPUs`
  const atTarget = projections.find((p) => p.gpus === target.gpus)
  if (atTarget === undefined) {
    const reason = notProjected.find((n) => n.gpus === target.gpus)?.reason ?? `no projection for ${target.gpus} GPUs`
    notEvaluated.push({ check, caseId: caseResult.id, reason })
    return projections
  }
  const hours = atTarget.measured?.hours ?? atTarget.hours
  const ceiling = target.target * (1 + target.tolerance)
  // A projection warns only when its whole interval is over; a measured full run when it is over.
  if (atTarget.measured !== null ? hours > ceiling : atTarget.verdict === 'over target') {
    warnings.push({
      code: 'real-sample-over-target',
      caseId: caseResult.id,
      metric: `realSampleHours.${target.gpus}gpu`,
      measured: hours,
      target: `< ${target.target} h ± ${percent(target.tolerance)} (≤ ${fixed(ceiling)} h) on ${target.gpus} GPUs`,
      shortfall: `${fixed(hours - ceiling)} h over ${fixed(ceiling)} h (${percent((hours - ceiling) / ceiling)})`,
      basis: atTarget.measured !== null ? atTarget.measured.source : atTarget.basis,
      message: `${manifest.name} (${manifest.sequenceCount} sequences) takes ${fixed(hours)} h on ${target.gpus} GPUs`,
    })
  }
  return projections
}

/** Kinds whose absence of a manifest is worth listing as a not-evaluated real-sample check. */
const PROJECTING_KINDS = new Set(['scaling', 'end-to-end'])

export function evaluateCase(caseResult: CaseResult, thresholds: Thresholds, manifest?: ManifestLike, options: EvaluateOptions = {}): CaseEvaluation {
  const caseId = caseResult.id
  const warnings: Warning[] = []
  const notEvaluated: NotEvaluated[] = []
  const runs = measurableRuns(caseResult.runs)
  const analysis: CaseAnalysis = {
    caseId,
    // Across GPU counts a single wall-time summary would mix different configurations: the scaling points have those.
    wallSeconds: runs.length === 0 || new Set(runs.map((r) => r.gpuCount)).size > 1 ? null : summarise(runs.map((r) => r.wallSeconds)),
    scaling: null,
    projections: [],
    notEvaluated,
  }
  if (caseResult.status !== 'ok') {
    const why = caseResult.status === 'error' ? `case errored: ${caseResult.error ?? 'unknown error'}` : `case skipped: ${caseResult.skipReasons.join('; ') || 'no reason given'}`
    notEvaluated.push({ check: 'performance thresholds', caseId, reason: why })
    return { analysis, warnings }
  }
  if (caseResult.kind === 'validation') return { analysis, warnings }
  if (runs.length === 0) {
    notEvaluated.push({ check: 'performance thresholds', caseId, reason: `no successful runs (${caseResult.runs.length} run(s) recorded)` })
    return { analysis, warnings }
  }
  const projectTo = [...new Set([...Object.keys(thresholds.speedup).map(Number), thresholds.realSampleHours.gpus, ...(options.projectTo ?? [])])]
  const scaling = analyseScaling(caseId, runs, projectTo)
  analysis.scaling = scaling
  if (caseResult.kind === 'scaling') speedupChecks(caseId, scaling, thresholds, warnings, notEvaluated)
  utilisationChecks(caseId, scaling, thresholds, warnings, notEvaluated)
  warnings.push(...projectionCheckWarnings(caseId, caseResult.projectionChecks ?? []))
  if (manifest !== undefined) {
    analysis.projections = realSampleCheck(caseResult, scaling, thresholds, manifest, warnings, notEvaluated)
  } else if (PROJECTING_KINDS.has(caseResult.kind)) {
    notEvaluated.push({ check: `real-sample wall time on ${thresholds.realSampleHours.gpus} GPUs`, caseId, reason: 'no sample manifest for this case' })
  }
  return { analysis, warnings }
}
