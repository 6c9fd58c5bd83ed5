/**
 * Log findings of every run (contract §6 failure modes and the harness's own checks), errors first, with count,
 * stage and first line; and for every failed run the diagnosis (failing stage, cause) with the first error lines
 * of both streams.
 */
import { diagnoseRun, orderFindings } from '../../analysis/run-diagnosis.ts'
import { STAGE_TITLES } from '../../model/stages.ts'
import { codeBlock, table } from './markdown.ts'
import type { MarkdownSection } from './section.ts'
import { gpuLabel } from './what-ran.ts'

export const failuresSection: MarkdownSection = (report) => {
  const lines: string[] = []
  for (const c of report.cases) {
    for (const run of c.runs) {
      if (run.outcome === 'succeeded') continue
      const d = diagnoseRun(run)
      const injected = run.command.some((a) => a === '--inject')
      lines.push(`### ${c.title}: ${run.mode} on ${gpuLabel(run.gpuCount)}${injected ? ' (fault injected on purpose)' : ''}`, '', `**${d.headline}**`, '')
      lines.push(`Logs: \`${run.logs.stdout}\`, \`${run.logs.stderr}\`.`, '')
      for (const stream of ['stdout', 'stderr'] as const) {
        const found = d.errorLines[stream]
        lines.push(found.length === 0 ? `First error lines on ${stream}: none.` : `First error lines on ${stream}:`, '')
        if (found.length > 0) lines.push(...codeBlock(found), '')
      }
    }
  }
  if (lines.length === 0) return []
  return ['## Failed runs', '', ...lines]
}

export const findingsSection: MarkdownSection = (report) => {
  const rows = report.cases.flatMap((c) =>
    c.runs.flatMap((run) =>
      orderFindings(run.logFindings).map((f) => [
        f.severity === 'error' ? '❌ error' : '⚠ warning',
        f.code,
        f.count,
        f.stage === null ? '—' : STAGE_TITLES[f.stage],
        `${c.title} (${run.mode}, ${gpuLabel(run.gpuCount)})`,
        f.message.replace(/ \(×\d+\)$/, ''),
        f.firstLine === null ? '—' : `\`${f.firstLine.slice(0, 200).replace(/`/g, "'")}\``,
      ]),
    ),
  )
  if (rows.length === 0) {
    const runs = report.cases.reduce((n, c) => n + c.runs.length, 0)
    return runs === 0 ? [] : ['## Log findings', '', `None: the logs of the ${runs} run${runs === 1 ? '' : 's'} hold none of the known failure or warning patterns.`, '']
  }
  const sorted = [...rows].sort((a, b) => (a[0] === b[0] ? 0 : String(a[0]).startsWith('❌') ? -1 : 1))
  return [
    '## Log findings',
    '',
    'Lines in the pipeline logs (stdout and stderr) that match a known failure mode (contract §6) or a harness check; errors first.',
    '',
    table(['Severity', 'Finding', 'Count', 'Stage', 'Run', 'Meaning and first message', 'First line'], sorted),
    '',
  ]
}
