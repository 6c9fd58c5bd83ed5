/** Which charts a report gets and what they are called: decided once, used by the SVG writer and the markdown links. */
import type { Report } from './schema.ts'

export type ChartSpec =
  | { kind: 'scaling'; caseId: string; title: string; path: string }
  | { kind: 'gpu-timeline'; caseId: string; runId: string; title: string; path: string }

function slug(value: string): string {
  return value.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 100) || 'chart'
}

/** Runs with samples get a timeline; at most `maxTimelines` of them, so a 50-run suite does not write 50 charts. */
export function planCharts(report: Report, chartDir: string, runsWithSamples: ReadonlySet<string>, maxTimelines = 12): ChartSpec[] {
  const charts: ChartSpec[] = []
  for (const scaling of report.scaling) {
    if (scaling.points.some((p) => p.speedup !== null)) {
      const title = report.cases.find((c) => c.id === scaling.caseId)?.title ?? scaling.caseId
      charts.push({ kind: 'scaling', caseId: scaling.caseId, title: `Scaling: ${title}`, path: `${chartDir}/scaling-${slug(scaling.caseId)}.svg` })
    }
  }
  let timelines = 0
  for (const c of report.cases) {
    for (const run of c.runs) {
      if (!runsWithSamples.has(run.id) || timelines >= maxTimelines) continue
      timelines++
      const gpus = `${run.gpuCount} GPU${run.gpuCount === 1 ? '' : 's'}`
      charts.push({ kind: 'gpu-timeline', caseId: c.id, runId: run.id, title: `GPU utilisation: ${c.title} (${run.mode}, ${gpus})`, path: `${chartDir}/gpu-${slug(run.id)}.svg` })
    }
  }
  return charts
}
