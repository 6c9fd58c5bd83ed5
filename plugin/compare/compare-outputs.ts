import type { Comparison, Finding, TensorStats } from '../model/validation.ts'
import type { ConsensusTable, PredictionTable } from '../io/tsv/tables.ts'
import { type ConsensusComparison, compareConsensus } from './core/consensus-stats.ts'
import { pairedRows, RowLookup } from './sources/embedding-source.ts'
import { divergentVectors, withConsensus, withPredictions } from './core/downstream.ts'
import { finding } from './core/findings.ts'
import { chunkIdOf, describeIds, type IdSample, idSample, noteId } from './core/ids.ts'
import { IntegrityTracker, type RunFacts } from './core/integrity.ts'
import { openOutputSet } from './sources/open-output-set.ts'
import { type ComparisonOptions, type ComparisonOptionsInput, comparisonOptions } from './core/options.ts'
import type { OutputSet } from './sources/output-set.ts'
import { comparePredictions, type PredictionComparison } from './core/prediction-stats.ts'
import { checkComparable, type RunConfig } from './core/run-config.ts'
import { STAGE_LABEL, type TensorStage } from './core/stages.ts'
import { TensorAccumulator } from './core/tensor-accumulator.ts'
import { decideVerdict } from './core/verdict.ts'

/** A comparison that could be made (pass/warn/fail), or one that could not (unreadable, refused). */
/** Why a comparison could not be made at all (an error result, not a verdict). */
export const COMPARE_ERROR_REASONS = ['unreadable', 'incomparable'] as const

export type CompareOutcome =
  | { status: 'compared'; comparison: Comparison }
  | { status: 'error'; reason: (typeof COMPARE_ERROR_REASONS)[number]; message: string }

export interface CompareRequest {
  options?: ComparisonOptionsInput
  /** What the candidate run reported (exit code, failure lines in its log, ORF count). */
  run?: RunFacts
  /** Model and chunk length the runs logged, for folders whose state file does not say (e.g. the original pipeline). */
  configs?: { candidate?: Partial<RunConfig> | null; reference?: Partial<RunConfig> | null }
  /** What the reference run was (e.g. "vanilla = the tool's own v1 path …"), for the report. */
  referenceDescription?: string
}

/** The folder's recorded config, with the run's logged values where the folder records nothing. */
function filled(recorded: RunConfig, logged: Partial<RunConfig> | null | undefined): RunConfig {
  return { chunkLength: recorded.chunkLength ?? logged?.chunkLength ?? null, model: recorded.model ?? logged?.model ?? null }
}

const TENSOR_STAGES: readonly TensorStage[] = ['dnabert', 'esm', 'merged']

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e)
}

/** Thrown for reference-side problems: a broken reference is an error result, never a candidate failure. */
class ReferenceDataError extends Error {
  override readonly name = 'ReferenceDataError'
}

async function onReference<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f()
  } catch (e) {
    throw new ReferenceDataError(message(e))
  }
}

/**
 * Streams one stage: one candidate block at a time, plus the matching reference rows found by id. Integrity of
 * the candidate's own files is recorded on the way; unreadable candidate files are failures, not errors.
 */
async function compareStage(
  stage: TensorStage,
  candidate: OutputSet,
  reference: OutputSet | null,
  options: ComparisonOptions,
  tracker: IntegrityTracker,
  findings: Finding[],
  emptyProtein: ReadonlySet<string>,
): Promise<TensorStats | null> {
  const source = candidate.embeddings(stage)
  if (source === null) return null
  const refSource = reference?.embeddings(stage) ?? null
  const lookup = refSource === null ? null : new RowLookup(refSource)
  const acc = new TensorAccumulator(stage, options.rtol, options.atol, { threshold: options.minCosine, floor: options.minCosineFloor })
  const unmatched = idSample()
  for (const name of source.blocks) {
    let block
    try {
      block = await source.read(name)
    } catch (e) {
      findings.push(finding('fail', 'missing-output', `${STAGE_LABEL[stage]} split ${name} is unreadable: ${message(e)}`))
      continue
    }
    try {
      if (!source.derived) tracker.addEmbeddingFile(stage, block.file, block.ids, block.rows, block.width)
      const n = pairedRows(block)
      const ids: string[] = []
      for (let i = 0; i < n; i++) ids.push(block.rowId(i))
      if (!source.derived) for (let i = 0; i < n; i++) tracker.scanVector(stage, ids[i] as string, block.row(i))
      if (lookup === null) continue
      const refRows = await onReference(() => lookup.get(ids, name))
      for (let i = 0; i < n; i++) {
        const id = ids[i] as string
        const r = refRows.get(id)
        // Empty-protein frames have no vanilla row by design; they are named once, from the predictions.
        if (r === undefined) {
          if (!emptyProtein.has(id)) noteId(unmatched, id)
        } else acc.add(id, block.row(i), r)
      }
    } finally {
      block.close()
    }
  }
  if (lookup === null) return null
  if (unmatched.count > 0) {
    findings.push(finding('fail', 'unmatched-embeddings', `${describeIds(unmatched)} candidate ${STAGE_LABEL[stage]} vector(s) have no reference row with the same id`))
  }
  const wm = acc.widthMismatch
  if (wm.first !== null) {
    findings.push(finding('fail', 'width-mismatch', `${wm.count} ${STAGE_LABEL[stage]} vector(s) differ in width from the reference (e.g. ${wm.first.id}: ${wm.first.candidate} vs ${wm.first.reference})`))
  }
  return acc.stats()
}

