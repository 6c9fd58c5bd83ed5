import { readFile, writeFile } from 'node:fs/promises'
import { Bool, makeVector, Table, tableFromIPC, tableToIPC, Type, Utf8, type Vector, vectorFromArray } from 'apache-arrow'

/**
 * Generic columnar tables (e.g. the GPU sample timeline) as Arrow IPC *file* format, which
 * `pyarrow.ipc.open_file` / `pandas.read_feather` read directly.
 */
export type NumericColumn = Float32Array | Float64Array | Int8Array | Int16Array | Int32Array | BigInt64Array | Uint8Array | Uint16Array | Uint32Array | BigUint64Array
export type ColumnData = NumericColumn | string[] | boolean[]
export type Columns = Record<string, ColumnData>

export class ArrowFormatError extends Error {
  override readonly name = 'ArrowFormatError'
}

function toVector(name: string, col: ColumnData): Vector {
  if (ArrayBuffer.isView(col)) return makeVector(col)
  if (col.every((x) => typeof x === 'string')) return vectorFromArray(col, new Utf8())
  if (col.every((x) => typeof x === 'boolean')) return vectorFromArray(col, new Bool())
  throw new ArrowFormatError(`column '${name}' mixes value types`)
}

export function columnsToTable(cols: Columns): Table {
  const lengths = new Set(Object.values(cols).map((c) => c.length))
  if (lengths.size > 1) throw new ArrowFormatError(`columns have different lengths: ${[...lengths].join(', ')}`)
  const vectors: Record<string, Vector> = {}
  for (const [name, col] of Object.entries(cols)) vectors[name] = toVector(name, col)
  return new Table(vectors)
}

/** IPC file bytes ('file' not 'stream': pyarrow.ipc.open_file needs the footer). */
export function columnsToIPC(cols: Columns): Uint8Array {
  return tableToIPC(columnsToTable(cols), 'file')
}

export async function writeColumnsArrow(path: string, cols: Columns): Promise<void> {
  await writeFile(path, columnsToIPC(cols))
}

function vectorToColumn(name: string, v: Vector): ColumnData {
  const typeId = v.type.typeId
  if (typeId === Type.Utf8 || typeId === Type.LargeUtf8 || typeId === Type.Dictionary) {
    const out: string[] = []
    for (const x of v) {
      if (typeof x !== 'string') throw new ArrowFormatError(`column '${name}': null or non-string value`)
      out.push(x)
    }
    return out
  }
  if (typeId === Type.Bool) {
    const out: boolean[] = []
    for (const x of v) {
      if (typeof x !== 'boolean') throw new ArrowFormatError(`column '${name}': null value`)
      out.push(x)
    }
    return out
  }
  if (typeId === Type.Int || typeId === Type.Float) {
    if (v.nullCount > 0) throw new ArrowFormatError(`column '${name}': nulls are not supported`)
    const arr: unknown = v.toArray()
    if (ArrayBuffer.isView(arr) && !(arr instanceof DataView)) return arr as NumericColumn
  }
  throw new ArrowFormatError(`column '${name}': unsupported Arrow type ${String(v.type)}`)
}

export function tableToColumns(table: Table): Columns {
  const out: Columns = {}
  for (const field of table.schema.fields) {
    const v = table.getChild(field.name)
    if (v === null) throw new ArrowFormatError(`column '${field.name}' missing`)
    out[field.name] = vectorToColumn(field.name, v)
  }
  return out
}

export function columnsFromIPC(buf: Uint8Array): Columns {
  return tableToColumns(tableFromIPC(buf))
}

export async function readColumnsArrow(path: string): Promise<Columns> {
  return columnsFromIPC(await readFile(path))
}

/** Narrowing helper for readers that want one typed column. */
export function column<T extends ColumnData>(cols: Columns, name: string, guard: (c: ColumnData) => c is T): T {
  const c = cols[name]
  if (c === undefined) throw new ArrowFormatError(`column '${name}' missing`)
  if (!guard(c)) throw new ArrowFormatError(`column '${name}' has an unexpected type`)
  return c
}

