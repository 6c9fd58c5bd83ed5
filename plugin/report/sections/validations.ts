/** Validations: each case's one status (expected vs got for fault cases), verdicts, tensor statistics and findings. */
import { fixed, percent } from '../../analysis/format-numbers.ts'
import type { Report } from '../schema.ts'
import { table } from './markdown.ts'
import type { MarkdownSection } from './section.ts'

function validationsSection(report: Report): string[] {
  if (report.validations.length === 0) return []
  const lines = ['## Validations', '']
  for (const v of report.validations) {
    lines.push(`### ${v.title}: ${v.verdict.label}`, '')
    if (v.verdict.reason !== null) lines.push(`Reason: ${v.verdict.reason}`, '')
    for (const comparison of v.comparisons) {
      lines.push(`**Verdict: ${comparison.verdict}** · candidate \`${comparison.candidate}\` vs reference \`${comparison.reference}\` · rtol ${comparison.tolerance.rtol}, atol ${comparison.tolerance.atol}`, '')
      if (comparison.referenceDescription !== null) lines.push(`Reference: ${comparison.referenceDescription}.`, '')
      if (comparison.tensors.length > 0) {
        lines.push(
          table(
            ['Stage', 'Vectors', 'Max abs diff', 'Max rel diff', 'Outside tol.', 'Min cosine', 'NaN/Inf'],
            comparison.tensors.map((t) => [t.stage, t.vectors, t.maxAbsDiff.toExponential(2), t.maxRelDiff.toExponential(2), `${t.outsideTolerance} (${fixed(t.outsidePercent, 3)} %)`, fixed(t.minCosine, 6), `${t.nanCount}/${t.infCount}`]),
          ),
          '',
        )
      }
      if (comparison.predictions) lines.push(`Predictions: ${comparison.predictions.rows} rows, label agreement ${percent(comparison.predictions.labelAgreement / 100, 2)} (${comparison.predictions.labelFlips} flips, ${comparison.predictions.borderlineFlips} borderline), max score diff ${comparison.predictions.maxScoreDiff.toExponential(2)}.`, '')
      if (comparison.consensus) lines.push(`Consensus: ${comparison.consensus.rows} rows, agreement ${percent(comparison.consensus.agreement / 100, 2)} (${comparison.consensus.disagreements} disagreements, ${comparison.consensus.borderlineDisagreements} on borderline chunks).`, '')
      if (comparison.firstDivergingStage) lines.push(`First diverging stage: ${comparison.firstDivergingStage}.`, '')
      for (const f of comparison.findings) lines.push(`- ${f.verdict}: **${f.code}**: ${f.message}`)
      if (comparison.findings.length > 0) lines.push('')
    }
  }
  return lines
}

export const validationSections: MarkdownSection = (report) => validationsSection(report)
