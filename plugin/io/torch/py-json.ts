import { type PyValue, PyDict, PyGlobal, PyTuple, pyKeyString } from './pyvalue.ts'
import { Tensor } from './tensor.ts'

/**
 * JSON form of Python values, shared by `scripts/inspect.ts --json` and the fixture generator's expected files:
 * tensors → {dtype, shape, data} (data flat, row-major of the logical shape); NaN/±Infinity → strings;
 * ints beyond 2^53 → strings; tuples → arrays; dict keys → Python str(); bytes → {type: 'bytes', base64}.
 * With `summary`, tensor `data` is replaced by {count, nan, sum, min, max}, where sum/min/max skip NaNs.
 */
export interface PyJsonOptions {
  summary?: boolean
}

export type JsonValue = null | boolean | number | string | JsonValue[] | { [k: string]: JsonValue }

/** Elements converted per block, so a 10,000 × 3328 tensor streams without one giant string. */
const BLOCK_ELEMENTS = 1 << 18

export function jsonNumber(x: number): string {
  if (Number.isNaN(x)) return '"NaN"'
  if (x === Infinity) return '"Infinity"'
  if (x === -Infinity) return '"-Infinity"'
  return Object.is(x, -0) ? '-0' : String(x)
}

function jsonBigInt(x: bigint): string {
  return x > BigInt(Number.MAX_SAFE_INTEGER) || x < -BigInt(Number.MAX_SAFE_INTEGER) ? `"${x}"` : x.toString()
}

/** Target size of yielded chunks: large enough to amortise writes, small enough to keep memory flat. */
const CHUNK_CHARS = 1 << 16

function scalarJson(v: PyValue): string | null {
  if (v === null) return 'null'
  switch (typeof v) {
    case 'boolean': return v ? 'true' : 'false'
    case 'number': return jsonNumber(v)
    case 'bigint': return jsonBigInt(v)
    case 'string': return JSON.stringify(v)
  }
  if (v instanceof PyGlobal) return JSON.stringify(v.toString())
  if (v instanceof Uint8Array) return `{"type":"bytes","base64":${JSON.stringify(Buffer.from(v).toString('base64'))}}`
  return null
}

/**
 * The JSON text of a value as a sequence of chunks, so a caller can honour stream back-pressure
 * (a 10,000 × 3328 tensor is ~650 MB of JSON) without ever building the whole string.
 */
export function* pyJsonChunks(value: PyValue, opts: PyJsonOptions = {}): Generator<string, void, undefined> {
  let buf: string[] = []
  let size = 0
  const push = (s: string): boolean => {
    buf.push(s)
    size += s.length
    return size >= CHUNK_CHARS
  }
  const take = (): string => {
    const s = buf.join('')
    buf = []
    size = 0
    return s
  }
  function* visit(v: PyValue): Generator<string, void, undefined> {
    const scalar = scalarJson(v)
    if (scalar !== null) {
      if (push(scalar)) yield take()
      return
    }
    if (Array.isArray(v) || v instanceof PyTuple) {
      const items = Array.isArray(v) ? v : v.items
      push('[')
      for (let i = 0; i < items.length; i++) {
        if (i > 0) push(',')
        const x = items[i] as PyValue
        // Scalars inline: a DNABERT file has millions of floats, one generator each would be slow.
        const sx = scalarJson(x)
        if (sx !== null) {
          if (push(sx)) yield take()
        } else yield* visit(x)
      }
      push(']')
      return
    }
    if (v instanceof PyDict) {
      push('{')
      let first = true
      for (const [k, x] of v) {
        if (!first) push(',')
        first = false
        push(`${JSON.stringify(pyKeyString(k))}:`)
        yield* visit(x)
      }
      push('}')
      return
    }
    if (v instanceof Tensor) {
      for (const s of tensorChunks(v, opts)) if (push(s)) yield take()
    }
  }
  yield* visit(value)
  if (size > 0) yield take()
}

