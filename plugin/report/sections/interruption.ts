/** What was running and what had finished when the suite was stopped; run folders earlier sessions abandoned. */
import type { Report } from '../schema.ts'
import { table } from './markdown.ts'
import type { MarkdownSection } from './section.ts'

function interruptionSection(report: Report): string[] {
  const i = report.interruption
  if (i === null) return []
  const lines = ['## Interrupted', '', `${i.reason} at ${new Date(i.atMs).toISOString()}${i.signal === null ? '' : ` (${i.signal})`}.`, '']
  lines.push(`Running then (${i.running.length}):`, '', ...(i.running.length ? i.running.map((t) => `- ${t}`) : ['- nothing']), '')
  lines.push(`Finished by then (${i.finished.length}):`, '', ...(i.finished.length ? i.finished.map((t) => `- ${t}`) : ['- nothing']), '')
  return lines
}

function abandonedSection(report: Report): string[] {
  if (report.abandonedRuns.length === 0) return []
  return [
    '## Abandoned runs of earlier sessions',
    '',
    table(
      ['Run folder', 'Harness pid', 'Processes ended', 'What it shows'],
      report.abandonedRuns.map((r) => [r.runDir, r.harnessPid ?? '—', r.endedPids.length ? r.endedPids.join(' ') : 'none alive', r.note]),
    ),
    '',
  ]
}

/** Runs whose GPU sampler died: from when their samples are missing. */
function samplingGapLines(report: Report): string[] {
  const lines = report.cases
    .flatMap((c) => c.runs)
    .flatMap((r) =>
      r.gpu.status === 'sampled' && r.gpu.samplingGap != null
        ? [`- **GPU samples missing** in run ${r.id} from ${new Date(r.gpu.samplingGap.fromMs).toISOString()} (${((r.gpu.samplingGap.fromMs - r.startedAtMs) / 1000).toFixed(1)} s into the run) to its end: ${r.gpu.samplingGap.reason}; its GPU figures cover the time before only.`]
        : [],
    )
  return lines.length === 0 ? [] : [...lines, '']
}

export const interruptionSections: MarkdownSection = (report) => [...interruptionSection(report), ...abandonedSection(report), ...samplingGapLines(report)]
