/**
 * Two reports in, a comparison out: cases matched by id, GPU counts by number, stages by name; the original
 * project's regression rules (plugin/analysis/regression.ts) applied with a significance test where repeats allow.
 * No I/O: scripts/compare-reports.ts reads the files and prints.
 */
import { compareMemory, compareSpeedup, compareTimes, compareUtilisation, type ChangeVerdict, type TimeChange, type ValueChange } from '../analysis/regression.ts'
import type { SignificanceResult } from '../analysis/significance.ts'
import { fixed, percent, times } from '../analysis/format-numbers.ts'
import type { RunResult } from '../model/run-result.ts'
import { STAGES, STAGE_TITLES } from '../model/stages.ts'
import type { Report, ReportCase } from './schema.ts'

export interface MetricRow {
  caseId: string
  gpus: number
  metric: string
  base: number
  next: number
  /** Human-readable change, e.g. "+12.0 %" or "−0.15×". */
  change: string
  significance: string
  verdict: ChangeVerdict
  /** Whether this row can make the comparison a regression (totals and speedups; stages are informational). */
  counts: boolean
}

export interface ReportComparison {
  base: { suite: string; createdAt: string }
  next: { suite: string; createdAt: string }
  environmentWarnings: string[]
  rows: MetricRow[]
  onlyInBase: string[]
  onlyInNew: string[]
  regressions: number
  warnings: number
  improvements: number
  /** 0 no regression, 1 regression, 2 nothing comparable. */
  exitCode: 0 | 1 | 2
}

function significanceText(s: SignificanceResult): string {
  if (!s.testable) return s.reason
  const ci = s.bootstrap
  return `${s.significant ? 'significant' : 'not significant'} (Mann–Whitney p=${s.mannWhitney.pValue.toFixed(3)}, ${s.mannWhitney.method}; median ratio ${ci.ratio.toFixed(3)} [${ci.low.toFixed(3)}, ${ci.high.toFixed(3)}])`
}

function signedPercent(fraction: number): string {
  return `${fraction >= 0 ? '+' : '−'}${percent(Math.abs(fraction), 1)}`
}

function okRuns(c: ReportCase, gpus: number): RunResult[] {
  return c.runs.filter((r) => r.outcome === 'succeeded' && r.gpuCount === gpus)
}

function timeRow(caseId: string, gpus: number, metric: string, t: TimeChange, counts: boolean): MetricRow {
  return { caseId, gpus, metric, base: t.base, next: t.next, change: signedPercent(t.change), significance: significanceText(t.significance), verdict: t.verdict, counts }
}

function valueRow(caseId: string, gpus: number, metric: string, v: ValueChange, change: string): MetricRow {
  return { caseId, gpus, metric, base: v.base, next: v.next, change, significance: 'single value (median)', verdict: v.verdict, counts: true }
}

function stageSeconds(runs: readonly RunResult[], stage: string): number[] {
  return runs.flatMap((r) => r.stages.filter((s) => s.stage === stage && s.status === 'completed' && s.durationSeconds !== null).map((s) => s.durationSeconds as number))
}

function compareCase(base: ReportCase, next: ReportCase): MetricRow[] {
  const rows: MetricRow[] = []
  const gpuCounts = [...new Set(base.runs.map((r) => r.gpuCount))].filter((n) => okRuns(next, n).length > 0 && okRuns(base, n).length > 0).sort((a, b) => a - b)
  for (const gpus of gpuCounts) {
    const b = okRuns(base, gpus)
    const n = okRuns(next, gpus)
    rows.push(timeRow(base.id, gpus, 'total wall time (s)', compareTimes(b.map((r) => r.wallSeconds), n.map((r) => r.wallSeconds)), true))
    const bp = base.analysis.scaling?.points.find((p) => p.gpus === gpus)
    const np = next.analysis.scaling?.points.find((p) => p.gpus === gpus)
    if (bp?.speedup != null && np?.speedup != null && gpus > 1) {
      const v = compareSpeedup(bp.speedup, np.speedup)
      rows.push(valueRow(base.id, gpus, 'speedup (×)', v, `${v.delta >= 0 ? '+' : '−'}${times(Math.abs(v.delta))}`))
    }
    if (bp?.embeddingUtilisationPercent != null && np?.embeddingUtilisationPercent != null) {
      const v = compareUtilisation(bp.embeddingUtilisationPercent, np.embeddingUtilisationPercent)
      rows.push(valueRow(base.id, gpus, 'embedding utilisation (%)', v, `${v.delta >= 0 ? '+' : '−'}${fixed(Math.abs(v.delta), 1)} points`))
    }
    if (bp?.memoryPeakMiB != null && np?.memoryPeakMiB != null) {
      const v = compareMemory(bp.memoryPeakMiB, np.memoryPeakMiB)
      rows.push(valueRow(base.id, gpus, 'GPU memory peak (MiB)', v, signedPercent(v.delta)))
    }
    for (const stage of STAGES) {
      const bs = stageSeconds(b, stage)
      const ns = stageSeconds(n, stage)
      if (bs.length === 0 || ns.length === 0) continue
      rows.push(timeRow(base.id, gpus, `stage ${STAGE_TITLES[stage]} (s)`, compareTimes(bs, ns), false))
    }
  }
  return rows
}

