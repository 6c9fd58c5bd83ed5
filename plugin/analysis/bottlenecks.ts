/**
 * Where each run's wall time went, what kept the GPUs idle, what does not shrink with more GPUs, and where this
 * reading differs from the pipeline's own `Bottlenecks:` line. Pure: finished cases in, a BottleneckAnalysis out.
 */
import type { BottleneckAnalysis, RunBottlenecks, SerialShare, TimeItem } from '../model/bottlenecks.ts'
import type { CaseResult } from '../model/case-result.ts'
import type { PhaseName } from '../model/phases.ts'
import type { RunResult } from '../model/run-result.ts'
import { EMBEDDING_STAGES, STAGE_TITLES } from '../model/stages.ts'
import { median } from './statistics.ts'
import { describeRun } from './what-ran.ts'

const IDLE_CAUSE: Record<PhaseName, TimeItem['gpuIdleCause']> = {
  startup: 'start-up',
  'model-load': 'waiting for a model',
  waiting: 'waiting for the first batch',
  inference: null,
  teardown: 'writes and tear-down',
}

const pct = (seconds: number, wall: number): number => (wall > 0 ? (100 * seconds) / wall : 0)
const s1 = (x: number): string => x.toFixed(1)

/** Every place the run's time went: phases of the embedding stages, CPU stages whole, and time outside the stages. */
export function timeItems(run: RunResult): TimeItem[] {
  const items: TimeItem[] = []
  const wall = run.wallSeconds
  let staged = 0
  for (const s of run.stages) {
    const seconds = s.durationSeconds ?? 0
    if (seconds <= 0) continue
    staged += seconds
    const title = STAGE_TITLES[s.stage]
    if (s.phases.length > 0) {
      for (const p of s.phases) {
        items.push({ label: `${title} · ${p.name}`, stage: s.stage, phase: p.name, seconds: p.seconds, percentOfWall: pct(p.seconds, wall), gpuIdleCause: IDLE_CAUSE[p.name], basis: p.basis })
      }
      continue
    }
    const embedding = EMBEDDING_STAGES.includes(s.stage)
    items.push({
      label: embedding ? `${title} (no phase split)` : title,
      stage: s.stage,
      phase: null,
      seconds,
      percentOfWall: pct(seconds, wall),
      gpuIdleCause: embedding ? null : 'CPU stage',
      basis: 'pipeline_state.json',
    })
  }
  const outside = wall - staged
  if (outside > 0.05) items.push({ label: "outside the pipeline's stages (imports, start-up, exit)", stage: null, phase: null, seconds: outside, percentOfWall: pct(outside, wall), gpuIdleCause: 'outside the stages', basis: 'wall − Σ stages' })
  return items.sort((a, b) => b.seconds - a.seconds)
}

function disagreements(run: RunResult, items: readonly TimeItem[]): string[] {
  const out: string[] = []
  const told = run.toolBottlenecks
  if (told.length === 0) return out
  for (const t of told) {
    const stage = run.stages.find((s) => STAGE_TITLES[s.stage] === t.stage)
    if (stage === undefined || stage.phases.length === 0 || stage.durationSeconds === null) continue
    const inference = stage.phases.find((p) => p.name === 'inference')?.seconds ?? 0
    const rest = stage.phases.filter((p) => p.name !== 'inference').sort((a, b) => b.seconds - a.seconds)
    const restSeconds = rest.reduce((a, p) => a + p.seconds, 0)
    if (restSeconds <= inference) continue
    const list = rest.map((p) => `${p.name} ${s1(p.seconds)} s`).join(', ')
    out.push(
      `\`Bottlenecks:\` names ${t.stage} (${t.percent}%), but ${s1(pct(restSeconds, stage.durationSeconds))} % of that stage is not inference (${list}; inference ${s1(inference)} s): ` +
        `its cost is ${rest[0]?.name ?? 'overhead'}, not the model's compute`,
    )
  }
  const top = items[0]
  const toolTop = told[0]
  if (top !== undefined && toolTop !== undefined && (top.stage === null || STAGE_TITLES[top.stage] !== toolTop.stage)) {
    out.push(`the largest single item is ${top.label} (${s1(top.seconds)} s, ${s1(top.percentOfWall)} % of wall), which the tool's line ranks ${top.stage === null ? 'nowhere (it is outside its stages)' : 'below ' + toolTop.stage}`)
  }
  if (run.pipelineWallSeconds !== null && run.wallSeconds - run.pipelineWallSeconds > 1) {
    out.push(
      `the tool's percentages are of its own Total wall time (${s1(run.pipelineWallSeconds)} s), which leaves out ${s1(run.wallSeconds - run.pipelineWallSeconds)} s of start-up and exit measured outside the process (${s1(run.wallSeconds)} s)`,
    )
  }
  return out
}

