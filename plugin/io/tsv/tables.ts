import type { PredictionRow, VanillaHighestScoreRow } from './rows.ts'

/**
 * Prediction and consensus rows stored by column. At a million frames an object per row (id, label, two boxed
 * doubles) costs several times the memory of an id array plus typed columns, and comparisons hold two of each.
 */

/** The part of a consensus row both file forms share. */
export type ConsensusLabel = VanillaHighestScoreRow

function grown<T extends Uint8Array | Float64Array>(column: T, make: (n: number) => T): T {
  const next = make(column.length * 2)
  next.set(column)
  return next
}

/** Rows keyed by id, in file order; subclasses add their typed columns. */
abstract class IdTable<Row> {
  readonly ids: string[] = []

  get length(): number {
    return this.ids.length
  }

  abstract push(row: Row): void

  protected fill(rows: Iterable<Row>): this {
    for (const r of rows) this.push(r)
    return this
  }
}

export class PredictionTable extends IdTable<PredictionRow> {
  private virus = new Uint8Array(1024)
  private s1 = new Float64Array(1024)
  private s2 = new Float64Array(1024)

  static from(rows: Iterable<PredictionRow>): PredictionTable {
    return new PredictionTable().fill(rows)
  }

  push(row: PredictionRow): void {
    const i = this.ids.length
    if (i === this.s1.length) {
      this.virus = grown(this.virus, (n) => new Uint8Array(n))
      this.s1 = grown(this.s1, (n) => new Float64Array(n))
      this.s2 = grown(this.s2, (n) => new Float64Array(n))
    }
    this.ids.push(row.sequenceId)
    this.virus[i] = row.prediction === 'virus' ? 1 : 0
    this.s1[i] = row.score1
    this.s2[i] = row.score2
  }

  prediction(i: number): PredictionRow['prediction'] {
    return this.virus[i] === 1 ? 'virus' : 'others'
  }

  /** softmax P(others) */
  score1(i: number): number {
    return this.s1[i] as number
  }

  /** softmax P(virus) */
  score2(i: number): number {
    return this.s2[i] as number
  }
}

export class ConsensusTable extends IdTable<ConsensusLabel> {
  private virus = new Uint8Array(1024)

  static from(rows: Iterable<ConsensusLabel>): ConsensusTable {
    return new ConsensusTable().fill(rows)
  }

  push(row: ConsensusLabel): void {
    const i = this.ids.length
    if (i === this.virus.length) this.virus = grown(this.virus, (n) => new Uint8Array(n))
    this.ids.push(row.modifiedId)
    this.virus[i] = row.isVirus ? 1 : 0
  }

  isVirus(i: number): boolean {
    return this.virus[i] === 1
  }
}

/** Tables as they are, or rows (tests, small inputs) turned into one. */
export function predictionTable(rows: PredictionTable | readonly PredictionRow[]): PredictionTable {
  return rows instanceof PredictionTable ? rows : PredictionTable.from(rows)
}

export function consensusTable(rows: ConsensusTable | readonly ConsensusLabel[]): ConsensusTable {
  return rows instanceof ConsensusTable ? rows : ConsensusTable.from(rows)
}