function describeGpus(report: Report): string {
  const names = [...new Set(report.environment.gpus.map((g) => g.name))].join(' + ') || 'none'
  return `${report.environment.gpus.length}× ${names}`
}

function describeTargets(report: Report): string {
  const targets = new Set(report.cases.flatMap((c) => c.runs).map((r) => `${r.target.kind}:${r.target.name}@${r.target.version ?? '?'}`))
  return [...targets].sort().join(', ') || 'none'
}

export function environmentDifferences(base: Report, next: Report): string[] {
  const diffs: string[] = []
  const check = (what: string, a: string, b: string): void => {
    if (a !== b) diffs.push(`${what} differs: ${a} → ${b}`)
  }
  check('GPUs', describeGpus(base), describeGpus(next))
  check('driver', base.environment.driverVersion ?? 'none', next.environment.driverVersion ?? 'none')
  check('CUDA driver', base.environment.cudaDriverVersion ?? 'none', next.environment.cudaDriverVersion ?? 'none')
  check('target', describeTargets(base), describeTargets(next))
  check('host', base.environment.host, next.environment.host)
  return diffs
}

export function compareReports(base: Report, next: Report): ReportComparison {
  const nextById = new Map(next.cases.map((c) => [c.id, c]))
  const baseIds = new Set(base.cases.map((c) => c.id))
  const rows = base.cases.flatMap((c) => {
    const other = nextById.get(c.id)
    return other === undefined ? [] : compareCase(c, other)
  })
  const counted = rows.filter((r) => r.counts)
  const regressions = counted.filter((r) => r.verdict === 'regression').length
  const environmentWarnings = environmentDifferences(base, next)
  return {
    base: { suite: base.suite, createdAt: base.createdAt },
    next: { suite: next.suite, createdAt: next.createdAt },
    environmentWarnings,
    rows,
    onlyInBase: base.cases.filter((c) => !nextById.has(c.id)).map((c) => c.id),
    onlyInNew: next.cases.filter((c) => !baseIds.has(c.id)).map((c) => c.id),
    regressions,
    warnings: counted.filter((r) => r.verdict === 'warning').length + environmentWarnings.length,
    improvements: counted.filter((r) => r.verdict === 'improvement').length,
    exitCode: rows.length === 0 ? 2 : regressions > 0 ? 1 : 0,
  }
}

const VERDICT_MARK: Record<ChangeVerdict, string> = {
  regression: '❌ regression',
  warning: '⚠️ warning',
  improvement: '✅ improvement',
  unchanged: 'unchanged',
  'within-noise': '~ within noise',
}

function verdictText(row: MetricRow): string {
  if (row.counts) return VERDICT_MARK[row.verdict]
  // Stage rows only say slower/faster; the regression rule is for totals.
  return row.verdict === 'regression' ? 'slower' : row.verdict === 'improvement' ? 'faster' : VERDICT_MARK[row.verdict]
}

export function formatComparisonMarkdown(c: ReportComparison): string {
  const headline = c.exitCode === 2 ? '❌ nothing comparable' : c.regressions > 0 ? `❌ ${c.regressions} regression(s)` : '✅ no regression'
  const lines = [
    '# VirNucPro report comparison',
    '',
    `**${headline}** · ${c.improvements} improvement(s) · ${c.warnings} warning(s)`,
    '',
    `Base: ${c.base.suite} ${c.base.createdAt} → New: ${c.next.suite} ${c.next.createdAt}`,
    '',
  ]
  if (c.environmentWarnings.length > 0) lines.push('## Environment differs', '', ...c.environmentWarnings.map((w) => `- ⚠ ${w}`), '')
  if (c.rows.length > 0) {
    lines.push('## Changes', '', '| Case | GPUs | Metric | Base | New | Change | Significance | Verdict |', '| --- | --- | --- | --- | --- | --- | --- | --- |')
    for (const r of c.rows) lines.push(`| ${r.caseId} | ${r.gpus} | ${r.metric} | ${fixed(r.base)} | ${fixed(r.next)} | ${r.change} | ${r.significance} | ${verdictText(r)} |`)
    lines.push('')
  }
  if (c.onlyInBase.length > 0) lines.push(`Only in base: ${c.onlyInBase.join(', ')}`, '')
  if (c.onlyInNew.length > 0) lines.push(`Only in new: ${c.onlyInNew.join(', ')}`, '')
  lines.push('Rules: total time > 10 % slower or speedup down > 0.1× = regression; utilisation −5 points or memory +20 % = warning; ≥ 5 % faster = improvement. With ≥ 5 repeats a change the Mann–Whitney test calls noise (p ≥ 0.05) is not counted.', '')
  return lines.join('\n')
}
