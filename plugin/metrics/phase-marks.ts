/**
 * Log lines that mark where an embedding stage changes phase (plugin/analysis/phases.ts). The patterns are the real
 * VirNucPro's (main process on the v1 path, `worker_N.log` on the v2 path; contract §3.1); the reference pipeline
 * logs the same lines, so both targets are read by this one table.
 */
import { logTimestampMs } from './log-timestamp.ts'

export type PhaseMarkKind = 'load-start' | 'model-ready' | 'first-batch' | 'inference-end'

export interface PhaseMark {
  kind: PhaseMarkKind
  /** Epoch ms of the line's local-time stamp (not yet corrected for the log's time zone). */
  atMs: number
  /** True when the stamp has milliseconds (worker logs); main-process stamps are whole seconds. */
  precise: boolean
  /** 'main' or 'worker N': phases are followed per process, since workers interleave. */
  source: string
  /** Which model the line names, when it names one. */
  model: 'esm' | 'dnabert' | null
  /** The line's message, for the phase note. */
  text: string
}

interface MarkRule {
  kind: PhaseMarkKind
  pattern: RegExp
}

/**
 * `Model loaded: …` is deliberately not a boundary: the real tool logs it before moving the weights to the GPU and
 * converting them to FP16 (~2 s for ESM-2 3B), which belongs to model loading. `… ready:` comes after both.
 */
export const PHASE_MARK_RULES: readonly MarkRule[] = [
  { kind: 'load-start', pattern: /Loading (?:ESM-2|DNABERT-S) model[: ]|Loading model: \w+/ },
  { kind: 'model-ready', pattern: /(?:ESM-2|DNABERT-S) ready: |ESM-2 model loaded: / },
  { kind: 'first-batch', pattern: /First batch ready after [\d.]+s buffering/ },
  { kind: 'inference-end', pattern: /Async inference complete: |Inference complete: [\d,]+ new sequences|Saved ESM-2 features to / },
]

const WORKER = / - Worker (\d+) - /

function modelOf(text: string): PhaseMark['model'] {
  if (/ESM-2|esm2/i.test(text)) return 'esm'
  if (/DNABERT/i.test(text)) return 'dnabert'
  return null
}

export function phaseMark(line: string): PhaseMark | null {
  const rule = PHASE_MARK_RULES.find((r) => r.pattern.test(line))
  if (rule === undefined) return null
  const atMs = logTimestampMs(line)
  if (atMs === null) return null
  const worker = WORKER.exec(line)
  const message = /- (?:INFO|WARNING) - (.*)$/.exec(line)?.[1] ?? line
  const precise = /\d{2}:\d{2}:\d{2},\d{3}/.test(line)
  return {
    kind: rule.kind,
    // A whole-second stamp stands for any moment of that second: its middle is the unbiased estimate.
    atMs: precise ? atMs : atMs + 500,
    precise,
    source: worker === null ? 'main' : `worker ${worker[1]}`,
    model: modelOf(message),
    text: message.trim().slice(0, 120),
  }
}