export function runBottlenecks(caseId: string, run: RunResult): RunBottlenecks {
  const items = timeItems(run)
  const causes = new Map<string, number>()
  for (const i of items) if (i.gpuIdleCause !== null) causes.set(i.gpuIdleCause, (causes.get(i.gpuIdleCause) ?? 0) + i.seconds)
  const byCause = [...causes.entries()].map(([cause, seconds]) => ({ cause, seconds })).sort((a, b) => b.seconds - a.seconds)
  const idle = items.find((i) => i.gpuIdleCause !== null)
  return {
    caseId,
    runId: run.id,
    mode: run.mode,
    gpuCount: run.gpuCount,
    whatRan: describeRun(run),
    wallSeconds: run.wallSeconds,
    items,
    gpuIdle: {
      byCause,
      attributedSeconds: byCause.reduce((a, c) => a + c.seconds, 0),
      sampledNoneBusySeconds: run.gpu.status === 'sampled' ? run.gpu.run.busy.noneBusySeconds : null,
    },
    toolSays: run.toolBottlenecks,
    disagreements: disagreements(run, items),
    next: idle === undefined ? 'nothing but inference left to optimise' : `${idle.label}: ${s1(idle.seconds)} s (${s1(idle.percentOfWall)} % of wall; ${idle.gpuIdleCause}; ${idle.basis})`,
  }
}

/**
 * Amdahl per item: T(n)/T(1) = f + (1 − f)/n, least squares in f over the measured counts (the same closed form as
 * the whole-run fit in amdahl.ts), clamped to [0, 1].
 */
function serialFraction(t1: number, points: readonly { gpus: number; seconds: number }[]): number {
  let sxy = 0
  let sxx = 0
  for (const p of points) {
    const x = 1 - 1 / p.gpus
    sxy += x * (p.seconds / t1 - 1 / p.gpus)
    sxx += x * x
  }
  return sxx === 0 ? 0 : Math.min(1, Math.max(0, sxy / sxx))
}

export function serialShares(c: CaseResult): SerialShare | null {
  const runs = c.runs.filter((r) => r.mode === 'optimised' && r.outcome === 'succeeded' && r.gpuCount > 0)
  const counts = [...new Set(runs.map((r) => r.gpuCount))].sort((a, b) => a - b)
  if (counts.length < 2 || counts[0] !== 1) return null
  const perCount = new Map<number, Map<string, number[]>>()
  for (const r of runs) {
    const m = perCount.get(r.gpuCount) ?? new Map<string, number[]>()
    for (const i of timeItems(r)) m.set(i.label, [...(m.get(i.label) ?? []), i.seconds])
    perCount.set(r.gpuCount, m)
  }
  const labels = [...(perCount.get(1)?.keys() ?? [])]
  const rows = labels.flatMap((label) => {
    const seconds = counts.map((n) => {
      const v = perCount.get(n)?.get(label)
      return v === undefined || v.length === 0 ? null : median(v)
    })
    const t1 = seconds[0]
    if (t1 === null || t1 === undefined || t1 <= 0) return []
    const points = counts.flatMap((gpus, i) => (i === 0 || seconds[i] === null ? [] : [{ gpus, seconds: seconds[i] as number }]))
    if (points.length === 0) return []
    const f = serialFraction(t1, points)
    return [{ label, seconds, serialFraction: f, serialSeconds: f * t1 }]
  })
  rows.sort((a, b) => b.serialSeconds - a.serialSeconds)
  return {
    caseId: c.id,
    gpuCounts: counts,
    rows,
    basis: `median seconds of the successful optimised runs at each GPU count; serial fraction f per item from T(n)/T(1) = f + (1 − f)/n by least squares over ${counts.join(', ')} GPUs`,
  }
}

export function bottleneckAnalysis(cases: readonly CaseResult[]): BottleneckAnalysis {
  return {
    runs: cases.flatMap((c) => c.runs.filter((r) => r.stages.some((s) => s.durationSeconds !== null)).map((r) => runBottlenecks(c.id, r))),
    serial: cases.map(serialShares).filter((s): s is SerialShare => s !== null),
  }
}
