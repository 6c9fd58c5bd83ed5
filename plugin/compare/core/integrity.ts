import type { Finding } from '../../model/validation.ts'
import type { PredictionRow } from '../../io/tsv/rows.ts'
import { type ConsensusLabel, type ConsensusTable, consensusTable, type PredictionTable, predictionTable } from '../../io/tsv/tables.ts'
import { finding } from './findings.ts'
import { chunkIdOf, describeIds, type IdSample, idSample, indexById, noteId } from './ids.ts'
import { STAGE_LABEL, STAGE_WIDTH, type TensorStage } from './stages.ts'

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

/** Numbers every id once, keeping the first string seen, so each output keeps flags rather than its own strings. */
class IdRegistry {
  readonly index = new Map<string, number>()

  intern(id: string): number {
    let i = this.index.get(id)
    if (i === undefined) {
      i = this.index.size
      this.index.set(id, i)
    }
    return i
  }
}

/** Which registry ids one output holds; `add` says whether the id is new to it (false = a repeat). */
class IdFlags {
  private seen = new Uint8Array(1024)
  size = 0

  add(i: number): boolean {
    if (i >= this.seen.length) {
      const next = new Uint8Array(Math.max(i + 1, this.seen.length * 2))
      next.set(this.seen)
      this.seen = next
    }
    if (this.seen[i] === 1) return false
    this.seen[i] = 1
    this.size++
    return true
  }

  has(i: number): boolean {
    return this.seen[i] === 1
  }
}

/**
 * Integrity of one output set, independent of any reference: fed file by file while the comparison streams, it
 * keeps which ids each output holds (for the duplicate and permutation checks) but never embeddings. Ids are
 * interned once across the three embedding stages and the predictions: at 1M frames, four string sets would
 * cost several hundred MB.
 */
export class IntegrityTracker {
  private readonly findingsList: Finding[] = []
  private readonly registry = new IdRegistry()
  private readonly ids: Record<TensorStage, IdFlags> = { dnabert: new IdFlags(), esm: new IdFlags(), merged: new IdFlags() }
  private readonly seenStage: Record<TensorStage, boolean> = { dnabert: false, esm: false, merged: false }
  private readonly duplicates: Record<TensorStage, IdSample> = { dnabert: idSample(), esm: idSample(), merged: idSample() }
  private readonly nonFinite: Record<TensorStage, NonFinite> = {
    dnabert: { nan: 0, inf: 0, vectors: idSample() },
    esm: { nan: 0, inf: 0, vectors: idSample() },
    merged: { nan: 0, inf: 0, vectors: idSample() },
  }
  private predictionIds: IdFlags | null = null
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
    const flags = this.ids[stage]
    for (const id of ids) if (!flags.add(this.registry.intern(id))) noteId(this.duplicates[stage], id)
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

  setPredictions(rows: PredictionTable | readonly PredictionRow[]): void {
    const table = predictionTable(rows)
    this.predictionRows = table.length
    const ids = new IdFlags()
    const dups = idSample()
    for (const id of table.ids) if (!ids.add(this.registry.intern(id))) noteId(dups, id)
    this.predictionIds = ids
    if (dups.count > 0) this.fail('duplicate-ids', `prediction_results.txt repeats ${describeIds(dups)} Sequence_IDs (duplicated sequences, contract §6.3)`)
  }

  setConsensus(rows: ConsensusTable | readonly ConsensusLabel[]): void {
    const table = consensusTable(rows)
    const row = indexById(table.ids)
    if (row.size < table.length) {
      const dups = idSample()
      for (let r = 0; r < table.length; r++) if (row.get(table.ids[r] as string) !== r) noteId(dups, table.ids[r] as string)
      this.fail('duplicate-ids', `consensus file repeats ${describeIds(dups)} Modified_IDs (contract §6.3)`)
    }
    const predicted = this.predictionIds
    if (predicted === null) return
    // Walks the predicted frames' chunk ids rather than collecting them: a set of 1M derived strings is ~100 MB.
    const covered = new Uint8Array(table.length)
    const missingChunks = new Set<string>()
    for (const [id, i] of this.registry.index) {
      if (!predicted.has(i)) continue
      const chunk = chunkIdOf(id)
      const r = row.get(chunk)
      if (r === undefined) missingChunks.add(chunk)
      else covered[r] = 1
    }
    const missing = idSample()
    for (const chunk of missingChunks) noteId(missing, chunk)
    const extra = idSample()
    for (const [id, r] of row) if (covered[r] === 0) noteId(extra, id)
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
      const onlyDna = this.difference(this.ids.dnabert, this.ids.esm)
      const onlyEsm = this.difference(this.ids.esm, this.ids.dnabert)
      if (onlyDna.count > 0) fail('cross-stage-missing', `${describeIds(onlyDna)} ids have a DNABERT-S but no ESM-2 embedding (not found in both datasets, contract §6.9/§6.17)`)
      if (onlyEsm.count > 0) fail('cross-stage-missing', `${describeIds(onlyEsm)} ids have an ESM-2 but no DNABERT-S embedding (contract §6.9/§6.17)`)
    }
    const merged = this.ids.merged
    if (this.predictionIds !== null && this.seenStage.merged) {
      if (this.predictionRows !== merged.size) {
        fail('prediction-rows-mismatch', `prediction_results.txt has ${this.predictionRows} rows but the merged files hold ${merged.size} ids (contract §6.1)`)
      }
      const notMerged = this.difference(this.predictionIds, merged)
      const notPredicted = this.difference(merged, this.predictionIds)
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

  /** Ids in `a` and not in `b`, in first-seen order. */
  private difference(a: IdFlags, b: IdFlags): IdSample {
    const s = idSample()
    for (const [id, i] of this.registry.index) if (a.has(i) && !b.has(i)) noteId(s, id)
    return s
  }

  private fail(code: Parameters<typeof finding>[1], message: string): void {
    this.findingsList.push(finding('fail', code, message))
  }
}

