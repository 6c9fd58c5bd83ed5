/** SVG charts: the scaling curve against ideal (projected points hollow) and per-GPU utilisation timelines. */
import { amdahlSpeedup } from '../analysis/amdahl.ts'
import type { ScalingAnalysis } from '../analysis/schema.ts'
import type { ChartSpec } from './chart-plan.ts'
import type { TimelinePoint, RenderContext, RenderedFile, ReportFormatter } from './formatter.ts'
import type { Report } from './schema.ts'
import { axes, escapeXml, legend, linearScale, niceTicks, PALETTE, svgDocument, type Frame } from './svg.ts'
import { STAGE_SHORT } from '../analysis/run-diagnosis.ts'
import type { RunResult } from '../model/run-result.ts'

const FRAME: Frame = { width: 720, height: 420, left: 60, right: 190, top: 36, bottom: 48 }

function polyline(points: readonly (readonly [number, number])[], color: string, dashed = false): string {
  const coords = points.map(([px, py]) => `${px.toFixed(1)},${py.toFixed(1)}`).join(' ')
  return `<polyline points="${coords}" fill="none" stroke="${color}" stroke-width="2"${dashed ? ' stroke-dasharray="5 4"' : ''}/>`
}

export function scalingChartSvg(scaling: ScalingAnalysis, title: string): string {
  const measured = scaling.points.filter((p) => p.speedup !== null && p.gpus >= 1).map((p) => ({ gpus: p.gpus, speedup: p.speedup as number }))
  const projected = scaling.amdahl?.projections ?? []
  const maxGpus = Math.max(2, ...measured.map((p) => p.gpus), ...projected.map((p) => p.gpus))
  const maxSpeedup = Math.max(maxGpus, ...measured.map((p) => p.speedup))
  const x = linearScale([1, maxGpus], [FRAME.left, FRAME.width - FRAME.right])
  const y = linearScale([0, maxSpeedup], [FRAME.height - FRAME.bottom, FRAME.top])
  // GPU counts are whole: tick the counts that were measured or projected (and 1 and the axis end), never 1.5.
  const gpuTicks = [...new Set([1, maxGpus, ...measured.map((p) => p.gpus), ...projected.map((p) => p.gpus)])].sort((a, b) => a - b)
  const parts = [axes(FRAME, x, y, gpuTicks, niceTicks(0, maxSpeedup), 'GPUs', 'Speedup over 1 GPU (×)')]
  if (measured.length === 1 && projected.length === 0) {
    parts.push(`<text class="note" x="${(FRAME.left + FRAME.width - FRAME.right) / 2}" y="${FRAME.top + 24}" text-anchor="middle" font-size="12" fill="#555">one GPU count measured: no scaling curve yet</text>`)
  }
  parts.push(`<g class="ideal">${polyline([[x(1), y(1)], [x(maxGpus), y(maxGpus)]], '#999', true)}</g>`)
  const entries: Parameters<typeof legend>[1][number][] = [{ label: 'ideal (linear)', color: '#999', mark: 'dashed' }]
  const fit = scaling.amdahl
  if (fit !== null) {
    const curve: [number, number][] = []
    for (let n = 1; n <= maxGpus + 1e-9; n += (maxGpus - 1) / 40) curve.push([x(n), y(amdahlSpeedup(fit.serialFraction, n))])
    parts.push(`<g class="amdahl">${polyline(curve, PALETTE[1] ?? '#f80')}</g>`)
    entries.push({ label: `Amdahl fit (f=${fit.serialFraction.toFixed(3)})`, color: PALETTE[1] ?? '#f80', mark: 'line' })
  }
  const blue = PALETTE[0] ?? '#00f'
  parts.push(`<g class="measured">${polyline(measured.map((p) => [x(p.gpus), y(p.speedup)]), blue)}`)
  for (const p of measured) parts.push(`<circle class="point measured" cx="${x(p.gpus).toFixed(1)}" cy="${y(p.speedup).toFixed(1)}" r="5" fill="${blue}" stroke="${blue}"/>`)
  parts.push('</g>')
  entries.push({ label: 'measured', color: blue, mark: 'dot' })
  if (projected.length > 0) {
    parts.push('<g class="projected">')
    for (const p of projected) parts.push(`<circle class="point projected" cx="${x(p.gpus).toFixed(1)}" cy="${y(p.speedup).toFixed(1)}" r="5" fill="#fff" stroke="${blue}" stroke-width="2"/>`)
    parts.push('</g>')
    entries.push({ label: 'projected (Amdahl)', color: blue, mark: 'hollow' })
  }
  parts.push(legend(FRAME, entries))
  return svgDocument(FRAME, title, parts.join('\n'))
}

