/**
 * The report's "Where the time went" sections: per run, what ran (what vanilla meant), where its wall time went
 * (stages and phases), what kept the GPUs idle, the tool's own `Bottlenecks:` line and where the harness disagrees,
 * the optimisation claims against the evidence, leftover processes; then what does not shrink with more GPUs.
 * Formatting only: the figures come from report.bottlenecks (plugin/analysis/bottlenecks.ts) and the runs.
 */
import { fixed } from '../../analysis/format-numbers.ts'
import type { RunBottlenecks } from '../../model/bottlenecks.ts'
import type { RunResult } from '../../model/run-result.ts'
import { table } from './markdown.ts'
import type { Report } from '../schema.ts'

/** Items shown per run; the JSON report has all of them. */
const ITEMS_SHOWN = 10

/** One run per (case, mode, GPU count): the one with the median wall time, so repeats do not repeat the section. */
function representative(runs: readonly RunBottlenecks[]): RunBottlenecks[] {
  const groups = new Map<string, RunBottlenecks[]>()
  for (const r of runs) {
    const key = `${r.caseId}|${r.mode}|${r.gpuCount}`
    groups.set(key, [...(groups.get(key) ?? []), r])
  }
  return [...groups.values()].map((g) => [...g].sort((a, b) => a.wallSeconds - b.wallSeconds)[Math.floor((g.length - 1) / 2)] as RunBottlenecks)
}

function claimsLines(run: RunResult | undefined): string[] {
  if (run === undefined || run.claims.length === 0) return []
  return [
    'Claims in its log against what the harness saw:',
    '',
    table(['Topic', 'The log claims', 'The harness saw', 'Status', 'Basis'], run.claims.map((c) => [c.topic, c.claimed, c.observed ?? '—', c.status === 'contradicted' ? `⚠️ ${c.status}` : c.status, c.basis])),
    '',
  ]
}

function leftoverLines(run: RunResult | undefined): string[] {
  if (run === undefined || run.leftoverProcesses.length === 0) return []
  return [`Processes alive after the grace period (stopped by the harness): ${run.leftoverProcesses.map((p) => `pid ${p.pid} \`${p.command}\`${p.ageSeconds === null ? '' : `, ${fixed(p.ageSeconds, 1)} s old`}`).join('; ')}.`, '']
}

/** The section of one run (also printed by scripts/reanalyse-run.ts). */
export function runLines(b: RunBottlenecks, run: RunResult | undefined): string[] {
  const lines = [`### ${b.caseId}: ${b.mode}, ${b.gpuCount === 0 ? 'CPU' : `${b.gpuCount} GPU`} (${b.runId})`, '', `What ran: ${b.whatRan}.`, '']
  const shown = b.items.slice(0, ITEMS_SHOWN)
  lines.push(
    table(
      ['Where', 'Seconds', '% of wall', 'GPU idle because', 'Basis'],
      shown.map((i) => [i.label, fixed(i.seconds, 1), fixed(i.percentOfWall, 1), i.gpuIdleCause ?? '— (inference or not split)', i.basis]),
    ),
    '',
  )
  if (b.items.length > shown.length) lines.push(`(${b.items.length - shown.length} smaller items in the JSON report.)`, '')
  const causes = b.gpuIdle.byCause.map((c) => `${c.cause} ${fixed(c.seconds, 1)} s`).join(', ')
  const sampled = b.gpuIdle.sampledNoneBusySeconds === null ? 'not sampled' : `${fixed(b.gpuIdle.sampledNoneBusySeconds, 1)} s with every GPU under the busy threshold in the nvidia-smi samples`
  const what = b.gpuCount === 0 ? 'Time outside inference (a CPU run: no GPU to idle)' : 'GPU-idle time'
  lines.push(`${what}: ${fixed(b.gpuIdle.attributedSeconds, 1)} s outside inference (${causes || 'none'}); ${sampled}.`, '')
  if (b.toolSays.length > 0) lines.push(`The tool's own line: \`Bottlenecks: ${b.toolSays.map((t) => `${t.stage} (${t.percent}%)`).join(', ')}\`.`, '')
  for (const d of b.disagreements) lines.push(`- Harness disagrees: ${d}.`)
  if (b.disagreements.length > 0) lines.push('')
  lines.push(`**Next to optimise:** ${b.next}.`, '', ...claimsLines(run), ...leftoverLines(run))
  return lines
}

export function bottleneckSections(report: Report): string[] {
  const analysis = report.bottlenecks
  if (analysis.runs.length === 0 && analysis.serial.length === 0) return []
  const runsById = new Map(report.cases.flatMap((c) => c.runs).map((r) => [r.id, r]))
  const lines = [
    '## Where the time went',
    '',
    "Stage times from pipeline_state.json; phases inside the embedding stages from the pipeline's log lines where it logs them (`logged`), otherwise from the first and last GPU sample above the busy threshold (`sampled at N ms`); `derived` where a boundary is assumed. Everything but inference is time the GPUs wait, for the cause named.",
    '',
  ]
  // Runs with injected faults measure the fault, not the pipeline: the JSON report keeps them, the page does not.
  const shown = representative(analysis.runs).filter((b) => !(runsById.get(b.runId)?.command.includes('--inject') ?? false))
  for (const b of shown) lines.push(...runLines(b, runsById.get(b.runId)))
  if (analysis.serial.length > 0) {
    lines.push('## What does not shrink with more GPUs', '')
    for (const s of analysis.serial) {
      lines.push(`### ${s.caseId}`, '')
      lines.push(
        table(
          ['Where', ...s.gpuCounts.map((n) => `${n} GPU s`), 'Serial fraction', 'Seconds that stay'],
          s.rows.slice(0, ITEMS_SHOWN).map((r) => [r.label, ...r.seconds.map((v) => (v === null ? '—' : fixed(v, 1))), fixed(r.serialFraction, 2), fixed(r.serialSeconds, 1)]),
        ),
        '',
        `Basis: ${s.basis}.`,
        '',
      )
    }
  }
  return lines
}
