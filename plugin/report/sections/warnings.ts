/** Threshold misses (soft warnings) with measured value, target, shortfall and basis; checks that could not be made. */
import { fixed } from '../../analysis/format-numbers.ts'
import type { Report } from '../schema.ts'
import { orDash, table } from './markdown.ts'
import { caseTitle, type MarkdownSection } from './section.ts'


function warningsSection(report: Report): string[] {
  if (report.warnings.length === 0) return ['## Warnings', '', 'None.', '']
  return [
    '## Warnings',
    '',
    ...report.warnings.map((w) => `- ⚠ **${w.code}**${w.caseId ? ` (${caseTitle(report, w.caseId)})` : ''}: ${w.message}. Measured ${orDash(w.measured, (v) => fixed(v))}, target ${w.target}, shortfall ${w.shortfall}; basis: ${w.basis}.`),
    '',
  ]
}

function notEvaluatedSection(report: Report): string[] {
  if (report.notEvaluated.length === 0) return []
  return ['## Not evaluated', '', 'Missing data is not a threshold miss; these checks could not be made:', '', table(['Check', 'Case', 'Reason'], report.notEvaluated.map((n) => [n.check, caseTitle(report, n.caseId), n.reason])), '']
}

export const warningSections: MarkdownSection = (report) => [...warningsSection(report), ...notEvaluatedSection(report)]
