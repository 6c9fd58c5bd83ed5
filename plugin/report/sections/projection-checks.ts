/** The projection checks as a markdown section: projected (with its interval) beside measured, and the error. */
import { percent } from '../../analysis/format-numbers.ts'
import { PROJECTION_CHECK_TOLERANCE } from '../../analysis/projection-check.ts'
import type { ProjectionCheck } from '../../model/projection-check.ts'
import { projectedTime } from '../format-projection.ts'
import { cell } from './markdown.ts'
import type { MarkdownSection } from './section.ts'


function row(check: ProjectionCheck): string {
  const ok = Math.abs(check.errorFraction) <= PROJECTION_CHECK_TOLERANCE && check.inside
  const measured = projectedTime(check.measuredSeconds, check.measuredSeconds, check.measuredSeconds).split(',')[0]!
  const sign = check.errorFraction >= 0 ? '+' : '−'
  return `| ${[
    cell(check.sample),
    check.gpus === 0 ? 'CPU' : check.gpus,
    projectedTime(check.projectedSeconds, check.low, check.high),
    measured,
    `${sign}${percent(Math.abs(check.errorFraction), 1)}`,
    check.inside ? 'yes' : 'no',
    ok ? '✅' : '⚠️',
  ].join(' | ')} |`
}

export function projectionChecksSection(checks: readonly ProjectionCheck[]): string[] {
  if (checks.length === 0) return []
  const bases = [...new Set(checks.map((c) => c.basis))]
  return [
    '## Projection checks',
    '',
    `Held-out samples projected from the calibration sweep alone, then measured (wall time, outside the process). ✅ = within ±${percent(PROJECTION_CHECK_TOLERANCE)} and measured inside the interval.`,
    '',
    '| Sample | GPUs | Projected (interval) | Measured | Error | Inside | |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...checks.map(row),
    '',
    ...bases.map((b) => `Basis: ${b}.`),
    '',
  ]
}

export const projectionChecksSections: MarkdownSection = (report) => projectionChecksSection(report.projectionChecks)
