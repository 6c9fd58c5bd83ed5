import { openPt, PyDict, type PyValue, Tensor } from '../../io/torch/index.ts'
import type { EmbeddingBlock } from './embedding-source.ts'

/** A `.pt` whose structure is not the one the contract describes (§2.2). */
export class PtLayoutError extends Error {
  override readonly name = 'PtLayoutError'
  constructor(file: string, detail: string) {
    super(`${file}: ${detail}`)
  }
}

function field(root: PyValue, key: string, file: string): PyValue {
  if (!(root instanceof PyDict)) throw new PtLayoutError(file, 'top-level object is not a dict')
  const v = root.get(key)
  if (v === undefined) throw new PtLayoutError(file, `missing key '${key}'`)
  return v
}

function stringList(v: PyValue, key: string, file: string): string[] {
  if (!Array.isArray(v) || !v.every((x): x is string => typeof x === 'string')) throw new PtLayoutError(file, `'${key}' is not a list of strings`)
  return v
}

/** `data` as rows: a 2-D tensor (merged), a list of 1-D tensors (ESM v1/v2) or of DNABERT dicts. */
interface Rows {
  count: number
  width: number | null
  row(i: number): Float32Array
  label(i: number): string | null
}

function tensorRows(t: Tensor, file: string): Rows {
  if (t.ndim !== 2) throw new PtLayoutError(file, `'data' tensor has shape [${t.shape.join(', ')}], expected 2-D`)
  const count = t.shape[0] as number
  return { count, width: count === 0 ? null : (t.shape[1] as number), row: (i) => t.row(i), label: () => null }
}

function listRows(items: PyValue[], file: string): Rows {
  const first = items[0]
  const width = (v: PyValue | undefined): number | null => {
    if (v === undefined) return null
    if (v instanceof Tensor) return v.numel
    if (v instanceof PyDict) {
      const mr = v.get('mean_representation')
      return Array.isArray(mr) ? mr.length : mr instanceof Tensor ? mr.numel : null
    }
    return null
  }
  return {
    count: items.length,
    width: width(first),
    row(i) {
      const v = items[i]
      if (v instanceof Tensor) return v.toFloat32()
      if (v instanceof PyDict) {
        const mr = v.get('mean_representation')
        if (mr instanceof Tensor) return mr.toFloat32()
        if (Array.isArray(mr) && mr.every((x): x is number => typeof x === 'number')) return Float32Array.from(mr)
      }
      throw new PtLayoutError(file, `'data'[${i}] is neither a tensor nor a {label, mean_representation} dict`)
    },
    label(i) {
      const v = items[i]
      if (v instanceof PyDict) {
        const l = v.get('label')
        if (typeof l === 'string') return l
      }
      return null
    },
  }
}

/**
 * Reads one pipeline `.pt` (DNABERT `nucleotide`, ESM `proteins`, merged `ids` + `data`) as an EmbeddingBlock.
 * Opened lazily, so a 10,000 × 3328 merged file costs a row at a time, not 133 MB.
 */
export async function readPtBlock(name: string, file: string, idKey: 'nucleotide' | 'proteins' | 'ids'): Promise<EmbeddingBlock> {
  const archive = await openPt(file)
  try {
    const root = archive.value
    const ids = stringList(field(root, idKey, file), idKey, file)
    const data = field(root, 'data', file)
    const rows = data instanceof Tensor ? tensorRows(data, file) : Array.isArray(data) ? listRows(data, file) : null
    if (rows === null) throw new PtLayoutError(file, `'data' is neither a tensor nor a list`)
    return {
      name,
      file,
      ids,
      rows: rows.count,
      width: rows.width,
      rowId: (i) => rows.label(i) ?? (ids[i] as string),
      row: (i) => rows.row(i),
      close: () => archive.close(),
    }
  } catch (e) {
    archive.close()
    throw e
  }
}
