/**
 * All nine stages, in order, as StageTiming: the state file is authoritative, log lines fill the gaps (and are the
 * only source when the state file is missing). Record counts come from the log's extras and count lines.
 */
import type { RunCounts, StageTiming } from '../model/run-result.ts'
import { STAGES, type Stage } from '../model/stages.ts'
import type { LogSummary } from './log-parser.ts'
import type { PipelineState, StateStage } from './pipeline-state.ts'

export function runCounts(log: LogSummary | null, state: PipelineState | null): RunCounts {
  const c = log?.counts
  const fromState = (stage: Stage, key: string): number | null => {
    const v = state?.stages[stage]?.outputs[key] ?? state?.stages[stage]?.inputs[key]
    return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : null
  }
  const predictions = c?.predictions ?? fromState('PREDICTION', 'predictions')
  return {
    inputRecords: c?.inputRecords ?? fromState('CHUNKING', 'sequences'),
    chunks: c?.chunks ?? fromState('CHUNKING', 'chunks'),
    // One prediction row per ORF frame, so a finished run's prediction count is the best frame count.
    orfFrames: predictions ?? c?.orfFrames ?? fromState('TRANSLATION', 'orf_frames'),
    predictions,
    consensus: c?.consensus ?? fromState('CONSENSUS', 'consensus_sequences'),
  }
}

/** Records in / out per stage, from the run's counts (each stage hands its output to the next). */
function recordsFor(stage: Stage, counts: RunCounts): { recordsIn: number | null; recordsOut: number | null } {
  switch (stage) {
    case 'CHUNKING':
      return { recordsIn: counts.inputRecords, recordsOut: counts.chunks }
    case 'TRANSLATION':
      return { recordsIn: counts.chunks, recordsOut: counts.orfFrames }
    case 'PREDICTION':
      return { recordsIn: counts.orfFrames, recordsOut: counts.predictions }
    case 'CONSENSUS':
      return { recordsIn: counts.predictions, recordsOut: counts.consensus }
    default:
      return { recordsIn: counts.orfFrames, recordsOut: counts.orfFrames }
  }
}

function integer(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : null
}

function fromStateFile(entry: StateStage, log: LogSummary | null): Omit<StageTiming, 'recordsIn' | 'recordsOut' | 'tokens' | 'modelLoadSeconds' | 'phases'> {
  const skipped = log?.stages[entry.stage]?.skipped === true
  const duration =
    entry.durationSeconds ??
    (entry.startedAtMs !== null && entry.completedAtMs !== null ? (entry.completedAtMs - entry.startedAtMs) / 1000 : null)
  return {
    stage: entry.stage,
    status: skipped && entry.status === 'completed' ? 'skipped' : entry.status,
    startedAtMs: entry.startedAtMs,
    completedAtMs: entry.completedAtMs,
    durationSeconds: duration,
    source: 'state-file',
  }
}

function fromLog(stage: Stage, log: LogSummary | null): Omit<StageTiming, 'recordsIn' | 'recordsOut' | 'tokens' | 'modelLoadSeconds' | 'phases'> {
  const e = log?.stages[stage]
  const done = e?.completedSeconds !== null && e?.completedSeconds !== undefined
  const started = e?.startedAtMs ?? null
  return {
    stage,
    status: e === undefined ? 'not_started' : e.skipped ? 'skipped' : done ? 'completed' : 'in_progress',
    startedAtMs: started,
    // Log stamps have 1 s resolution; the completion time is start + the logged duration where possible.
    completedAtMs: done ? (started !== null ? started + (e.completedSeconds ?? 0) * 1000 : e.completedAtMs) : null,
    durationSeconds: done ? e.completedSeconds : null,
    source: 'log',
  }
}

export function stageBreakdown(state: PipelineState | null, log: LogSummary | null, counts: RunCounts): StageTiming[] {
  return STAGES.map((stage) => {
    const entry = state?.stages[stage]
    const useState = entry !== undefined && (entry.status !== 'not_started' || log?.stages[stage] === undefined)
    const base = useState ? fromStateFile(entry, log) : fromLog(stage, log)
    const finished = base.status === 'completed' || base.status === 'skipped'
    const records = finished ? recordsFor(stage, counts) : { recordsIn: null, recordsOut: null }
    const tokens = integer(entry?.outputs.tokens) ?? integer(entry?.inputs.tokens) ?? (stage === 'PROTEIN_FEATURES' ? (log?.counts.esmTokens ?? null) : null)
    return {
      ...base,
      recordsIn: integer(entry?.inputs.records) ?? records.recordsIn,
      recordsOut: integer(entry?.outputs.records) ?? records.recordsOut,
      tokens,
      modelLoadSeconds: log?.modelLoadSeconds[stage] ?? null,
      phases: [],
    }
  })
}
