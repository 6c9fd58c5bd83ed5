/**
 * Splits an embedding stage's wall time into phases (start-up, model load, waiting for the first batch, inference,
 * tear-down). Pure: the stage's bounds (state file), the phase marks of the log (plugin/metrics/phase-marks.ts) and
 * the times of the GPU samples above the busy threshold come in; phases with their basis come out.
 *
 * Boundaries come from log lines where the pipeline logs them; where it does not, the inference window is the first
 * to the last busy sample inside the stage (after the model is ready, when that is logged). Workers log in parallel,
 * so the phases are those of the worker that finished last: the stage's critical path.
 */
import type { PhaseMark, PhaseMarkKind } from '../metrics/phase-marks.ts'
import type { PhaseBasis, PhaseName, StagePhase } from '../model/phases.ts'
import type { Stage } from '../model/stages.ts'

export interface StagePhaseInput {
  stage: Stage
  /** The stage's bounds, epoch ms (UTC), from the state file. */
  startMs: number
  endMs: number
  /** Marks already moved onto the state file's clock (see `logClockOffsetMs`). */
  marks: readonly PhaseMark[]
  /** Sorted epoch ms of the samples in which any of the run's GPUs was at or above the busy threshold. */
  busyTimesMs: readonly number[]
  /** The sampling interval, or null when the run was not sampled. */
  intervalMs: number | null
}

interface Boundary {
  atMs: number
  kind: PhaseMarkKind
  basis: PhaseBasis
  text: string
}

const NEXT_PHASE: Record<PhaseMarkKind, PhaseName> = {
  'load-start': 'model-load',
  'model-ready': 'waiting',
  'first-batch': 'inference',
  'inference-end': 'teardown',
}

const BASIS_RANK = (b: PhaseBasis): number => (b === 'logged' ? 0 : b === 'derived' ? 2 : 1)
const weaker = (a: PhaseBasis, b: PhaseBasis): PhaseBasis => (BASIS_RANK(b) > BASIS_RANK(a) ? b : a)

const STAGE_MODEL: Partial<Record<Stage, 'esm' | 'dnabert'>> = { PROTEIN_FEATURES: 'esm', NUCLEOTIDE_FEATURES: 'dnabert' }

/**
 * Log stamps are local time, the state file is naive UTC (contract §3.2). The offset between the two clocks is the
 * difference of stage starts seen by both, rounded to 15 minutes (time zones are whole quarter hours).
 */
export function logClockOffsetMs(pairs: readonly { logMs: number; stateMs: number }[]): number {
  const first = pairs[0]
  if (first === undefined) return 0
  const quarter = 15 * 60 * 1000
  // `+ 0` turns -0 into 0.
  return Math.round((first.stateMs - first.logMs) / quarter) * quarter + 0
}

/** Marks of this stage: inside its bounds (1 s of slack for whole-second stamps), naming its model or none. */
function marksOfStage(input: StagePhaseInput): PhaseMark[] {
  const own = STAGE_MODEL[input.stage]
  return input.marks
    .filter((m) => m.model === null || m.model === own)
    .filter((m) => {
      const slack = m.precise ? 0 : 500
      return m.atMs >= input.startMs - slack && m.atMs <= input.endMs + slack
    })
    .map((m) => ({ ...m, atMs: Math.min(input.endMs, Math.max(input.startMs, m.atMs)) }))
}

/**
 * The marks of the process the stage waited for: among the processes that mark the most kinds of boundary (a
 * worker's full set beats a parent's lone `Saved … features` line), the one whose last mark is latest.
 */
function criticalPath(marks: readonly PhaseMark[]): PhaseMark[] {
  const bySource = new Map<string, PhaseMark[]>()
  for (const m of marks) bySource.set(m.source, [...(bySource.get(m.source) ?? []), m])
  let best: PhaseMark[] = []
  let bestKinds = 0
  let bestEnd = Number.NEGATIVE_INFINITY
  for (const list of bySource.values()) {
    const kinds = new Set(list.map((m) => m.kind)).size
    const end = Math.max(...list.map((m) => m.atMs))
    if (kinds > bestKinds || (kinds === bestKinds && end > bestEnd)) {
      best = list
      bestKinds = kinds
      bestEnd = end
    }
  }
  return [...best].sort((a, b) => a.atMs - b.atMs)
}

