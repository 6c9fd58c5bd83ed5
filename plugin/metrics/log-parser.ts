/**
 * Pure, incremental parser for the pipeline's log lines (contract §3.1): stage banners, `… completed in X.Xs [k: v]`,
 * `Total wall time`, throughput and model-load lines, record counts, and §6 findings. Lines may carry a tqdm prefix
 * (bars share stdout), so patterns are searched anywhere in the line and stages are matched by name, never number.
 */
import { STAGE_TITLES, STAGES, stageFromTitle, type Stage } from '../model/stages.ts'
import { addClaimLine, type ClaimEvidence, emptyClaimEvidence } from './claim-lines.ts'
import { FindingCollector, type LogFinding } from './log-findings.ts'
import { phaseMark, type PhaseMark } from './phase-marks.ts'
import { logTimestampMs } from './log-timestamp.ts'

export type ExtraValue = number | string

export interface LogStage {
  stage: Stage
  startedAtMs: number | null
  completedSeconds: number | null
  completedAtMs: number | null
  skipped: boolean
  extras: Record<string, ExtraValue>
}

export interface Throughput {
  stage: Stage | null
  label: string
  seqPerSec: number
  tokPerSec: number | null
}

export interface LogCounts {
  inputRecords: number | null
  chunks: number | null
  orfFrames: number | null
  predictions: number | null
  consensus: number | null
  /** ESM-2 input tokens (`Index: N sequences, T tokens`). */
  esmTokens: number | null
}

export interface LogSummary {
  stages: Partial<Record<Stage, LogStage>>
  currentStage: Stage | null
  pipelineWallSeconds: number | null
  modelLoadSeconds: Partial<Record<Stage, number>>
  throughput: Throughput[]
  counts: LogCounts
  findings: LogFinding[]
  /** Lines that look like a Click usage error (`Usage:` … `Error:`), which make exit 2 a usage error. */
  usageError: boolean
  /** Phase boundaries inside the embedding stages (phase-marks.ts), in log order per stream. */
  phaseMarks: PhaseMark[]
  /** What the log claims about optimisations, and the lines that bear on it (claim-lines.ts). */
  claims: ClaimEvidence
  /** The configuration echo: `  Model: 500_model.pth`, `  Expected length: 500bp` (contract §6.8). */
  config: { model: string | null; chunkLength: number | null }
  /** The summary's `Bottlenecks: ESM-2 Feature Extraction (69%), …` line. */
  bottlenecks: { stage: string; percent: number }[]
}

const TITLE_ALTERNATION = STAGES.map((s) => STAGE_TITLES[s].replace(/[-.]/g, '\\$&')).join('|')
/** Characters of a line that are parsed; longer lines are cut (see pushLine). */
export const MAX_PARSED_LINE_CHARS = 4096
const STAGE_START = /=== Stage \d+: (.+?) ===/
const STAGE_DONE = new RegExp(`(${TITLE_ALTERNATION}) completed in ([\\d.]+)s(?: \\[(.*)\\])?`)
const TOTAL_WALL = /Total wall time: [\d:]+ \(([\d.]+)s\)/
const THROUGHPUT = /([A-Za-z][\w-]*(?: [A-Za-z][\w-]*)?) throughput: ([\d.,]+) seq\/s(?:, ([\d.,]+) tok(?:en)?s?\/s)?/
const ASYNC_DONE = /Async inference complete: [\d,]+ sequences, ([\d.,]+) seq\/s, ([\d.,]+) tokens\/s/
const MODEL_LOAD = /(?:(\S+) )?[Mm]odel load(?:ed in|:) ([\d.]+)\s*s/
const LOADING_MODEL = /Loading (ESM-2|DNABERT-S|DNABERT) model/
const MODEL_LOADED = /Model loaded: (\S+)/

/** `2,000` → 2000, `37.8` → 37.8, `v1.0` stays text. */
export function extraValue(text: string): ExtraValue {
  const trimmed = text.trim()
  return /^-?[\d,]+(?:\.\d+)?$/.test(trimmed) ? Number(trimmed.replace(/,/g, '')) : trimmed
}

