/**
 * Live progress on stderr. On a TTY: one compact line rewritten in place. Otherwise: one line per stage transition
 * plus a heartbeat at most every 30 s, so CI logs stay short.
 */
import { STAGE_TITLES, STAGES, type Stage } from '../model/stages.ts'

export type ProgressStyle = 'tty' | 'plain' | 'off'

export const PLAIN_HEARTBEAT_MS = 30_000

export interface ProgressSnapshot {
  stage: Stage | null
  elapsedMs: number
  /** Mean utilisation and total memory of the latest GPU samples, if sampling. */
  gpuUtilPct: number | null
  gpuMemGiB: number | null
  /** Set while a cluster job waits in the queue; elapsedMs is then the time queued. */
  pending?: { reason: string | null; jobId: string | null } | null
}

export function progressStyle(mode: 'auto' | 'tty' | 'plain' | 'off', isTty: boolean): ProgressStyle {
  return mode === 'auto' ? (isTty ? 'tty' : 'plain') : mode
}

function clock(ms: number): string {
  const s = Math.floor(ms / 1000)
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const pad = (n: number): string => String(n).padStart(2, '0')
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${pad(m)}:${pad(s % 60)}`
}

/** `[label] stage 5/9 DNABERT-S Feature Extraction · 02:13 · GPU 64% 41.2 GiB` */
export function formatProgress(label: string, snap: ProgressSnapshot): string {
  if (snap.pending) {
    const job = snap.pending.jobId === null ? '' : ` · job ${snap.pending.jobId}`
    return `[${label}] pending in queue${snap.pending.reason === null ? '' : ` (${snap.pending.reason})`} · ${clock(snap.elapsedMs)}${job}`
  }
  const stage = snap.stage === null ? 'starting' : `stage ${STAGES.indexOf(snap.stage) + 1}/9 ${STAGE_TITLES[snap.stage]}`
  const gpu = snap.gpuUtilPct === null ? '' : ` · GPU ${Math.round(snap.gpuUtilPct)}%${snap.gpuMemGiB === null ? '' : ` ${snap.gpuMemGiB.toFixed(1)} GiB`}`
  return `[${label}] ${stage} · ${clock(snap.elapsedMs)}${gpu}`
}

export class ProgressDisplay {
  private lastStage: Stage | 'pending' | null = null
  private lastPlainAt = 0
  private drawn = false

  constructor(
    private readonly label: string,
    private readonly style: ProgressStyle,
    private readonly write: (text: string) => void = (t) => void process.stderr.write(t),
    private readonly now: () => number = Date.now,
  ) {}

  update(snap: ProgressSnapshot): void {
    if (this.style === 'off') return
    const line = formatProgress(this.label, snap)
    if (this.style === 'tty') {
      this.write(`\r\x1b[2K${line}`)
      this.drawn = true
      return
    }
    const stage = snap.pending ? 'pending' : snap.stage
    const transition = stage !== this.lastStage
    if (transition || this.now() - this.lastPlainAt >= PLAIN_HEARTBEAT_MS) {
      this.write(`${line}\n`)
      this.lastPlainAt = this.now()
    }
    this.lastStage = stage
  }

  finish(summary: string): void {
    if (this.style === 'off') return
    if (this.style === 'tty' && this.drawn) this.write('\r\x1b[2K')
    this.write(`[${this.label}] ${summary}\n`)
  }
}
