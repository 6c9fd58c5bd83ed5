/** What ran, per case: title, test file, target, mode, model, sample (size, lengths, provenance), GPUs. */
import { table } from './markdown.ts'
import type { MarkdownSection } from './section.ts'
import { caseFacts, sampleText } from './what-ran.ts'

export const whatRanSection: MarkdownSection = (report) => {
  const ran = report.cases.filter((c) => c.runs.length > 0)
  if (ran.length === 0) return []
  const rows = ran.map((c) => {
    const f = caseFacts(c)
    return [c.title, `\`${c.file}\``, f.target, f.mode, f.model, sampleText(c), c.sample.provenance ?? '—', f.gpus]
  })
  return ['## What ran', '', table(['Case', 'Test file', 'Target', 'Mode', 'Model', 'Sample', 'Sample provenance', 'GPUs'], rows), '']
}

/** Cases that did not run, and parts of cases that were not measured here, each with its reason. */
export const skippedSection: MarkdownSection = (report) => {
  const rows = report.cases.flatMap((c) =>
    c.verdict.state === 'skipped'
      ? [[c.title, `\`${c.file}\``, 'skipped', c.skipReasons.join('; ') || 'skipped (no reason recorded)']]
      : c.skipReasons.map((reason) => [c.title, `\`${c.file}\``, 'partly measured', reason]),
  )
  if (rows.length === 0) return []
  return ['## Skipped', '', table(['Case', 'Test file', 'What', 'Reason'], rows), '']
}
