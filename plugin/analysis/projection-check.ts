/**
 * A projection checked against the run it predicted, and the soft warning when it misses: more than 10 % off (the
 * issue's bar for betting a 10-hour run on it), or the measured time outside the interval the projection claimed.
 * Pure: no I/O.
 */
import type { Warning } from '../model/thresholds.ts'
import { percent } from './format-numbers.ts'
import type { ProjectionCheck } from '../model/projection-check.ts'
import type { Projection } from './schema.ts'

export const PROJECTION_CHECK_TOLERANCE = 0.1

export function projectionCheck(projection: Projection, measuredSeconds: number): ProjectionCheck {
  return {
    sample: projection.sample,
    gpus: projection.gpus,
    projectedSeconds: projection.seconds,
    low: projection.low,
    high: projection.high,
    measuredSeconds,
    errorFraction: (projection.seconds - measuredSeconds) / measuredSeconds,
    inside: measuredSeconds >= projection.low && measuredSeconds <= projection.high,
    basis: `calibrated on ${projection.calibration.samples.join(', ')} at ${projection.calibration.gpus} GPU(s); ${projection.uncertainty.basis}`,
  }
}

export function projectionCheckWarnings(caseId: string, checks: readonly ProjectionCheck[]): Warning[] {
  return checks
    .filter((c) => Math.abs(c.errorFraction) > PROJECTION_CHECK_TOLERANCE || !c.inside)
    .map((c) => ({
      code: 'projection-check-miss',
      caseId,
      metric: `projectionCheck.${c.sample}.${c.gpus}gpu.errorPercent`,
      measured: Math.round(c.errorFraction * 1000) / 10,
      target: `within ±${percent(PROJECTION_CHECK_TOLERANCE)} of the measured time, measured inside the interval`,
      shortfall: `${percent(Math.abs(c.errorFraction))} off${c.inside ? '' : ', measured outside the interval'}`,
      basis: `projected ${c.projectedSeconds.toFixed(1)} s (${c.low.toFixed(1)}–${c.high.toFixed(1)} s) vs measured ${c.measuredSeconds.toFixed(1)} s`,
      message: `Projection of ${c.sample} on ${c.gpus === 0 ? 'CPU' : `${c.gpus} GPU(s)`} is ${percent(c.errorFraction)} off the measured wall time`,
    }))
}
