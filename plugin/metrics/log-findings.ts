import { z } from 'zod'

/**
 * Log lines that mean trouble even when the exit code is 0 (contract §6). ERROR-level lines alone are not failures
 * (a successful real run logs `CRITICAL: Packing efficiency 79.0% < 80%` at ERROR): only these patterns count.
 */
import type { Stage } from '../model/stages.ts'

export type FindingSeverity = 'error' | 'warning'

/**
 * Stable codes of a run's log findings: one rule each below, plus 'leftover-processes', which the runner records
 * itself. The comparison's own codes are FINDING_CODES in compare/core/findings.ts.
 */
export const LogFindingCodeSchema = z.enum([
  'missing-sequences',
  'duplicate-sequence-id',
  'dtype-mismatch',
  'failed-to-process',
  'cuda-error',
  'merge-id-mismatch',
  'v2-esm-missing-id',
  'stale-merge-reused',
  'stale-done-marker',
  'out-of-memory',
  'standard-attention',
  'no-orfs',
  'packing-efficiency',
  'flash-attention-fallback',
  'leftover-processes',
])
export type LogFindingCode = z.infer<typeof LogFindingCodeSchema>

export interface FindingRule {
  code: LogFindingCode
  severity: FindingSeverity
  pattern: RegExp
  /** What the finding means, prefixed to the matched text. */
  meaning: string
}

export const FINDING_RULES: readonly FindingRule[] = [
  { code: 'missing-sequences', severity: 'error', pattern: /Missing \d[\d,]* expected sequences/, meaning: 'sequences lost in v2 aggregation (§6.2)' },
  { code: 'duplicate-sequence-id', severity: 'error', pattern: /Duplicate sequence ID/, meaning: 'duplicated sequences (§6.3)' },
  { code: 'dtype-mismatch', severity: 'error', pattern: /expected scalar type/, meaning: 'BF16/FP16 dtype mismatch (§6.4)' },
  { code: 'failed-to-process', severity: 'error', pattern: /Failed to process/, meaning: 'a file failed to process (§6.4)' },
  { code: 'cuda-error', severity: 'error', pattern: /CUDA error on/, meaning: 'CUDA error in a worker (§6.4)' },
  { code: 'merge-id-mismatch', severity: 'error', pattern: /not found in both datasets/, meaning: 'DNABERT/ESM IDs do not pair up (§6.9, §6.17)' },
  { code: 'v2-esm-missing-id', severity: 'error', pattern: /not found in v2\.0 ESM-2 output/, meaning: 'v2 ESM output lacks IDs (§6.9)' },
  { code: 'stale-merge-reused', severity: 'error', pattern: /Skipping merge - output exists/, meaning: 'stale merged output reused (§6.11)' },
  { code: 'stale-done-marker', severity: 'error', pattern: /Skipping .*\(\.done marker\)/, meaning: 'stale features reused via .done marker (§6.11)' },
  { code: 'out-of-memory', severity: 'error', pattern: /out of memory/i, meaning: 'GPU or host out of memory' },
  { code: 'standard-attention', severity: 'warning', pattern: /Using standard attention/, meaning: 'FlashAttention-2 not used (§6.5)' },
  { code: 'no-orfs', severity: 'warning', pattern: /No ORFs found/, meaning: 'input produced no ORFs: empty outputs (§6.12)' },
  { code: 'packing-efficiency', severity: 'warning', pattern: /CRITICAL: Packing efficiency/, meaning: 'ESM-2 packing efficiency under target' },
  { code: 'flash-attention-fallback', severity: 'warning', pattern: /FlashAttention not available/, meaning: 'FlashAttention claimed but not available' },
]

export interface LogFinding {
  severity: FindingSeverity
  code: LogFindingCode
  message: string
  /** How many lines matched (the message keeps the first one). */
  count?: number
  /** The stage running when the first matching line was logged, when known. */
  stage?: Stage | null
  /** The first matching line as logged, for a reader to search the logs with. */
  firstLine?: string | null
  /** Worker ranks named in the matching lines (`Worker 2`, `rank 2`), so a summary can say "on all 4 workers". */
  workers?: number[]
}

const WORKER = /\b(?:Worker|[Rr]ank) (\d+)\b/

/** The log message without the `date - logger - LEVEL - ` prefix, so findings read cleanly. */
function messageOf(line: string): string {
  const m = /- (?:DEBUG|INFO|WARNING|ERROR|CRITICAL) - (.*)$/.exec(line)
  return (m?.[1] ?? line).trim().slice(0, 300)
}

export function matchFinding(line: string): LogFinding | null {
  for (const rule of FINDING_RULES) {
    if (rule.pattern.test(line)) return { severity: rule.severity, code: rule.code, message: `${rule.meaning}: ${messageOf(line)}` }
  }
  return null
}

/** Collects findings, keeping the first line per code and a count, so a per-batch warning does not flood results. */
export class FindingCollector {
  private readonly first = new Map<string, LogFinding>()
  private readonly counts = new Map<string, number>()
  private readonly workers = new Map<string, Set<number>>()

  add(line: string, stage: Stage | null = null): LogFinding | null {
    const finding = matchFinding(line)
    if (finding === null) return null
    if (!this.first.has(finding.code)) this.first.set(finding.code, { ...finding, stage, firstLine: line.trim().slice(0, 500) })
    this.counts.set(finding.code, (this.counts.get(finding.code) ?? 0) + 1)
    const worker = WORKER.exec(line)?.[1]
    if (worker !== undefined) this.workers.set(finding.code, (this.workers.get(finding.code) ?? new Set<number>()).add(Number(worker)))
    return finding
  }

  list(): LogFinding[] {
    return [...this.first.values()].map((f) => {
      const n = this.counts.get(f.code) ?? 1
      const workers = [...(this.workers.get(f.code) ?? [])].sort((a, b) => a - b)
      return n > 1 ? { ...f, count: n, workers, message: `${f.message} (×${n})` } : { ...f, count: n, workers }
    })
  }
}
