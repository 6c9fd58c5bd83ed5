import { readFile, writeFile } from 'node:fs/promises'
import { Field, FixedSizeList, Float32, makeData, makeVector, Table, tableFromIPC, tableToIPC, Type, Utf8, type Vector, vectorFromArray } from 'apache-arrow'
import { ArrowFormatError } from './columns.ts'

/**
 * Embedding tables: `id` (utf8) + `embedding` (FixedSizeList<float32>[dim]), one row per sequence.
 * `embeddings` is row-major n × dim; on write it is wrapped without copying, on read it is one contiguous copy.
 */
export interface EmbeddingTable {
  ids: string[]
  dim: number
  embeddings: Float32Array
}

export function embeddingsToTable(t: EmbeddingTable): Table {
  const n = t.ids.length
  if (!Number.isInteger(t.dim) || t.dim <= 0) throw new ArrowFormatError(`dim must be a positive integer, got ${t.dim}`)
  if (t.embeddings.length !== n * t.dim) throw new ArrowFormatError(`embeddings has ${t.embeddings.length} values, expected ${n} × ${t.dim}`)
  const child = makeData({ type: new Float32(), length: n * t.dim, nullCount: 0, data: t.embeddings })
  const type = new FixedSizeList(t.dim, new Field('item', new Float32(), false))
  const list = makeData({ type, length: n, nullCount: 0, child })
  return new Table({ id: vectorFromArray(t.ids, new Utf8()), embedding: makeVector(list) })
}

export function embeddingsToIPC(t: EmbeddingTable): Uint8Array {
  return tableToIPC(embeddingsToTable(t), 'file')
}

export async function writeEmbeddingsArrow(path: string, t: EmbeddingTable): Promise<void> {
  await writeFile(path, embeddingsToIPC(t))
}

export function tableToEmbeddings(table: Table): EmbeddingTable {
  const idVec = table.getChild('id')
  const embVec = table.getChild('embedding')
  if (idVec === null || embVec === null) throw new ArrowFormatError("embedding table needs columns 'id' and 'embedding'")
  const type = embVec.type
  if (!(type instanceof FixedSizeList) || type.children[0]?.type.typeId !== Type.Float) {
    throw new ArrowFormatError(`'embedding' must be FixedSizeList<float32>, got ${String(type)}`)
  }
  const dim = type.listSize
  const ids: string[] = []
  for (const x of idVec) {
    if (typeof x !== 'string') throw new ArrowFormatError("'id' has a null or non-string value")
    ids.push(x)
  }
  if (embVec.nullCount > 0) throw new ArrowFormatError("'embedding' has null rows")
  const out = flattenFloat32Lists(embVec, dim, "'embedding' values are not float32")
  const rows = out.length / dim
  if (rows !== ids.length) throw new ArrowFormatError(`'id' has ${ids.length} rows but 'embedding' has ${rows}`)
  return { ids, dim, embeddings: out }
}

/**
 * A FixedSizeList<float32>[dim] column as one row-major Float32Array, copied chunk by chunk from the child buffers
 * (honouring slice offsets at both levels). Shared by the embedding reader and the inspector.
 */
export function flattenFloat32Lists(v: Vector, dim: number, notFloat32 = 'FixedSizeList child is not float32'): Float32Array {
  const out = new Float32Array(v.length * dim)
  let row = 0
  for (const d of v.data) {
    const child = d.children[0]
    const values: unknown = child?.values
    if (child === undefined || !(values instanceof Float32Array)) throw new ArrowFormatError(notFloat32)
    const start = child.offset + d.offset * dim
    out.set(values.subarray(start, start + d.length * dim), row * dim)
    row += d.length
  }
  return out
}

export function embeddingsFromIPC(buf: Uint8Array): EmbeddingTable {
  return tableToEmbeddings(tableFromIPC(buf))
}

export async function readEmbeddingsArrow(path: string): Promise<EmbeddingTable> {
  return embeddingsFromIPC(await readFile(path))
}
