/**
 * Says what ran, in words, from what the runs recorded (pure): target with version, mode (and what "vanilla" means
 * for that target, precision included), model size, sample and GPUs. Shared by the markdown and the console.
 */
import { duration } from '../../analysis/format-numbers.ts'
import type { RunResult } from '../../model/run-result.ts'
import type { ReportCase } from '../schema.ts'

export function gpuLabel(count: number): string {
  return count === 0 ? 'CPU' : `${count} GPU${count === 1 ? '' : 's'}`
}

/** A GPU-count table cell: the count, or "CPU" for a CPU run (never "0 GPUs"). */
export function gpusCell(count: number): string | number {
  return count === 0 ? 'CPU' : count
}

function argAfter(command: readonly string[], flag: string): string | null {
  const i = command.lastIndexOf(flag)
  return i >= 0 && i + 1 < command.length ? (command[i + 1] ?? null) : null
}

export function targetText(run: Pick<RunResult, 'target'>): string {
  const t = run.target
  const name = t.kind === 'reference' ? 'reference pipeline (fixtures/reference-pipeline, virnucpro_ref)' : t.name
  return `${name}${t.version ? ` ${t.version}` : ''}`
}

/** The encoder precision the run asked for or the target's default for its device. */
function precisionOf(run: Pick<RunResult, 'target' | 'mode' | 'command' | 'device'>): string {
  if (run.target.kind === 'reference') {
    if (run.mode === 'vanilla') return 'fp32'
    const asked = argAfter(run.command, '--precision')
    return asked !== null && asked !== 'auto' ? asked : run.device === 'cuda' ? 'bf16' : 'fp32'
  }
  // The tool picks its own precision; contract §8: both of its paths convert ESM-2 to FP16.
  return 'ESM-2 in FP16'
}

export function modeText(run: Pick<RunResult, 'target' | 'mode' | 'command' | 'device'>): string {
  const precision = precisionOf(run)
  if (run.target.kind === 'reference') {
    return run.mode === 'vanilla'
      ? `vanilla: the original algorithm (${precision}, DNABERT-S one sequence per pass, ESM-2 2048-token batches, models reloaded per file)`
      : `optimised (token-budget batches, ${precision}${run.command.includes('--parallel') ? ', one worker per GPU' : ''})`
  }
  if (run.mode === 'vanilla') {
    const custom = !run.command.includes('virnucpro')
    return custom ? 'vanilla: the configured vanillaCommand' : `vanilla: the tool's own v1 path (no --parallel; ${precision}), not the original FP32 pipeline`
  }
  return run.command.includes('--parallel') ? `optimised: --parallel (v2 ESM-2 path; ${precision})` : `optimised: v1 path (${precision})`
}

export function modelText(run: Pick<RunResult, 'target' | 'command'>): string {
  if (run.target.kind === 'reference') {
    const size = argAfter(run.command, '--model-size')
    if (size === 'tiny') return 'tiny (2-layer, hidden 64 encoders, random weights)'
    if (size === 'full') return 'full (DNABERT-S 12×768, ESM-2 36×2560 shapes, random weights)'
    return size ?? '—'
  }
  const model = argAfter(run.command, '-m')
  return model === null ? '—' : `${model} bp model (DNABERT-S + ESM-2 3B)`
}

function unique(values: readonly string[]): string {
  return [...new Set(values)].join('; ') || '—'
}

export interface CaseFacts {
  target: string
  mode: string
  model: string
  gpus: string
}

export function caseFacts(c: Pick<ReportCase, 'runs'>): CaseFacts {
  const runs = c.runs
  return {
    target: unique(runs.map(targetText)),
    mode: unique(runs.map(modeText)),
    model: unique(runs.map(modelText)),
    gpus: unique([...new Set(runs.map((r) => r.gpuCount))].sort((a, b) => a - b).map(gpuLabel)),
  }
}

export function sampleText(c: Pick<ReportCase, 'sample'>): string {
  const s = c.sample
  const parts = [s.name]
  if (s.records !== null) parts.push(`${s.records.toLocaleString('en-US')} records`)
  if (s.bases !== null) parts.push(`${s.bases.toLocaleString('en-US')} bases`)
  if (s.lengths !== null) parts.push(s.lengths.min === s.lengths.max ? `all ${s.lengths.min} bp` : `${s.lengths.min}–${s.lengths.max} bp (median ${s.lengths.median})`)
  return parts.join(', ')
}

/** Wall time per GPU count, measured outside the process (median of the runs at that count). */
export function caseWallText(c: Pick<ReportCase, 'runs' | 'analysis'>): string {
  const points = c.analysis.scaling?.points ?? []
  if (points.length > 0) return points.map((p) => `${gpuLabel(p.gpus)}: ${duration(p.wallSeconds.value)}${p.runs > 1 ? ` (median of ${p.runs})` : ''}`).join(' · ')
  if (c.analysis.wallSeconds !== null) return duration(c.analysis.wallSeconds.value)
  if (c.runs.length === 0) return '—'
  return c.runs.map((r) => `${r.mode} ${gpuLabel(r.gpuCount)}: ${duration(r.wallSeconds)}`).join(' · ')
}
