/**
 * Real-sample wall-time projection from measured per-stage-group throughput. Pure: no I/O.
 * Every projection carries the throughputs, counts and scaling assumption it was made from.
 */
import { STAGE_GROUPS, type StageGroup } from '../model/stages.ts'
import type { Thresholds } from '../model/thresholds.ts'
import { amdahlSpeedup } from './amdahl.ts'
import type { GroupThroughput, Projection, ScalingAnalysis, ScalingPoint } from './schema.ts'

/**
 * The little of a sample manifest a projection needs (the full schema lives in plugin/data/sample-manifest.ts;
 * structural so that any manifest object fits).
 */
export interface ManifestLike {
  name: string
  sequenceCount: number
  length: { mean: number }
  baseline?: { wallSeconds: number } | null | undefined
}

export interface ProjectionContext {
  caseId: string
  manifest: ManifestLike
  /** Mean sequence length of the sample the case measured, when known (case params `meanLength`). */
  measuredMeanLength: number | null
  /** True when the case ran the manifest's sample itself: its measurement goes beside the projection. */
  measuredIsRealSample: boolean
  target: Thresholds['realSampleHours'] | null
}

const HOUR = 3600

function groupThroughputs(point: ScalingPoint, inputRecords: number): GroupThroughput[] {
  const rows: GroupThroughput[] = []
  for (const group of STAGE_GROUPS) {
    const stages = point.stages.filter((s) => s.group === group)
    if (stages.length === 0) continue
    const seconds = stages.reduce((t, s) => t + s.seconds.value, 0)
    const load = stages.reduce((t, s) => t + (s.modelLoadSeconds ?? 0), 0)
    const records = stages.find((s) => s.records !== null)?.records ?? inputRecords
    // When load is not logged (or swallows the stage), the whole stage time is treated as per-record cost.
    const variable = seconds - load > 0 ? seconds - load : seconds
    const fixed = seconds - load > 0 ? load : 0
    if (variable <= 0 || records <= 0) continue
    rows.push({ group: group as StageGroup, recordsPerSecond: records / variable, recordsPerInputSequence: records / inputRecords, fixedSeconds: fixed })
  }
  return rows
}

interface Measured {
  point: ScalingPoint
  inputRecords: number
  throughputs: GroupThroughput[]
  overhead: number
  lengthFactor: number
}

function measuredBasis(point: ScalingPoint, context: ProjectionContext): Measured | string {
  if (point.inputRecords === null || point.inputRecords <= 0) return `no input record count for the ${point.gpus}-GPU runs`
  const throughputs = groupThroughputs(point, point.inputRecords)
  if (throughputs.length === 0) return `no completed stage timings for the ${point.gpus}-GPU runs`
  const stageSeconds = point.stages.reduce((t, s) => t + s.seconds.value, 0)
  const lengthFactor = context.measuredMeanLength !== null && context.measuredMeanLength > 0 ? context.manifest.length.mean / context.measuredMeanLength : 1
  return { point, inputRecords: point.inputRecords, throughputs, overhead: Math.max(0, point.wallSeconds.value - stageSeconds), lengthFactor }
}

function projectedSeconds(m: Measured, sequenceCount: number): number {
  const perGroup = m.throughputs.reduce(
    (t, g) => t + g.fixedSeconds + (sequenceCount * g.recordsPerInputSequence * m.lengthFactor) / g.recordsPerSecond,
    0,
  )
  return m.overhead + perGroup
}

function assumptionsFor(m: Measured, context: ProjectionContext): string[] {
  const notes = [
    `records per input sequence as in the measured sample (${m.inputRecords} inputs at ${m.point.gpus} GPU(s))`,
    'per-record cost constant (throughput does not depend on sample size); model load and start-up counted once',
    context.measuredMeanLength === null
      ? 'per-record cost independent of sequence length (measured sample mean length unknown)'
      : `per-record cost scales linearly with mean length (${context.manifest.length.mean} / ${context.measuredMeanLength} = ${m.lengthFactor.toFixed(3)})`,
  ]
  if (context.manifest.baseline) notes.push(`manifest baseline: ${(context.manifest.baseline.wallSeconds / HOUR).toFixed(2)} h`)
  return notes
}

function judge(gpus: number, seconds: number, target: ProjectionContext['target']): Pick<Projection, 'target' | 'withinTarget'> {
  if (target === null) return { target: null, withinTarget: null }
  return {
    target: { hours: target.target, tolerance: target.tolerance, gpus: target.gpus },
    withinTarget: gpus === target.gpus ? seconds / HOUR <= target.target * (1 + target.tolerance) : null,
  }
}

export interface ProjectionOutcome {
  projections: Projection[]
  /** Why a GPU count (notably the target's) could not be projected. */
  notProjected: { gpus: number; reason: string }[]
}

export function projectRealSample(scaling: ScalingAnalysis, context: ProjectionContext): ProjectionOutcome {
  const projections: Projection[] = []
  const notProjected: ProjectionOutcome['notProjected'] = []
  const count = context.manifest.sequenceCount
  for (const point of scaling.points.filter((p) => p.gpus >= 1)) {
    const m = measuredBasis(point, context)
    if (typeof m === 'string') {
      notProjected.push({ gpus: point.gpus, reason: m })
      continue
    }
    const seconds = projectedSeconds(m, count)
    projections.push({
      caseId: context.caseId,
      sample: context.manifest.name,
      sequenceCount: count,
      gpus: point.gpus,
      seconds,
      hours: seconds / HOUR,
      basis: `projected (measured throughput at ${point.gpus} GPU(s) × ${count} sequences)`,
      assumptions: assumptionsFor(m, context),
      inputs: { measuredGpus: point.gpus, measuredInputRecords: m.inputRecords, lengthFactor: m.lengthFactor, perRunOverheadSeconds: m.overhead, throughputs: m.throughputs },
      ...judge(point.gpus, seconds, context.target),
      measured: context.measuredIsRealSample ? { wallSeconds: point.wallSeconds.value, hours: point.wallSeconds.value / HOUR, source: `measured full run (median of ${point.runs})` } : null,
    })
  }
  const targetGpus = context.target?.gpus
  if (targetGpus !== undefined && !projections.some((p) => p.gpus === targetGpus)) {
    const one = projections.find((p) => p.gpus === 1)
    const fit = scaling.amdahl
    if (one === undefined || fit === null) {
      notProjected.push({ gpus: targetGpus, reason: `${targetGpus} GPUs not measured and no Amdahl fit (${scaling.amdahlNote ?? 'no 1-GPU projection'})` })
    } else {
      const speedup = amdahlSpeedup(fit.serialFraction, targetGpus)
      const seconds = one.seconds / speedup
      projections.push({
        ...one,
        gpus: targetGpus,
        seconds,
        hours: seconds / HOUR,
        basis: `projected (measured throughput at 1 GPU, scaled by Amdahl fit, f=${fit.serialFraction.toFixed(3)}, S(${targetGpus})=${speedup.toFixed(2)}×)`,
        assumptions: [...one.assumptions, `whole-run speedup follows the Amdahl fit (f=${fit.serialFraction.toFixed(3)})`],
        ...judge(targetGpus, seconds, context.target),
        measured: null,
      })
    }
  }
  return { projections, notProjected }
}
