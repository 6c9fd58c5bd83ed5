import type { Finding } from '../model/validation.ts'
import type { PredictionRow } from '../io/tsv/predictions.ts'
import { chunkIdOf, type ConsensusLabel } from './consensus-stats.ts'
import { describeIds, finding } from './findings.ts'
import { type IdSample, idSample, noteId } from './prediction-stats.ts'
import type { TensorStage } from './tensor-accumulator.ts'

/** Embedding widths fixed by the models (contract §2.2). */
export const STAGE_WIDTH: Readonly<Record<TensorStage, number>> = { dnabert: 768, esm: 2560, merged: 3328 }

export const STAGE_LABEL: Readonly<Record<TensorStage, string>> = { dnabert: 'DNABERT-S', esm: 'ESM-2', merged: 'merged' }

/** What the run itself said, as far as the caller knows it (exit code, failure lines found in its logs). */
export interface RunFacts {
  exitCode?: number | null
  /** Log lines that signal a failure (e.g. `Failed to process`, `expected scalar type`), contract §6.4. */
  logFailures?: readonly string[]
  /** ORF frames the input produced (e.g. `>` records of STEM_protein.faa, or the v2 `Index: N sequences` line). */
  expectedOrfs?: number | null
}

interface NonFinite {
  nan: number
  inf: number
  vectors: IdSample
}

/**
 * Integrity of one output set, independent of any reference: fed file by file while the comparison streams, it
 * keeps id sets (needed for the duplicate and permutation checks) but never embeddings.
 */
export class IntegrityTracker {
  private readonly findingsList: Finding[] = []
  private readonly ids: Record<TensorStage, Set<string>> = { dnabert: new Set(), esm: new Set(), merged: new Set() }
  private readonly seenStage: Record<TensorStage, boolean> = { dnabert: false, esm: false, merged: false }
  private readonly duplicates: Record<TensorStage, IdSample> = { dnabert: idSample(), esm: idSample(), merged: idSample() }
  private readonly nonFinite: Record<TensorStage, NonFinite> = {
    dnabert: { nan: 0, inf: 0, vectors: idSample() },
    esm: { nan: 0, inf: 0, vectors: idSample() },
    merged: { nan: 0, inf: 0, vectors: idSample() },
  }
  private predictionIds: Set<string> | null = null
  private predictionRows = 0

  constructor(readonly label: string) {}

  /** One embedding file: its id list, its row count and row width (null when it has no rows to measure). */
  addEmbeddingFile(stage: TensorStage, file: string, ids: readonly string[], rows: number, width: number | null): void {
    this.seenStage[stage] = true
    if (stage === 'merged' && ids.length !== rows) {
      const race = rows === 0 ? ' (empty-merged race, contract §6.1)' : ' (short merged file shifts later prediction ids, contract §2.2/§6.16)'
      this.fail('merged-rows-mismatch', `merged file ${file} has ${ids.length} ids but ${rows} rows${race}`)
    } else if (stage !== 'merged' && ids.length !== rows) {
      this.fail('merged-rows-mismatch', `${STAGE_LABEL[stage]} file ${file} has ${ids.length} ids but ${rows} embeddings (contract §6.9)`)
    }
    if (width !== null && width !== STAGE_WIDTH[stage]) {
      this.fail('width-mismatch', `${STAGE_LABEL[stage]} file ${file} has vectors of width ${width}, expected ${STAGE_WIDTH[stage]}`)
    }
    const set = this.ids[stage]
    for (const id of ids) {
      if (set.has(id)) noteId(this.duplicates[stage], id)
      else set.add(id)
    }
  }

  /** Checks one candidate vector for NaN/Inf; cheap next to reading it. */
  scanVector(stage: TensorStage, id: string, v: ArrayLike<number>): void {
    let nan = 0
    let inf = 0
    for (let i = 0; i < v.length; i++) {
      const x = v[i] as number
      if (!Number.isFinite(x)) {
        if (Number.isNaN(x)) nan++
        else inf++
      }
    }
    if (nan + inf === 0) return
    const nf = this.nonFinite[stage]
    nf.nan += nan
    nf.inf += inf
    noteId(nf.vectors, id)
  }

  /** A required output is absent (e.g. the run crashed before writing it). */
  missingOutput(what: string): void {
    this.fail('missing-output', `${what} is missing from ${this.label}`)
  }

  setPredictions(rows: readonly PredictionRow[]): void {
    this.predictionRows = rows.length
    const ids = new Set<string>()
    const dups = idSample()
    for (const r of rows) {
      if (ids.has(r.sequenceId)) noteId(dups, r.sequenceId)
      else ids.add(r.sequenceId)
    }
    this.predictionIds = ids
    if (dups.count > 0) this.fail('duplicate-ids', `prediction_results.txt repeats ${describeIds(dups)} Sequence_IDs (duplicated sequences, contract §6.3)`)
  }

