import type { ConsensusTable, PredictionTable } from '../../io/tsv/tables.ts'
import type { EmbeddingSource } from './embedding-source.ts'
import type { RunConfig } from '../core/run-config.ts'
import type { TensorStage } from '../core/stages.ts'

/**
 * One run's outputs, normalised: embeddings per stage (read block by block), per-frame predictions and per-chunk
 * consensus. Two sources implement it: a pipeline output folder and a stored reference folder.
 */
export interface OutputSet {
  readonly kind: 'pipeline' | 'reference'
  readonly root: string
  readonly config: RunConfig
  /** ORF frames the input produced, when the folder proves it (kept protein FASTA, reference manifest). */
  readonly expectedOrfs: number | null
  /** Outputs the folder should hold but does not (e.g. no merged files after a crash), for integrity findings. */
  readonly missing: readonly string[]
  /**
   * Frames in the folder's protein FASTA whose protein is empty (reads that are almost all N): the optimised tool
   * embeds and scores them, the vanilla rules drop them (contract §8). Empty when the folder keeps no protein FASTA.
   */
  emptyProteinFrames(): Promise<ReadonlySet<string>>
  /** How the folder was made, when it records it (a stored reference's manifest); null for a plain run folder. */
  readonly provenance: string | null
  embeddings(stage: TensorStage): EmbeddingSource | null
  /** null when the file is absent. */
  predictions(): Promise<PredictionTable | null>
  consensus(): Promise<ConsensusTable | null>
  /** Releases open file handles. */
  close(): Promise<void>
}

/** An output folder that cannot be read as either kind; the comparison becomes an error result. */
export class OutputSetError extends Error {
  override readonly name = 'OutputSetError'
  constructor(
    readonly root: string,
    detail: string,
  ) {
    super(`${root}: ${detail}`)
  }
}
