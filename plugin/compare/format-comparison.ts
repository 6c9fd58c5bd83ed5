import type { Comparison } from '../model/validation.ts'
import { fmtNum, fmtPercent } from './core/findings.ts'
import { STAGE_LABEL } from './core/stages.ts'

/** A readable multi-line summary of a Comparison, for the CLI and for logs. */
export function formatComparison(c: Comparison): string {
  const lines: string[] = []
  lines.push(`verdict: ${c.verdict.toUpperCase()}`)
  lines.push(`candidate: ${c.candidate}`)
  if (c.reference !== '') lines.push(`reference: ${c.reference}  (rtol ${fmtNum(c.tolerance.rtol)}, atol ${fmtNum(c.tolerance.atol)})`)
  for (const t of c.tensors) {
    lines.push(
      `  ${STAGE_LABEL[t.stage].padEnd(9)} ${String(t.vectors).padStart(8)} vectors × ${t.width}: max |Δ| ${fmtNum(t.maxAbsDiff)}, ` +
        `outside ${t.outsideTolerance} (${fmtPercent(t.outsidePercent)}), cosine min ${t.minCosine.toFixed(6)}, NaN ${t.nanCount}, Inf ${t.infCount}`,
    )
  }
  if (c.predictions !== null) {
    const p = c.predictions
    lines.push(`  predictions ${p.rows} frames: agreement ${fmtPercent(p.labelAgreement)}, ${p.labelFlips} flips (${p.borderlineFlips} borderline), max |Δscore| ${fmtNum(p.maxScoreDiff)}, mean ${fmtNum(p.meanScoreDiff)}`)
  }
  if (c.consensus !== null) lines.push(`  consensus ${c.consensus.rows} chunks: agreement ${fmtPercent(c.consensus.agreement)}, ${c.consensus.disagreements} disagree (${c.consensus.borderlineDisagreements} on borderline chunks)`)
  if (c.firstDivergingStage !== null) lines.push(`first diverging stage: ${c.firstDivergingStage}`)
  for (const f of c.findings) lines.push(`  [${f.verdict}] ${f.code}: ${f.message}`)
  return lines.join('\n')
}