function boundaries(input: StagePhaseInput): Boundary[] {
  const marks = criticalPath(marksOfStage(input))
  const where = marks.length > 0 && marks[0]?.source !== 'main' ? ` (${marks[0]?.source})` : ''
  const out: Boundary[] = marks.map((m) => ({ atMs: m.atMs, kind: m.kind, basis: 'logged', text: `\`${m.text.slice(0, 60)}\`${where}${m.precise ? '' : ' (whole-second stamp, ±0.5 s)'}` }))
  const sampled: PhaseBasis | null = input.intervalMs === null ? null : `sampled at ${Math.round(input.intervalMs)} ms`
  const busy = input.busyTimesMs.filter((t) => t >= input.startMs && t <= input.endMs)
  const last = (kind: PhaseMarkKind): Boundary | undefined => [...out].reverse().find((b) => b.kind === kind)
  if (last('first-batch') === undefined) {
    const after = last('model-ready')?.atMs ?? last('load-start')?.atMs ?? input.startMs
    const first = busy.find((t) => t >= after)
    if (first !== undefined && sampled !== null) out.push({ atMs: first, kind: 'first-batch', basis: sampled, text: 'first GPU sample above the busy threshold' })
    else if (last('model-ready') !== undefined && last('inference-end') !== undefined) {
      const ready = last('model-ready') as Boundary
      out.push({ atMs: ready.atMs, kind: 'first-batch', basis: 'derived', text: 'no first-batch line and no busy sample: inference taken to start when the model is ready' })
    }
  }
  const start = last('first-batch')
  const end = last('inference-end')
  if (start !== undefined && (end === undefined || end.atMs < start.atMs) && sampled !== null) {
    const lastBusy = [...busy].reverse().find((t) => t >= start.atMs)
    if (lastBusy !== undefined) out.push({ atMs: lastBusy, kind: 'inference-end', basis: sampled, text: 'last GPU sample above the busy threshold' })
  }
  return out.sort((a, b) => a.atMs - b.atMs)
}

/**
 * The phases of one stage, in order, summing to its wall time; empty when neither a log line nor a busy sample marks
 * anything inside it. Before the first mark the stage is in start-up when a model load is logged later, otherwise in
 * model load (start-up and load are then not told apart, and the note says so).
 */
export function stagePhases(input: StagePhaseInput): StagePhase[] {
  if (!(input.endMs > input.startMs)) return []
  const marks = boundaries(input)
  if (marks.length === 0) return []
  const totals = new Map<PhaseName, { ms: number; basis: PhaseBasis; note: string }>()
  const add = (name: PhaseName, from: number, to: number, basis: PhaseBasis, note: string): void => {
    const t = totals.get(name)
    if (t === undefined) totals.set(name, { ms: Math.max(0, to - from), basis, note })
    else totals.set(name, { ms: t.ms + Math.max(0, to - from), basis: weaker(t.basis, basis), note: t.note })
  }
  const loadLogged = marks.some((m) => m.kind === 'load-start')
  let phase: PhaseName = loadLogged ? 'startup' : 'model-load'
  let from = input.startMs
  let fromBasis: PhaseBasis = 'logged'
  let fromText = 'stage start (pipeline_state.json)'
  for (const m of marks) {
    const next = NEXT_PHASE[m.kind]
    if (next === phase) continue
    const note = phase === 'model-load' && !loadLogged ? `${fromText} → ${m.text}; start-up and model load not told apart (no log line marks them)` : `${fromText} → ${m.text}`
    add(phase, from, m.atMs, weaker(fromBasis, m.basis), note)
    phase = next
    from = m.atMs
    fromBasis = m.basis
    fromText = m.text
  }
  add(phase, from, input.endMs, fromBasis, `${fromText} → stage end (pipeline_state.json)`)
  const order: readonly PhaseName[] = ['startup', 'model-load', 'waiting', 'inference', 'teardown']
  return order.flatMap((name) => {
    const t = totals.get(name)
    return t === undefined || t.ms <= 0 ? [] : [{ name, seconds: t.ms / 1000, basis: t.basis, note: t.note }]
  })
}

/** The inference phase of a stage's phases, or null when the stage has none. */
export function inferencePhase(phases: readonly StagePhase[]): StagePhase | null {
  return phases.find((p) => p.name === 'inference') ?? null
}