  setConsensus(rows: readonly ConsensusLabel[]): void {
    const seen = new Set<string>()
    const dups = idSample()
    for (const r of rows) {
      if (seen.has(r.modifiedId)) noteId(dups, r.modifiedId)
      else seen.add(r.modifiedId)
    }
    if (dups.count > 0) this.fail('duplicate-ids', `consensus file repeats ${describeIds(dups)} Modified_IDs (contract §6.3)`)
    if (this.predictionIds === null) return
    const expected = new Set<string>()
    for (const id of this.predictionIds) expected.add(chunkIdOf(id))
    const missing = idSample()
    const extra = idSample()
    for (const id of expected) if (!seen.has(id)) noteId(missing, id)
    for (const id of seen) if (!expected.has(id)) noteId(extra, id)
    if (missing.count + extra.count > 0) {
      this.fail(
        'consensus-mismatch',
        `consensus rows do not match the predicted chunks: ${describeIds(missing)} chunk(s) without a consensus row, ${describeIds(extra)} consensus row(s) without predictions`,
      )
    }
  }

  /** All findings so far plus the cross-file ones that need every file seen. */
  findings(run: RunFacts = {}): Finding[] {
    const out = [...this.findingsList]
    const fail = (code: Parameters<typeof finding>[1], message: string): void => {
      out.push(finding('fail', code, message))
    }
    for (const stage of ['dnabert', 'esm', 'merged'] as const) {
      const d = this.duplicates[stage]
      if (d.count > 0) fail('duplicate-ids', `${STAGE_LABEL[stage]} outputs repeat ${describeIds(d)} ids (duplicated sequences, contract §6.3)`)
      const nf = this.nonFinite[stage]
      if (nf.vectors.count > 0) {
        fail('non-finite', `${STAGE_LABEL[stage]} embeddings contain ${nf.nan} NaN and ${nf.inf} Inf values in ${describeIds(nf.vectors)} vector(s)`)
      }
    }
    if (this.seenStage.dnabert && this.seenStage.esm) {
      const onlyDna = difference(this.ids.dnabert, this.ids.esm)
      const onlyEsm = difference(this.ids.esm, this.ids.dnabert)
      if (onlyDna.count > 0) fail('cross-stage-missing', `${describeIds(onlyDna)} ids have a DNABERT-S but no ESM-2 embedding (not found in both datasets, contract §6.9/§6.17)`)
      if (onlyEsm.count > 0) fail('cross-stage-missing', `${describeIds(onlyEsm)} ids have an ESM-2 but no DNABERT-S embedding (contract §6.9/§6.17)`)
    }
    const merged = this.ids.merged
    if (this.predictionIds !== null && this.seenStage.merged) {
      if (this.predictionRows !== merged.size) {
        fail('prediction-rows-mismatch', `prediction_results.txt has ${this.predictionRows} rows but the merged files hold ${merged.size} ids (contract §6.1)`)
      }
      const notMerged = difference(this.predictionIds, merged)
      const notPredicted = difference(merged, this.predictionIds)
      if (notMerged.count + notPredicted.count > 0) {
        fail(
          'prediction-misaligned',
          `prediction ids are not a permutation of the merged ids: ${describeIds(notMerged)} predicted id(s) not in any merged file, ${describeIds(notPredicted)} merged id(s) never predicted (misalignment, contract §6.16)`,
        )
      }
    }
    const expected = run.expectedOrfs ?? null
    const produced = this.predictionIds?.size ?? merged.size
    if (produced === 0 && expected !== 0 && (this.predictionIds !== null || this.seenStage.merged)) {
      const why = expected === null ? 'no ORF count was given to prove the input had none' : `the input had ${expected} ORF frames`
      fail('empty-outputs', `outputs of ${this.label} are empty although ${why} (empty outputs reported as success, contract §6.12)`)
    } else if (expected !== null && expected > 0 && this.predictionIds !== null && produced !== expected) {
      fail('prediction-rows-mismatch', `${produced} frames were predicted but the input had ${expected} ORF frames (contract §6.1/§6.2)`)
    }
    const exit = run.exitCode
    if (exit !== undefined && exit !== null && exit !== 0) fail('nonzero-exit', `the run exited with code ${exit}`)
    const logs = run.logFailures ?? []
    if (logs.length > 0) {
      const shown = logs.slice(0, 3).map((l) => `'${l}'`).join('; ')
      const prefix = exit === 0 ? 'exit code 0 but ' : ''
      fail('log-failures', `${prefix}the log reports ${logs.length} failure line(s): ${shown}${logs.length > 3 ? '; …' : ''} (contract §6.4)`)
    }
    return out
  }

  /** Ids of a stage seen so far (read-only view). */
  stageIds(stage: TensorStage): ReadonlySet<string> {
    return this.ids[stage]
  }

  private fail(code: Parameters<typeof finding>[1], message: string): void {
    this.findingsList.push(finding('fail', code, message))
  }
}

function difference(a: ReadonlySet<string>, b: ReadonlySet<string>): IdSample {
  const s = idSample()
  for (const id of a) if (!b.has(id)) noteId(s, id)
  return s
}

