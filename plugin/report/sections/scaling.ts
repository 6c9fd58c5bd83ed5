/** Scaling over GPU counts (measured and Amdahl-projected rows, stage-group speedups) and the per-stage breakdown. */
import { duration, fixed, percent, times } from '../../analysis/format-numbers.ts'
import type { ScalingAnalysis } from '../../analysis/schema.ts'
import { STAGE_GROUP_TITLES, STAGE_TITLES } from '../../model/stages.ts'
import type { Report, ReportCase } from '../schema.ts'
import { orDash, table } from './markdown.ts'
import { caseTitle, type MarkdownSection } from './section.ts'
import { gpusCell } from './what-ran.ts'


function speedupStatus(report: Report, gpus: number, speedup: number | null): string {
  const band = report.thresholds.speedup[String(gpus)]
  if (band === undefined || speedup === null) return '—'
  return speedup >= band.min ? `✅ ≥ ${times(band.min)}` : `⚠️ < ${times(band.min)}`
}

function scalingSection(report: Report, scaling: ScalingAnalysis): string[] {
  const rows = scaling.points.map((p) => [
    gpusCell(p.gpus),
    `${duration(p.wallSeconds.value)}${p.wallSeconds.flag ? ` (${p.wallSeconds.flag})` : ''}`,
    orDash(p.speedup, times),
    orDash(p.efficiency, (e) => percent(e)),
    `measured (${p.runs} run${p.runs === 1 ? '' : 's'})`,
    speedupStatus(report, p.gpus, p.speedup),
  ])
  for (const p of scaling.amdahl?.projections ?? []) {
    rows.push([`${p.gpus} *(projected)*`, duration(p.wallSeconds), times(p.speedup), percent(p.efficiency), p.basis, speedupStatus(report, p.gpus, p.speedup)])
  }
  const lines = [`### Scaling: ${caseTitle(report, scaling.caseId)}`, '', table(['GPUs', 'Wall time', 'Speedup', 'Efficiency', 'Basis', 'Status'], rows), '']
  if (scaling.amdahlNote) lines.push(`No Amdahl projection: ${scaling.amdahlNote}.`, '')
  const groups = scaling.groupSpeedups.filter((g) => g.gpus > 1)
  if (groups.length > 0) {
    lines.push(
      table(['Stage group', 'GPUs', 'Time', '1-GPU time', 'Speedup'], groups.map((g) => [STAGE_GROUP_TITLES[g.group], g.gpus, duration(g.seconds), duration(g.baselineSeconds), orDash(g.speedup, times)])),
      '',
    )
  }
  return lines
}

function stageSection(c: ReportCase): string[] {
  const scaling = c.analysis.scaling
  if (scaling === null || scaling.points.length === 0) return []
  const rows = scaling.points.flatMap((p) => {
    const total = p.stages.reduce((t, s) => t + s.seconds.value, 0)
    return p.stages.map((s) => [
      STAGE_TITLES[s.stage],
      gpusCell(p.gpus),
      duration(s.seconds.value),
      orDash(s.seconds.spread, (v) => percent(v, 1)),
      orDash(s.records, (v) => String(Math.round(v))),
      orDash(s.recordsPerSecond, (v) => fixed(v, 1)),
      total > 0 ? percent(s.seconds.value / total, 1) : '—',
      orDash(s.modelLoadSeconds, duration),
    ])
  })
  return [`### Per-stage breakdown: ${c.title}`, '', table(['Stage', 'GPUs', 'Time (median)', 'Spread', 'Records in', 'Throughput (records/s)', 'Share', 'Model load'], rows), '']
}

export const scalingSections: MarkdownSection = (report) => {
  const lines: string[] = []
  if (report.scaling.length > 0) {
    lines.push('## Scaling', '')
    for (const scaling of report.scaling) lines.push(...scalingSection(report, scaling))
  }
  const stageLines = report.cases.flatMap(stageSection)
  if (stageLines.length > 0) lines.push('## Per-stage breakdown', '', ...stageLines)
  return lines
}
