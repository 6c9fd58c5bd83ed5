/**
 * Two reports in, a comparison out: cases matched by id, GPU counts by number, stages by name; the original
 * project's regression rules (plugin/analysis/regression.ts) applied only beyond the measured noise and above the
 * absolute floors. Inputs that cannot be compared honestly (an incomplete report, failed cases, a case on one side
 * only) are stated first and make the exit code 2 unless allowed. Warm-up runs are left out.
 * No I/O: scripts/compare-reports.ts reads the files and prints.
 */
import {
  compareMemory,
  compareSpeedupRuns,
  compareTimes,
  compareUtilisation,
  DEFAULT_NOISE_RULES,
  type ChangeVerdict,
  type NoiseRules,
  type SpeedupChange,
  type SpeedupSignificance,
  type TimeChange,
  type ValueChange,
} from '../analysis/regression.ts'
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

export interface CompareOptions {
  /** Compare what can be compared even when inputs are incomplete; the problems are still stated. */
  allowIncomplete?: boolean
  noise?: NoiseRules
}

export interface ReportComparison {
  base: { suite: string; createdAt: string; complete: boolean }
  next: { suite: string; createdAt: string; complete: boolean }
  /** Why some or all of the comparison cannot be trusted: stated at the top; exit 2 unless allowed. */
  inputProblems: string[]
  /** Case ids the input problems affect. */
  affectedCases: string[]
  allowIncomplete: boolean
  noise: NoiseRules
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

function significanceText(s: SignificanceResult, runs: string): string {
  if (!s.testable) return s.reason
  if (s.method === 'spread-bound') return `${s.significant ? 'outside the ranges' : 'within the ranges'} (${runs} runs: Δ median ${fixed(s.spread.difference)} s vs ranges ${fixed(s.spread.bound)} s)`
  const ci = s.bootstrap
  return `${s.significant ? 'significant' : 'not significant'} (${runs} runs: Mann–Whitney p=${s.mannWhitney.pValue.toFixed(3)}, ${s.mannWhitney.method}; median ratio ${ci.ratio.toFixed(3)} [${ci.low.toFixed(3)}, ${ci.high.toFixed(3)}] ${Math.round(ci.confidence * 100)} % bootstrap)`
}

function speedupSignificanceText(s: SpeedupSignificance): string {
  if (!s.testable) return s.reason
  const word = s.significant ? 'beyond the rule' : 'within the rule'
  if (s.method === 'range') return `${word} (speedup ranges ${fixed(s.base[0])}–${fixed(s.base[1])}× vs ${fixed(s.next[0])}–${fixed(s.next[1])}×)`
  return `${word} (Δ speedup ${Math.round(s.confidence * 100)} % bootstrap [${s.low.toFixed(3)}, ${s.high.toFixed(3)}])`
}

function signedPercent(fraction: number): string {
  return `${fraction >= 0 ? '+' : '−'}${percent(Math.abs(fraction), 1)}`
}

/** Successful, measured runs at one GPU count: warm-up runs paid one-off costs and are not compared. */
function okRuns(c: ReportCase, gpus: number): RunResult[] {
  return c.runs.filter((r) => r.outcome === 'succeeded' && !r.warmup && r.gpuCount === gpus)
}

function timeRow(caseId: string, gpus: number, metric: string, t: TimeChange, counts: boolean, runs: string): MetricRow {
  return { caseId, gpus, metric, base: t.base, next: t.next, change: signedPercent(t.change), significance: significanceText(t.significance, runs), verdict: t.verdict, counts }
}

function speedupRow(caseId: string, gpus: number, v: SpeedupChange): MetricRow {
  return { caseId, gpus, metric: 'speedup (×)', base: v.base, next: v.next, change: `${v.delta >= 0 ? '+' : '−'}${times(Math.abs(v.delta))}`, significance: speedupSignificanceText(v.significance), verdict: v.verdict, counts: true }
}

function valueRow(caseId: string, gpus: number, metric: string, v: ValueChange, change: string): MetricRow {
  return { caseId, gpus, metric, base: v.base, next: v.next, change, significance: 'single value (median)', verdict: v.verdict, counts: true }
}

function stageSeconds(runs: readonly RunResult[], stage: string): number[] {
  return runs.flatMap((r) => r.stages.filter((s) => s.stage === stage && s.status === 'completed' && s.durationSeconds !== null).map((s) => s.durationSeconds as number))
}

function commonGpuCounts(base: ReportCase, next: ReportCase): number[] {
  return [...new Set(base.runs.map((r) => r.gpuCount))].filter((n) => okRuns(next, n).length > 0 && okRuns(base, n).length > 0).sort((a, b) => a - b)
}

function wall(runs: readonly RunResult[]): number[] {
  return runs.map((r) => r.wallSeconds)
}

function compareCase(base: ReportCase, next: ReportCase, noise: NoiseRules): MetricRow[] {
  const rows: MetricRow[] = []
  for (const gpus of commonGpuCounts(base, next)) {
    const b = okRuns(base, gpus)
    const n = okRuns(next, gpus)
    const runs = `${b.length} vs ${n.length}`
    rows.push(timeRow(base.id, gpus, 'total wall time (s)', compareTimes(wall(b), wall(n), noise), true, runs))
    const bp = base.analysis.scaling?.points.find((p) => p.gpus === gpus)
    const np = next.analysis.scaling?.points.find((p) => p.gpus === gpus)
    const b1 = okRuns(base, 1)
    const n1 = okRuns(next, 1)
    if (gpus > 1 && b1.length > 0 && n1.length > 0) {
      rows.push(speedupRow(base.id, gpus, compareSpeedupRuns({ one: wall(b1), many: wall(b) }, { one: wall(n1), many: wall(n) })))
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
      rows.push(timeRow(base.id, gpus, `stage ${STAGE_TITLES[stage]} (s)`, compareTimes(bs, ns, noise), false, `${bs.length} vs ${ns.length}`))
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

/** What stops a case from being compared honestly, or null. */
function caseProblem(id: string, base: ReportCase | undefined, next: ReportCase | undefined): string | null {
  if (base === undefined) return `${id}: only in the new report`
  if (next === undefined) return `${id}: only in the base report`
  for (const [side, c] of [['base', base], ['new', next]] as const) {
    if (c.status === 'error') return `${id}: failed in the ${side} report (${c.error ?? 'no reason given'})`
  }
  if (base.status === 'skipped' && next.status === 'skipped') return null
  if (base.status === 'skipped' || next.status === 'skipped') {
    const [side, c] = base.status === 'skipped' ? ['base', base] : ['new', next]
    return `${id}: skipped in the ${side} report only (${c.skipReasons.join('; ') || 'no reason given'})`
  }
  if (base.kind !== 'validation' && commonGpuCounts(base, next).length === 0) return `${id}: no successful measured runs at a common GPU count`
  return null
}

/** A side whose runs ended with the 1-minute load above the CPU count ran on a busy machine: say so, with the figure. */
function busyMachine(side: string, report: Report): string | null {
  const loads = report.cases.flatMap((c) => c.runs).flatMap((r) => (r.hostLoad === null ? [] : [r.hostLoad]))
  if (loads.length === 0) return null
  const sorted = [...loads].sort((a, b) => a - b)
  const typical = sorted[Math.floor(sorted.length / 2)] as number
  const cpus = report.environment.cpuCount
  return typical > cpus ? `the ${side} report ran on a busy machine (median 1-min load ${typical.toFixed(1)} on ${cpus} CPUs): its timings carry other processes' contention` : null
}

export function compareReports(base: Report, next: Report, options: CompareOptions = {}): ReportComparison {
  const noise = options.noise ?? DEFAULT_NOISE_RULES
  const allowIncomplete = options.allowIncomplete ?? false
  const baseById = new Map(base.cases.map((c) => [c.id, c]))
  const nextById = new Map(next.cases.map((c) => [c.id, c]))
  const ids = [...new Set([...baseById.keys(), ...nextById.keys()])]
  const inputProblems: string[] = []
  const affected = new Set<string>()
  for (const [side, report] of [['base', base], ['new', next]] as const) {
    if (!report.complete) {
      inputProblems.push(`the ${side} report is incomplete (complete: false: the run was interrupted, crashed or is still going)`)
      for (const c of report.cases) affected.add(c.id)
    }
  }
  for (const id of ids) {
    const problem = caseProblem(id, baseById.get(id), nextById.get(id))
    if (problem === null) continue
    inputProblems.push(problem)
    affected.add(id)
  }
  // Affected cases are compared only when the caller allows it; their rows then carry the problem at the top.
  const rows = base.cases.flatMap((c) => {
    const other = nextById.get(c.id)
    if (other === undefined || (affected.has(c.id) && !allowIncomplete)) return []
    return compareCase(c, other, noise)
  })
  const counted = rows.filter((r) => r.counts)
  const regressions = counted.filter((r) => r.verdict === 'regression').length
  const environmentWarnings = [...environmentDifferences(base, next), ...[busyMachine('base', base), busyMachine('new', next)].filter((w): w is string => w !== null)]
  const blocked = affected.size > 0 && !allowIncomplete
  return {
    base: { suite: base.suite, createdAt: base.createdAt, complete: base.complete },
    next: { suite: next.suite, createdAt: next.createdAt, complete: next.complete },
    inputProblems,
    affectedCases: [...affected].sort(),
    allowIncomplete,
    noise,
    environmentWarnings,
    rows,
    onlyInBase: base.cases.filter((c) => !nextById.has(c.id)).map((c) => c.id),
    onlyInNew: next.cases.filter((c) => !baseById.has(c.id)).map((c) => c.id),
    regressions,
    warnings: counted.filter((r) => r.verdict === 'warning').length + environmentWarnings.length,
    improvements: counted.filter((r) => r.verdict === 'improvement').length,
    exitCode: blocked || rows.length === 0 ? 2 : regressions > 0 ? 1 : 0,
  }
}

const VERDICT_MARK: Record<ChangeVerdict, string> = {
  regression: '❌ regression',
  warning: '⚠️ warning',
  improvement: '✅ improvement',
  unchanged: 'unchanged',
  'within-noise': '~ within noise',
  untestable: '? not testable',
  'below-floor': '~ below floor',
}

function verdictText(row: MetricRow): string {
  if (row.counts) return VERDICT_MARK[row.verdict]
  // Stage rows only say slower/faster; the regression rule is for totals.
  return row.verdict === 'regression' ? 'slower' : row.verdict === 'improvement' ? 'faster' : VERDICT_MARK[row.verdict]
}

function headline(c: ReportComparison): string {
  if (c.exitCode === 2) return c.inputProblems.length > 0 && !c.allowIncomplete ? '❌ nothing comparable (inputs incomplete, see below)' : '❌ nothing comparable'
  return c.regressions > 0 ? `❌ ${c.regressions} regression(s)` : '✅ no regression'
}

export function formatComparisonMarkdown(c: ReportComparison): string {
  const lines = [
    '# VirNucPro report comparison',
    '',
    `**${headline(c)}** · ${c.improvements} improvement(s) · ${c.warnings} warning(s)`,
    '',
    `Base: ${c.base.suite} ${c.base.createdAt}${c.base.complete ? '' : ' (incomplete)'} → New: ${c.next.suite} ${c.next.createdAt}${c.next.complete ? '' : ' (incomplete)'}`,
    '',
  ]
  if (c.inputProblems.length > 0) {
    const consequence = c.allowIncomplete
      ? 'compared anyway (--allow-incomplete): treat these rows with care'
      : 'not compared: exit 2 ("nothing comparable") unless --allow-incomplete'
    lines.push('## Inputs that cannot be compared as they are', '', ...c.inputProblems.map((p) => `- ❌ ${p}`), '', `Affected case(s): ${c.affectedCases.join(', ') || 'all'} — ${consequence}.`, '')
  }
  if (c.environmentWarnings.length > 0) lines.push('## Environment warnings', '', ...c.environmentWarnings.map((w) => `- ⚠ ${w}`), '')
  if (c.rows.length > 0) {
    lines.push('## Changes', '', '| Case | GPUs | Metric | Base | New | Change | Significance | Verdict |', '| --- | --- | --- | --- | --- | --- | --- | --- |')
    for (const r of c.rows) lines.push(`| ${r.caseId} | ${r.gpus} | ${r.metric} | ${fixed(r.base)} | ${fixed(r.next)} | ${r.change} | ${r.significance} | ${verdictText(r)} |`)
    lines.push('')
  }
  if (c.onlyInBase.length > 0) lines.push(`Only in base: ${c.onlyInBase.join(', ')}`, '')
  if (c.onlyInNew.length > 0) lines.push(`Only in new: ${c.onlyInNew.join(', ')}`, '')
  lines.push(
    `Rules: a regression is total time > 10 % slower or speedup down > 0.1×, **and** beyond the noise, **and** above the floors (medians ≥ ${c.noise.minSeconds} s, change ≥ ${c.noise.minChangeSeconds} s). ` +
      `Beyond the noise: with ≥ 5 runs a side, Mann–Whitney p < ${c.noise.alpha} and the whole 95 % bootstrap interval of the median ratio above 1.10 (speedup: the interval of its change below −0.1×); ` +
      'with 2–4 runs, the change of medians less both ranges together still above 10 % (speedup: the ranges more than 0.1× apart); with 1 run on a side, never ("not testable"). ' +
      'Utilisation −5 points or memory +20 % = warning; ≥ 5 % faster beyond the noise = improvement. Stage rows are informational. Warm-up runs are not compared.',
    '',
  )
  return lines.join('\n')
}