/** `sequences: 2,000, sequences_with_orfs: 2,000, seq_per_sec: 377.8` → a record (commas inside numbers kept). */
export function parseExtras(text: string): Record<string, ExtraValue> {
  const out: Record<string, ExtraValue> = {}
  for (const m of text.matchAll(/(\w+): (.*?)(?=, \w+: |$)/g)) {
    if (m[1] !== undefined && m[2] !== undefined) out[m[1]] = extraValue(m[2])
  }
  return out
}

function num(text: string | undefined): number | null {
  if (text === undefined) return null
  const v = Number(text.replace(/,/g, ''))
  return Number.isFinite(v) ? v : null
}

function stageForModel(name: string | undefined, fallback: Stage | null): Stage | null {
  if (name === undefined) return fallback
  if (/esm/i.test(name)) return 'PROTEIN_FEATURES'
  if (/dnabert/i.test(name)) return 'NUCLEOTIDE_FEATURES'
  return fallback
}

export class LogParser {
  private readonly stages: Partial<Record<Stage, LogStage>> = {}
  private readonly findings = new FindingCollector()
  private readonly modelLoad: Partial<Record<Stage, number>> = {}
  private readonly loadingSince = new Map<Stage, number>()
  private readonly throughput: Throughput[] = []
  private current: Stage | null = null
  private wall: number | null = null
  private usage = { usage: false, error: false }
  private readonly marks: PhaseMark[] = []
  private readonly claims: ClaimEvidence = emptyClaimEvidence()
  private readonly config: LogSummary['config'] = { model: null, chunkLength: null }
  private bottlenecks: LogSummary['bottlenecks'] = []
  private readonly counts: LogCounts = { inputRecords: null, chunks: null, orfFrames: null, predictions: null, consensus: null, esmTokens: null }

  private entry(stage: Stage): LogStage {
    const existing = this.stages[stage]
    if (existing) return existing
    const created: LogStage = { stage, startedAtMs: null, completedSeconds: null, completedAtMs: null, skipped: false, extras: {} }
    this.stages[stage] = created
    return created
  }

  /** Feeds text that may hold several lines (tqdm's `\r` counts as a break). Returns the stages that started. */
  pushText(text: string): Stage[] {
    const started: Stage[] = []
    for (const line of text.split(/\r\n|\r|\n/)) {
      const stage = this.pushLine(line)
      if (stage !== null) started.push(stage)
    }
    return started
  }

  /** One line; returns the stage it starts, if it is a stage banner. */
  pushLine(raw: string): Stage | null {
    // The contract's lines are short; a multi-MB line (a dumped tensor, binary junk) would make the patterns below
    // backtrack quadratically (a 128 KiB line took 33 s). Only its head can carry a message.
    const line = raw.length > MAX_PARSED_LINE_CHARS ? raw.slice(0, MAX_PARSED_LINE_CHARS) : raw
    if (line.trim() === '') return null
    this.findings.add(line, this.current)
    this.evidenceLine(line)
    if (/^Usage: /.test(line)) this.usage.usage = true
    if (/^Error: /.test(line)) this.usage.error = true
    const at = logTimestampMs(line)

    const start = STAGE_START.exec(line)
    const startStage = start?.[1] === undefined ? undefined : stageFromTitle(start[1])
    if (startStage !== undefined) {
      this.entry(startStage).startedAtMs = at
      this.current = startStage
      return startStage
    }
    const done = STAGE_DONE.exec(line)
    const doneStage = done?.[1] === undefined ? undefined : stageFromTitle(done[1])
    if (done !== null && doneStage !== undefined) {
      const e = this.entry(doneStage)
      e.completedSeconds = num(done[2])
      e.completedAtMs = at
      const extras = done[3] ?? ''
      e.skipped = /skipped/.test(extras)
      e.extras = parseExtras(extras)
      this.countsFromExtras(doneStage, e.extras)
      return null
    }
    this.otherLine(line, at)
    return null
  }

