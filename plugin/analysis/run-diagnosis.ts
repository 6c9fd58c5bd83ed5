/**
 * What happened to one run, in words: for a failed run the stage that failed, the cause and what it did not
 * produce ("DNABERT-S failed on all 4 workers: BF16/FP16 dtype mismatch (§6.4): … (×18); no nucleotide feature files
 * produced"), with the first error lines of both streams. Pure: no I/O.
 */
import type { ErrorLines, RunLogFinding, RunResult } from '../model/run-result.ts'
import type { Stage } from '../model/stages.ts'

export const STAGE_SHORT: Record<Stage, string> = {
  CHUNKING: 'Chunking',
  TRANSLATION: 'Translation',
  NUCLEOTIDE_SPLITTING: 'Nucleotide splitting',
  PROTEIN_SPLITTING: 'Protein splitting',
  NUCLEOTIDE_FEATURES: 'DNABERT-S',
  PROTEIN_FEATURES: 'ESM-2',
  FEATURE_MERGING: 'Feature merging',
  PREDICTION: 'Prediction',
  CONSENSUS: 'Consensus',
}

export type DiagnosableRun = Pick<RunResult, 'outcome' | 'outcomeDescription' | 'stages' | 'logFindings' | 'errorLines' | 'outputs' | 'gpuCount'>

export interface RunDiagnosis {
  succeeded: boolean
  /** The stage that failed (or, for a success with findings, null). */
  stage: Stage | null
  /** One sentence: "DNABERT-S failed on all 4 workers: …; no nucleotide feature files produced". */
  headline: string
  errorLines: ErrorLines
}

/** Errors first, then by count. */
export function orderFindings(findings: readonly RunLogFinding[]): RunLogFinding[] {
  return [...findings].sort((a, b) => (a.severity === b.severity ? b.count - a.count : a.severity === 'error' ? -1 : 1))
}

function failingStage(run: DiagnosableRun, errors: readonly RunLogFinding[]): Stage | null {
  const fromFinding = errors.find((f) => f.stage !== null)?.stage
  if (fromFinding !== undefined && fromFinding !== null) return fromFinding
  const open = run.stages.find((s) => s.status === 'failed' || s.status === 'in_progress')
  return open?.stage ?? null
}

function workersPhrase(finding: RunLogFinding | undefined, gpuCount: number): string {
  if (finding === undefined || finding.workers.length === 0) return ''
  const n = finding.workers.length
  if (gpuCount > 1 && n >= gpuCount) return ` on all ${gpuCount} workers`
  return ` on ${n} worker${n === 1 ? '' : 's'} (${finding.workers.join(', ')})`
}

const EXCEPTION_OR_ERROR = /(?:^[A-Za-z_][\w.]*(?:Error|Exception)\b|: error: |^Error: | - (?:ERROR|CRITICAL) - )/

/** The most telling error line: an exception or ERROR line (stdout first: the real tool logs its errors there). */
function causeFromLines(lines: ErrorLines): string | null {
  const all = [...lines.stdout, ...lines.stderr]
  const exception = all.find((l) => /^[A-Za-z_][\w.]*(?:Error|Exception)\b/.test(l))
  const line = exception ?? all.find((l) => EXCEPTION_OR_ERROR.test(l))
  if (line === undefined) return null
  return line.replace(/^.* - (?:ERROR|CRITICAL) - /, '').slice(0, 300)
}

function missingOutputs(run: DiagnosableRun, stage: Stage | null): string[] {
  const o = run.outputs
  if (o === null) return []
  const missing: string[] = []
  if (stage === 'NUCLEOTIDE_FEATURES' && o.nucleotideFeatureFiles === 0) missing.push('no nucleotide feature files produced')
  if (stage === 'PROTEIN_FEATURES' && o.proteinFeatureFiles === 0) missing.push('no protein feature files produced')
  if (stage === 'FEATURE_MERGING' && o.mergedFiles === 0) missing.push('no merged feature files produced')
  if (!o.predictionFile) missing.push('no prediction file written')
  else if (!o.consensusFile) missing.push('no consensus file written')
  return missing
}

export function diagnoseRun(run: DiagnosableRun): RunDiagnosis {
  const succeeded = run.outcome === 'succeeded'
  const errors = orderFindings(run.logFindings).filter((f) => f.severity === 'error')
  if (succeeded) {
    const warnings = run.logFindings.filter((f) => f.severity === 'warning')
    const headline = warnings.length === 0 ? run.outcomeDescription : `${run.outcomeDescription}; log warnings: ${warnings.map((w) => `${w.code} (×${w.count})`).join(', ')}`
    return { succeeded, stage: null, headline, errorLines: run.errorLines }
  }
  const stage = failingStage(run, errors)
  const first = errors[0]
  const cause = first !== undefined ? first.message : (causeFromLines(run.errorLines) ?? run.outcomeDescription)
  const who = stage === null ? 'The run failed' : `${STAGE_SHORT[stage]} failed${workersPhrase(first, run.gpuCount)}`
  const parts = [`${who}: ${cause}`, ...missingOutputs(run, stage)]
  const headline = cause === run.outcomeDescription ? parts.join('; ') : `${parts.join('; ')} (${run.outcomeDescription})`
  return { succeeded, stage, headline, errorLines: run.errorLines }
}