/** A stage's span in seconds since the run started (from the state file's timestamps). */
export interface StageBand {
  label: string
  startSeconds: number
  endSeconds: number
}

const BAND_FILLS = ['#eef3fb', '#fdf1e6']

function stageBands(bands: readonly StageBand[], x: (v: number) => number, maxSeconds: number): string {
  const top = FRAME.top
  const bottom = FRAME.height - FRAME.bottom
  const parts = bands
    .filter((b) => b.endSeconds > b.startSeconds && b.startSeconds < maxSeconds)
    .map((b, i) => {
      const x0 = x(Math.max(0, b.startSeconds))
      const x1 = x(Math.min(maxSeconds, b.endSeconds))
      const label = x1 - x0 >= 28 ? `<text x="${((x0 + x1) / 2).toFixed(1)}" y="${top + 12}" text-anchor="middle" font-size="10" fill="#555">${escapeXml(b.label)}</text>` : ''
      return `<rect class="stage-band" x="${x0.toFixed(1)}" y="${top}" width="${(x1 - x0).toFixed(1)}" height="${bottom - top}" fill="${BAND_FILLS[i % 2]}"/>${label}`
    })
  return `<g class="stage-bands">${parts.join('')}</g>`
}

export function timelineChartSvg(samples: readonly TimelinePoint[], title: string, thresholdPercent: number, bands: readonly StageBand[] = []): string {
  const gpus = [...new Set(samples.map((s) => s.gpu))].sort((a, b) => a - b)
  const maxSeconds = Math.max(1, ...samples.map((s) => s.tMs / 1000), ...bands.map((b) => b.endSeconds))
  const x = linearScale([0, maxSeconds], [FRAME.left, FRAME.width - FRAME.right])
  const y = linearScale([0, 100], [FRAME.height - FRAME.bottom, FRAME.top])
  const parts = [stageBands(bands, x, maxSeconds), axes(FRAME, x, y, niceTicks(0, maxSeconds), [0, 20, 40, 60, 80, 100], 'Seconds since start', 'GPU utilisation (%)')]
  parts.push(`<g class="threshold">${polyline([[x(0), y(thresholdPercent)], [x(maxSeconds), y(thresholdPercent)]], '#d62728', true)}</g>`)
  const entries: Parameters<typeof legend>[1][number][] = []
  gpus.forEach((gpu, i) => {
    const color = PALETTE[i % PALETTE.length] ?? '#000'
    const series = samples.filter((s) => s.gpu === gpu).sort((a, b) => a.tMs - b.tMs)
    parts.push(`<g class="gpu-series" data-gpu="${gpu}">${polyline(series.map((s) => [x(s.tMs / 1000), y(s.utilisationPercent)]), color)}</g>`)
    entries.push({ label: `GPU ${gpu}`, color, mark: 'line' })
  })
  entries.push({ label: `target ${thresholdPercent} %`, color: '#d62728', mark: 'dashed' })
  parts.push(legend(FRAME, entries))
  return svgDocument(FRAME, title, parts.join('\n'))
}

/** Stage spans relative to the run's start; stages without a start time are left out. */
export function bandsOf(run: Pick<RunResult, 'startedAtMs' | 'endedAtMs' | 'stages'>): StageBand[] {
  return run.stages.flatMap((s) =>
    s.startedAtMs === null ? [] : [{ label: STAGE_SHORT[s.stage], startSeconds: (s.startedAtMs - run.startedAtMs) / 1000, endSeconds: ((s.completedAtMs ?? run.endedAtMs) - run.startedAtMs) / 1000 }],
  )
}

export class SvgCharts implements ReportFormatter {
  readonly name = 'svg'

  render(report: Report, context: RenderContext): RenderedFile[] {
    return context.charts.flatMap((chart: ChartSpec): RenderedFile[] => {
      if (chart.kind === 'scaling') {
        const scaling = report.scaling.find((s) => s.caseId === chart.caseId)
        return scaling === undefined ? [] : [{ path: chart.path, content: scalingChartSvg(scaling, chart.title) }]
      }
      const samples = context.timelines.get(chart.runId)
      const run = report.cases.flatMap((c) => c.runs).find((r) => r.id === chart.runId)
      const bands = run === undefined ? [] : bandsOf(run)
      return samples === undefined || samples.length === 0 ? [] : [{ path: chart.path, content: timelineChartSvg(samples, chart.title, report.thresholds.embeddingUtilisationPercent, bands) }]
    })
  }
}
