import { createWriteStream } from 'node:fs'
import { open } from 'node:fs/promises'
import { AsyncRecordBatchFileReader, RecordBatchFileWriter, RecordBatchReader, Table } from 'apache-arrow'
import { ArrowFormatError, embeddingsToTable, tableToEmbeddings } from '../../io/arrow/index.ts'
import type { EmbeddingBlock } from './embedding-source.ts'

/**
 * Embedding Arrow files written one record batch per split file, so a reader can fetch batch k alone
 * (IPC file format: the footer indexes the batches). Columns follow plugin/io/arrow: `id` + `embedding`.
 */
export class EmbeddingArrowWriter {
  private readonly writer = new RecordBatchFileWriter()
  private readonly done: Promise<void>

  constructor(
    readonly path: string,
    readonly width: number,
  ) {
    const out = createWriteStream(path)
    this.done = new Promise((resolve, reject) => {
      out.on('finish', resolve)
      out.on('error', reject)
    })
    this.writer.toNodeStream().pipe(out)
  }

  /** Appends one batch; an empty batch is kept so batch numbers stay aligned with split files. */
  write(ids: readonly string[], embeddings: Float32Array): void {
    const table = embeddingsToTable({ ids: [...ids], dim: this.width, embeddings })
    if (table.batches.length === 0) throw new ArrowFormatError(`${this.path}: empty batch could not be built`)
    for (const batch of table.batches) this.writer.write(batch)
  }

  async close(): Promise<void> {
    this.writer.finish()
    await this.done
  }
}

/** Random access to the record batches of an embedding Arrow file. */
export class EmbeddingArrowReader {
  private constructor(
    readonly path: string,
    private readonly reader: AsyncRecordBatchFileReader,
    private readonly close: () => Promise<void>,
  ) {}

  static async open(path: string): Promise<EmbeddingArrowReader> {
    const fh = await open(path)
    try {
      const reader = await RecordBatchReader.from(fh)
      if (!(reader instanceof AsyncRecordBatchFileReader)) throw new ArrowFormatError(`${path}: not an Arrow IPC file (stream format cannot be read batch by batch)`)
      await reader.open()
      return new EmbeddingArrowReader(path, reader, () => fh.close())
    } catch (e) {
      await fh.close()
      throw e
    }
  }

  get batches(): number {
    return this.reader.numRecordBatches
  }

  async block(index: number, name: string): Promise<EmbeddingBlock> {
    const batch = await this.reader.readRecordBatch(index)
    if (batch === null) throw new ArrowFormatError(`${this.path}: record batch ${index} (${name}) is missing`)
    const t = tableToEmbeddings(new Table(batch))
    return {
      name,
      file: `${this.path}#${index}`,
      ids: t.ids,
      rows: t.ids.length,
      width: t.ids.length === 0 ? null : t.dim,
      rowId: (i) => t.ids[i] as string,
      row: (i) => t.embeddings.subarray(i * t.dim, (i + 1) * t.dim),
      close: () => undefined,
    }
  }

  async dispose(): Promise<void> {
    await this.close()
  }
}