  private otherLine(line: string, at: number | null): void {
    const wall = TOTAL_WALL.exec(line)
    if (wall !== null) this.wall = num(wall[1])
    const asyncDone = ASYNC_DONE.exec(line)
    const tp = asyncDone === null ? THROUGHPUT.exec(line) : null
    if (asyncDone !== null) this.throughput.push({ stage: 'PROTEIN_FEATURES', label: 'ESM-2', seqPerSec: num(asyncDone[1]) ?? 0, tokPerSec: num(asyncDone[2]) })
    if (tp !== null && tp[1] !== undefined) {
      this.throughput.push({ stage: stageForModel(tp[1], this.current), label: tp[1], seqPerSec: num(tp[2]) ?? 0, tokPerSec: num(tp[3]) })
    }
    const load = MODEL_LOAD.exec(line)
    if (load !== null) {
      // The model is named before (`ESM-2 model load:`) or after (`Model load: 1.2s (esm)`) the figure.
      const stage = stageForModel(`${load[1] ?? ''} ${line.slice((load.index ?? 0) + load[0].length)}`, this.current)
      if (stage !== null) this.modelLoad[stage] = (this.modelLoad[stage] ?? 0) + (num(load[2]) ?? 0)
    }
    const loading = LOADING_MODEL.exec(line)
    if (loading !== null && at !== null) {
      const stage = stageForModel(loading[1], this.current)
      if (stage !== null) this.loadingSince.set(stage, at)
    }
    const loaded = MODEL_LOADED.exec(line)
    if (loaded !== null && at !== null) {
      const stage = stageForModel(loaded[1], this.current)
      const since = stage === null ? undefined : this.loadingSince.get(stage)
      if (stage !== null && since !== undefined && this.modelLoad[stage] === undefined) {
        this.modelLoad[stage] = (at - since) / 1000
        this.loadingSince.delete(stage)
      }
    }
    this.countsFromLine(line)
  }

  /** Lines read for phases, claims, the effective configuration and the tool's own bottleneck ranking. */
  private evidenceLine(line: string): void {
    const mark = phaseMark(line)
    if (mark !== null) this.marks.push(mark)
    addClaimLine(this.claims, line)
    const model = /- INFO - +Model: (\S+)\s*$/.exec(line)
    if (model !== null) this.config.model ??= model[1] ?? null
    const length = /- INFO - +Expected length: (\d+)bp/.exec(line)
    if (length !== null) this.config.chunkLength ??= Number(length[1])
    const bottlenecks = /Bottlenecks: (.+)$/.exec(line)
    if (bottlenecks !== null) {
      this.bottlenecks = [...(bottlenecks[1] ?? '').matchAll(/([^,(]+?) \(([\d.]+)%\)/g)].map((m) => ({ stage: (m[1] ?? '').trim(), percent: Number(m[2]) }))
    }
  }

  private countsFromExtras(stage: Stage, extras: Record<string, ExtraValue>): void {
    const n = (key: string): number | null => (typeof extras[key] === 'number' ? (extras[key] as number) : null)
    if (stage === 'CHUNKING') this.counts.inputRecords ??= n('sequences')
    if (stage === 'TRANSLATION') this.counts.chunks ??= n('sequences')
    if (stage === 'PREDICTION') this.counts.predictions = n('predictions') ?? this.counts.predictions
    if (stage === 'CONSENSUS') this.counts.consensus = n('consensus_sequences') ?? this.counts.consensus
  }

  private countsFromLine(line: string): void {
    const created = /Created ([\d,]+) chunks from ([\d,]+) sequences/.exec(line)
    if (created !== null) {
      this.counts.chunks = num(created[1])
      this.counts.inputRecords ??= num(created[2])
    }
    const skipped = /Skipping chunking: ([\d,]+) sequences/.exec(line)
    if (skipped !== null) this.counts.chunks = num(skipped[1])
    const index = /Index: ([\d,]+) sequences, ([\d,]+) tokens/.exec(line)
    if (index !== null) {
      this.counts.orfFrames ??= num(index[1])
      this.counts.esmTokens = num(index[2])
    }
    const saved = /Saved DNABERT-S features to .* \(([\d,]+) sequences\)/.exec(line)
    if (saved !== null) this.counts.orfFrames = (this.counts.orfFrames ?? 0) + (num(saved[1]) ?? 0)
  }

  summary(): LogSummary {
    return {
      stages: structuredClone(this.stages),
      currentStage: this.current,
      pipelineWallSeconds: this.wall,
      modelLoadSeconds: { ...this.modelLoad },
      throughput: [...this.throughput],
      counts: { ...this.counts },
      findings: this.findings.list(),
      usageError: this.usage.usage && this.usage.error,
      phaseMarks: [...this.marks],
      claims: structuredClone(this.claims),
      config: { ...this.config },
      bottlenecks: [...this.bottlenecks],
    }
  }
}
