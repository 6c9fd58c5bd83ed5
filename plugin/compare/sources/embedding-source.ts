import { STAGE_WIDTH, type TensorStage } from '../core/stages.ts'

const DNA = STAGE_WIDTH.dnabert
const ESM = STAGE_WIDTH.esm
const MERGED = STAGE_WIDTH.merged

/**
 * One unit of embeddings as stored (a split file, an Arrow record batch). `ids` is the file's declared id list;
 * `rowId(i)` is the id the i-th vector belongs to (positional for merged/ESM files, as the pipeline pairs them,
 * the per-row label for DNABERT files). Both exist because a broken file can declare more ids than it has rows.
 */
export interface EmbeddingBlock {
  readonly name: string
  /** File the block came from, for messages. */
  readonly file: string
  readonly ids: readonly string[]
  readonly rows: number
  /** Row width, null when there are no rows to measure. */
  readonly width: number | null
  rowId(i: number): string
  /** Row i as float32; may be a view into a buffer that is released with the block, so copy what you keep. */
  row(i: number): Float32Array
  close(): void
}

/** All blocks of one stage of one output set, read one at a time. */
export interface EmbeddingSource {
  readonly stage: TensorStage
  /** True when computed from other stages (merged = dnabert ‖ esm, or a slice of merged): not checked for integrity. */
  readonly derived: boolean
  readonly blocks: readonly string[]
  read(block: string): Promise<EmbeddingBlock>
}

/** Pairs declared ids with rows the way the pipeline does (by position), up to the shorter of the two. */
export function pairedRows(b: EmbeddingBlock): number {
  return Math.min(b.ids.length, b.rows)
}

/**
 * Finds reference rows by id with bounded memory: first in the block of the same name (same input, same split),
 * then through an id → block index built on first need by scanning the source's ids once.
 */
export class RowLookup {
  private index: Map<string, string> | null = null
  /** Reused between calls: one candidate block's worth of reference rows, instead of a fresh copy per block. */
  private scratch = new Float32Array(0)
  private used = 0

  constructor(private readonly source: EmbeddingSource) {}

  /** Rows for `ids` that exist in the source. The returned vectors are valid until the next call. */
  async get(ids: readonly string[], preferredBlock: string): Promise<Map<string, Float32Array>> {
    const found = new Map<string, Float32Array>()
    this.used = 0
    const wanted = new Set(ids)
    if (this.source.blocks.includes(preferredBlock)) await this.collect(preferredBlock, wanted, found)
    if (wanted.size === 0) return found
    const index = await this.buildIndex()
    const byBlock = new Map<string, Set<string>>()
    for (const id of wanted) {
      const block = index.get(id)
      if (block === undefined || block === preferredBlock) continue
      let set = byBlock.get(block)
      if (set === undefined) byBlock.set(block, (set = new Set()))
      set.add(id)
    }
    for (const [block, set] of byBlock) await this.collect(block, set, found)
    return found
  }

  /** Every id the source holds, in block order (used to find reference rows the candidate lacks). */
  async allIds(): Promise<Map<string, string>> {
    return this.buildIndex()
  }

  private async collect(block: string, wanted: Set<string>, found: Map<string, Float32Array>): Promise<void> {
    const b = await this.source.read(block)
    try {
      const n = pairedRows(b)
      for (let i = 0; i < n; i++) {
        const id = b.rowId(i)
        if (!wanted.has(id)) continue
        found.set(id, this.keep(b.row(i)))
        wanted.delete(id)
      }
    } finally {
      b.close()
    }
  }

  private keep(row: Float32Array): Float32Array {
    const need = this.used + row.length
    if (need > this.scratch.length) {
      // Views handed out earlier in this call point into the old buffer and stay valid; only later calls reuse.
      const grown = new Float32Array(Math.max(need, this.scratch.length * 2))
      this.scratch = grown
      this.used = 0
    }
    const view = this.scratch.subarray(this.used, this.used + row.length)
    view.set(row)
    this.used += row.length
    return view
  }

  private async buildIndex(): Promise<Map<string, string>> {
    if (this.index !== null) return this.index
    const index = new Map<string, string>()
    for (const name of this.source.blocks) {
      const b = await this.source.read(name)
      try {
        const n = pairedRows(b)
        for (let i = 0; i < n; i++) if (!index.has(b.rowId(i))) index.set(b.rowId(i), name)
      } finally {
        b.close()
      }
    }
    this.index = index
    return index
  }
}

/** DNABERT-S or ESM-2 as a column slice of merged rows (used when `-k` was not given and only merged files remain). */
export function sliceSource(merged: EmbeddingSource, stage: 'dnabert' | 'esm'): EmbeddingSource {
  const [from, to] = stage === 'dnabert' ? [0, DNA] : [DNA, MERGED]
  return {
    stage,
    derived: true,
    blocks: merged.blocks,
    async read(name) {
      const b = await merged.read(name)
      return {
        name: b.name,
        file: b.file,
        ids: b.ids,
        rows: b.rows,
        width: b.width === null ? null : Math.max(0, Math.min(b.width, to) - from),
        rowId: (i) => b.rowId(i),
        row: (i) => b.row(i).subarray(from, to),
        close: () => b.close(),
      }
    },
  }
}

/** merged = dnabert ‖ esm by id, in DNABERT order, as the pipeline's merge stage builds it (vanilla §5). */
export function concatSource(dnabert: EmbeddingSource, esm: EmbeddingSource): EmbeddingSource {
  const esmRows = new RowLookup(esm)
  return {
    stage: 'merged',
    derived: true,
    blocks: dnabert.blocks,
    async read(name) {
      const d = await dnabert.read(name)
      try {
        const n = pairedRows(d)
        const ids: string[] = []
        for (let i = 0; i < n; i++) ids.push(d.rowId(i))
        const e = await esmRows.get(ids, name)
        const kept = ids.filter((id) => e.has(id))
        const width = d.width === null ? null : MERGED
        const data = new Float32Array(kept.length * MERGED)
        let k = 0
        for (let i = 0; i < n; i++) {
          const ev = e.get(ids[i] as string)
          if (ev === undefined) continue
          data.set(d.row(i).subarray(0, DNA), k * MERGED)
          data.set(ev.subarray(0, ESM), k * MERGED + DNA)
          k++
        }
        return {
          name,
          file: `${d.file} ‖ ESM-2`,
          ids: kept,
          rows: kept.length,
          width,
          rowId: (i) => kept[i] as string,
          row: (i) => data.subarray(i * MERGED, (i + 1) * MERGED),
          close: () => undefined,
        }
      } finally {
        d.close()
      }
    },
  }
}
