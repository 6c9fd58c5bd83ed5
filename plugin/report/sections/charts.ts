/** Charts embedded as images (relative SVG links, which GitHub renders), or a note saying why there are none. */
import type { Report } from '../schema.ts'
import type { MarkdownSection } from './section.ts'

/** Why a report has no charts, from what its runs recorded. */
export function noChartsReason(report: Report): string {
  const runs = report.cases.flatMap((c) => c.runs)
  if (runs.length === 0) return 'no pipeline run finished, so there is nothing to plot'
  if (runs.every((r) => r.device === 'cpu')) {
    return 'every run was on CPU: there are no GPU samples for a utilisation timeline, and a scaling curve needs runs at two or more GPU counts'
  }
  const reasons = [...new Set(runs.flatMap((r) => (r.gpu.status === 'unavailable' ? [r.gpu.reason] : [])))]
  if (reasons.length > 0) return `no GPU samples (${reasons.join('; ')}), and no scaling case with a speedup`
  return 'no GPU timeline could be read and no scaling case has a speedup'
}

export const chartsSection: MarkdownSection = (report, context) => {
  if (context.chartsOmitted !== undefined) return ['## Charts', '', context.chartsOmitted, '']
  if (context.charts.length === 0) return ['## Charts', '', `No charts: ${noChartsReason(report)}.`, '']
  const lines = ['## Charts', '']
  for (const chart of context.charts) lines.push(`![${chart.title}](${chart.path})`, '')
  return lines
}