/** Ids of `wanted` that the candidate has and the reference lacks (the reference ids are walked once, not copied). */
function onlyInCandidate(wanted: ReadonlySet<string>, candidateIds: readonly string[], referenceIds: readonly string[]): { all: Set<string>; sample: IdSample } {
  const all = new Set<string>()
  const sample = idSample()
  if (wanted.size === 0) return { all, sample }
  const inReference = new Set<string>()
  for (const id of referenceIds) if (wanted.has(id)) inReference.add(id)
  for (const id of candidateIds) {
    if (!wanted.has(id) || inReference.has(id) || all.has(id)) continue
    all.add(id)
    noteId(sample, id)
  }
  return { all, sample }
}

async function readOrFail<T>(what: string, f: () => Promise<T | null>, findings: Finding[]): Promise<T | null> {
  try {
    return await f()
  } catch (e) {
    findings.push(finding('fail', 'missing-output', `${what} is unreadable: ${message(e)}`))
    return null
  }
}

/** Compares two opened output sets (or checks one alone when `reference` is null). */
export async function compareOutputSets(candidate: OutputSet, reference: OutputSet | null, request: CompareRequest = {}): Promise<CompareOutcome> {
  const options = comparisonOptions(request.options)
  const findings: Finding[] = []
  if (reference !== null) {
    const c = checkComparable(filled(candidate.config, request.configs?.candidate), filled(reference.config, request.configs?.reference))
    if (!c.comparable) {
      if (options.requireSameConfig) return { status: 'error', reason: 'incomparable', message: c.reason }
      findings.push(finding('warn', 'config-unknown', c.reason))
    } else if (c.unknown.length > 0) {
      findings.push(finding('pass', 'config-unknown', `could not confirm the runs used the same ${c.unknown.join(' and ')} (no state file or manifest entry); compared anyway`))
    }
  }
  const tracker = new IntegrityTracker(candidate.root)
  for (const m of candidate.missing) tracker.missingOutput(m)
  try {
    const tensors: TensorStats[] = []
    const emptyProtein = reference === null ? new Set<string>() : await candidate.emptyProteinFrames()
    for (const stage of TENSOR_STAGES) {
      const stats = await compareStage(stage, candidate, reference, options, tracker, findings, emptyProtein)
      if (stats !== null) tensors.push(stats)
    }
    // One pair of tables at a time (predictions, then consensus): at 1M frames each table is ~100 MB.
    let predictions: PredictionComparison | null = null
    let consensus: ConsensusComparison | null = null
    let downstream = divergentVectors(tensors, options.minCosine)
    let emptyExtra = onlyInCandidate(new Set(), [], [])
    let emptyExtraChunks = emptyExtra
    {
      const candPred = await readOrFail<PredictionTable>('prediction_results.txt', () => candidate.predictions(), findings)
      if (candPred !== null) tracker.setPredictions(candPred)
      const refPred = reference === null ? null : await onReference(() => reference.predictions())
      if (candPred !== null && refPred !== null) {
        predictions = comparePredictions(candPred, refPred, options.scoreAtol, chunkIdOf)
        downstream = withPredictions(downstream, candPred, refPred)
        emptyExtra = onlyInCandidate(emptyProtein, candPred.ids, refPred.ids)
      }
    }
    {
      const candCons = await readOrFail<ConsensusTable>('prediction_results_highestscore.csv', () => candidate.consensus(), findings)
      if (candCons !== null) tracker.setConsensus(candCons)
      const refCons = reference === null ? null : await onReference(() => reference.consensus())
      if (candCons !== null && refCons !== null) {
        consensus = compareConsensus(candCons, refCons, predictions?.borderlineChunks)
        downstream = withConsensus(downstream, candCons, refCons)
        emptyExtraChunks = onlyInCandidate(new Set([...emptyExtra.all].map(chunkIdOf)), candCons.ids, refCons.ids)
      }
    }
    const expectedOrfs = request.run?.expectedOrfs ?? candidate.expectedOrfs ?? reference?.expectedOrfs ?? null
    const integrity = [...findings, ...tracker.findings({ ...request.run, expectedOrfs })]
    const emptyProteinExtras = { frames: emptyExtra.sample, chunks: emptyExtraChunks.sample }
    const decided = decideVerdict({ tensors, predictions, consensus, integrity, options, downstream, emptyProteinExtras })
    return {
      status: 'compared',
      comparison: {
        verdict: decided.verdict,
        candidate: candidate.root,
        reference: reference?.root ?? '',
        tolerance: { rtol: options.rtol, atol: options.atol },
        tensors,
        predictions: predictions?.stats ?? null,
        consensus: consensus?.stats ?? null,
        findings: decided.findings,
        firstDivergingStage: decided.firstDivergingStage,
        referenceDescription: request.referenceDescription ?? reference?.provenance ?? null,
        downstream,
      },
    }
  } catch (e) {
    if (e instanceof ReferenceDataError) return { status: 'error', reason: 'unreadable', message: `reference ${reference?.root ?? ''} is unreadable: ${e.message}` }
    throw e
  }
}

/** Opens both folders (pipeline output or stored reference, detected) and compares them. */
export async function compareOutputs(candidateDir: string, referenceDir: string | null, request: CompareRequest = {}): Promise<CompareOutcome> {
  let candidate: OutputSet
  try {
    candidate = await openOutputSet(candidateDir)
  } catch (e) {
    return { status: 'error', reason: 'unreadable', message: `candidate ${message(e)}` }
  }
  let reference: OutputSet | null = null
  try {
    if (referenceDir !== null) reference = await openOutputSet(referenceDir)
  } catch (e) {
    await candidate.close()
    return { status: 'error', reason: 'unreadable', message: `reference ${message(e)}` }
  }
  try {
    return await compareOutputSets(candidate, reference, request)
  } finally {
    await candidate.close()
    await reference?.close()
  }
}