/** Streams the JSON text of a value through a synchronous `write`. */
export function writePyJson(value: PyValue, write: (chunk: string) => void, opts: PyJsonOptions = {}): void {
  for (const c of pyJsonChunks(value, opts)) write(c)
}

/** Convenience for small values (tests, summaries): the same JSON, parsed back into JS. */
export function pyToJson(value: PyValue, opts: PyJsonOptions = {}): JsonValue {
  const parts: string[] = []
  writePyJson(value, (s) => parts.push(s), opts)
  return JSON.parse(parts.join('')) as JsonValue
}

function* tensorChunks(t: Tensor, opts: PyJsonOptions): Generator<string, void, undefined> {
  yield `{"dtype":"${t.dtype}","shape":[${t.shape.join(',')}]`
  if (opts.summary) {
    const s = tensorSummary(t)
    yield `,"count":${s.count},"nan":${s.nan},"sum":${fmtStat(s.sum)},"min":${fmtStat(s.min)},"max":${fmtStat(s.max)}}`
    return
  }
  yield ',"data":['
  let first = true
  for (const block of blocks(t)) {
    const parts: string[] = []
    if (t.dtype === 'int64') {
      for (const x of block.toTypedArray() as BigInt64Array) parts.push(jsonBigInt(x))
    } else if (t.dtype === 'bool') {
      for (const x of block.toTypedArray() as Uint8Array) parts.push(x ? 'true' : 'false')
    } else {
      for (const x of block.toFloat64()) parts.push(jsonNumber(x))
    }
    if (parts.length === 0) continue
    yield (first ? '' : ',') + parts.join(',')
    first = false
  }
  yield ']}'
}

function fmtStat(x: number | bigint | null): string {
  if (x === null) return 'null'
  return typeof x === 'bigint' ? jsonBigInt(x) : jsonNumber(x)
}

/** Splits along dimension 0 so huge tensors are converted a block at a time (bounded extra memory). */
function* blocks(t: Tensor): Generator<Tensor, void, undefined> {
  if (t.ndim === 0 || t.numel === 0) {
    yield t
    return
  }
  const rows = t.shape[0] as number
  const perRow = t.numel / rows
  const step = Math.max(1, Math.floor(BLOCK_ELEMENTS / Math.max(1, perRow)))
  for (let r = 0; r < rows; r += step) yield t.narrow(r, Math.min(step, rows - r))
}

function forEachBlock(t: Tensor, fn: (block: Tensor) => void): void {
  for (const b of blocks(t)) fn(b)
}

export interface TensorSummary {
  count: number
  nan: number
  /** over non-NaN elements; null when there are none. bigint only for int64 sums beyond 2^53 */
  sum: number | bigint | null
  min: number | bigint | null
  max: number | bigint | null
}

/** NaN-aware statistics, computed block-wise (works on lazy tensors without loading them whole). */
export function tensorSummary(t: Tensor): TensorSummary {
  if (t.dtype === 'int64') {
    let sum = 0n
    let min: bigint | null = null
    let max: bigint | null = null
    forEachBlock(t, (b) => {
      for (const x of b.toTypedArray() as BigInt64Array) {
        sum += x
        if (min === null || x < min) min = x
        if (max === null || x > max) max = x
      }
    })
    const norm = (x: bigint | null): number | bigint | null =>
      x === null ? null : x <= BigInt(Number.MAX_SAFE_INTEGER) && x >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(x) : x
    return { count: t.numel, nan: 0, sum: t.numel === 0 ? null : norm(sum), min: norm(min), max: norm(max) }
  }
  let sum = 0
  let nan = 0
  let min = Infinity
  let max = -Infinity
  let seen = 0
  forEachBlock(t, (b) => {
    for (const x of b.toFloat64()) {
      if (Number.isNaN(x)) { nan++; continue }
      seen++
      sum += x
      if (x < min) min = x
      if (x > max) max = x
    }
  })
  return seen === 0 ? { count: t.numel, nan, sum: null, min: null, max: null } : { count: t.numel, nan, sum, min, max }
}
