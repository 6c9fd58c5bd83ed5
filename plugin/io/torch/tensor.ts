import { BufferSource, type ByteSource } from './byte-source.ts'
import { bf16ToF32, type DType, ELEMENT_SIZE, f16ToF32 } from './dtype.ts'

/** The native typed array for each dtype (float16/bfloat16 as raw bits, bool as 0/1 bytes). */
export type NativeArray = Float32Array | Float64Array | Uint16Array | Int8Array | Int16Array | Int32Array | BigInt64Array | Uint8Array

/**
 * One `data/<key>` record. Nothing is cached: in eager mode reads are views of the file buffer, in lazy mode each
 * read is a positioned read of just the bytes a view needs, which keeps memory bounded by what the caller keeps.
 */
export class Storage {
  constructor(
    readonly key: string,
    readonly dtype: DType,
    readonly byteLength: number,
    private readonly src: ByteSource,
    private readonly dataOffset: number,
  ) {}

  read(byteOffset: number, byteLength: number): Uint8Array {
    if (byteOffset < 0 || byteOffset + byteLength > this.byteLength) {
      throw new RangeError(`storage ${this.key}: read ${byteOffset}+${byteLength} beyond ${this.byteLength} bytes`)
    }
    return this.src.read(this.dataOffset + byteOffset, byteLength)
  }
}

function nativeView(dtype: DType, bytes: Uint8Array): NativeArray {
  const size = ELEMENT_SIZE[dtype]
  // Typed arrays need aligned offsets; torch aligns records to 64 bytes, but a caller's buffer may not be aligned.
  const b = bytes.byteOffset % size === 0 ? bytes : bytes.slice()
  const n = b.byteLength / size
  switch (dtype) {
    case 'float32': return new Float32Array(b.buffer, b.byteOffset, n)
    case 'float64': return new Float64Array(b.buffer, b.byteOffset, n)
    case 'float16':
    case 'bfloat16': return new Uint16Array(b.buffer, b.byteOffset, n)
    case 'int8': return new Int8Array(b.buffer, b.byteOffset, n)
    case 'int16': return new Int16Array(b.buffer, b.byteOffset, n)
    case 'int32': return new Int32Array(b.buffer, b.byteOffset, n)
    case 'int64': return new BigInt64Array(b.buffer, b.byteOffset, n)
    case 'uint8':
    case 'bool': return b
  }
}

function allocNative(dtype: DType, n: number): NativeArray {
  return nativeView(dtype, new Uint8Array(n * ELEMENT_SIZE[dtype]))
}

let f16Table: Float32Array | null = null
function f16Lut(): Float32Array {
  if (f16Table === null) {
    f16Table = new Float32Array(65536)
    for (let i = 0; i < 65536; i++) f16Table[i] = f16ToF32(i)
  }
  return f16Table
}

/** Calls fn once per innermost run of a strided view, so converters stay tight loops without per-element index math. */
function forEachRun(shape: readonly number[], strides: readonly number[], base: number, fn: (start: number, step: number, len: number) => void): void {
  const nd = shape.length
  if (nd === 0) { fn(base, 1, 1); return }
  if (shape.some((s) => s === 0)) return
  const len = shape[nd - 1] as number
  const step = strides[nd - 1] as number
  const counter = new Array<number>(nd - 1).fill(0)
  let start = base
  for (;;) {
    fn(start, step, len)
    let d = nd - 2
    for (; d >= 0; d--) {
      const c = (counter[d] as number) + 1
      if (c < (shape[d] as number)) {
        counter[d] = c
        start += strides[d] as number
        break
      }
      counter[d] = 0
      start -= (c - 1) * (strides[d] as number)
    }
    if (d < 0) return
  }
}

/** A tensor view: (storage, dtype, shape, strides, offset) exactly as `_rebuild_tensor_v2` describes it. */
export class Tensor {
  readonly numel: number
  constructor(
    readonly storage: Storage,
    readonly dtype: DType,
    readonly shape: readonly number[],
    readonly strides: readonly number[],
    /** element offset into the storage */
    readonly offset: number,
    readonly requiresGrad = false,
  ) {
    if (shape.length !== strides.length) throw new RangeError(`shape ${fmt(shape)} and stride ${fmt(strides)} differ in rank`)
    this.numel = shape.reduce((a, b) => a * b, 1)
    if (this.numel > 0) {
      const [lo, hi] = this.span()
      if (lo < 0 || (hi + 1) * ELEMENT_SIZE[dtype] > storage.byteLength) {
        throw new RangeError(`view ${fmt(shape)} stride ${fmt(strides)} offset ${offset} exceeds storage ${storage.key} (${storage.byteLength} bytes)`)
      }
    }
  }

  /** Wraps an in-memory array as a contiguous tensor (used to print Arrow columns with the same JSON/summary code). */
  static fromArray(data: NativeArray, dtype: DType, shape: readonly number[]): Tensor {
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
    const storage = new Storage('memory', dtype, bytes.byteLength, new BufferSource(bytes, '<memory>'), 0)
    const strides: number[] = []
    let acc = 1
    for (let d = shape.length - 1; d >= 0; d--) {
      strides[d] = acc
      acc *= shape[d] as number
    }
    return new Tensor(storage, dtype, shape, strides, 0)
  }

  get ndim(): number {
    return this.shape.length
  }

  isContiguous(): boolean {
    let expected = 1
    for (let d = this.shape.length - 1; d >= 0; d--) {
      const s = this.shape[d] as number
      if (s !== 1 && this.strides[d] !== expected) return false
      expected *= s
    }
    return true
  }

  /** Lowest and highest storage element index the view touches. */
  private span(): [number, number] {
    let lo = this.offset
    let hi = this.offset
    this.shape.forEach((s, d) => {
      const st = this.strides[d] as number
      if (st >= 0) hi += (s - 1) * st
      else lo += (s - 1) * st
    })
    return [lo, hi]
  }

  /** Reads only the element window the view spans, returning it and the view's offset inside it. */
  private window(): { view: NativeArray; base: number } {
    if (this.numel === 0) return { view: allocNative(this.dtype, 0), base: 0 }
    const [lo, hi] = this.span()
    const size = ELEMENT_SIZE[this.dtype]
    return { view: nativeView(this.dtype, this.storage.read(lo * size, (hi - lo + 1) * size)), base: this.offset - lo }
  }

  /** Logical values in row-major order, converted to float32 (f16/bf16 widen exactly; int64/float64 round). */
  toFloat32(): Float32Array {
    const { view, base } = this.window()
    if (this.dtype === 'float32' && this.isContiguous()) return (view as Float32Array).slice(base, base + this.numel)
    const out = new Float32Array(this.numel)
    this.gather(view, base, out)
    return out
  }

  /** Logical values as float64 (exact for every dtype except int64 beyond 2^53). */
  toFloat64(): Float64Array {
    const { view, base } = this.window()
    const out = new Float64Array(this.numel)
    this.gather(view, base, out)
    return out
  }

  /** Contiguous copy in the native element type (float16/bfloat16 as raw bits). */
  toTypedArray(): NativeArray {
    const { view, base } = this.window()
    const out = allocNative(this.dtype, this.numel)
    let k = 0
    forEachRun(this.shape, this.strides, base, (start, step, len) => {
      if (step === 1) {
        // Both sides share the element type, so a block copy is valid.
        ;(out as Uint8Array).set((view as Uint8Array).subarray(start, start + len), k)
        k += len
      } else {
        for (let i = 0, j = start; i < len; i++, j += step) (out as Uint8Array)[k++] = (view as Uint8Array)[j] as number
      }
    })
    return out
  }

  /** Plain JS values: int64 → bigint[] (type follows dtype, not magnitude); every other dtype → number[] (bool 0/1). */
  toArray(): number[] | bigint[] {
    if (this.dtype === 'int64') return Array.from(this.toTypedArray() as BigInt64Array)
    return Array.from(this.toFloat64())
  }

  /** Row i of a 2-D tensor as float32. For a contiguous float32 row in eager mode this is a zero-copy view: do not mutate. */
  row(i: number): Float32Array {
    if (this.ndim !== 2) throw new RangeError(`row() needs a 2-D tensor, got shape ${fmt(this.shape)}`)
    const rows = this.shape[0] as number
    if (!Number.isInteger(i) || i < 0 || i >= rows) throw new RangeError(`row ${i} out of range [0, ${rows})`)
    const cols = this.shape[1] as number
    if (this.dtype === 'float32' && (this.strides[1] === 1 || cols <= 1)) {
      const start = this.offset + i * (this.strides[0] as number)
      return nativeView('float32', this.storage.read(start * 4, cols * 4)) as Float32Array
    }
    return this.select(i).toFloat32()
  }

  /** The sub-tensor at index i of dimension 0 (a view, no data read). */
  select(i: number): Tensor {
    if (this.ndim === 0) throw new RangeError('select() on a 0-d tensor')
    const n = this.shape[0] as number
    if (!Number.isInteger(i) || i < 0 || i >= n) throw new RangeError(`index ${i} out of range [0, ${n})`)
    return new Tensor(this.storage, this.dtype, this.shape.slice(1), this.strides.slice(1), this.offset + i * (this.strides[0] as number), this.requiresGrad)
  }

  /** Rows [start, start+length) of dimension 0 (a view); lets callers stream a big lazy tensor in blocks. */
  narrow(start: number, length: number): Tensor {
    if (this.ndim === 0) throw new RangeError('narrow() on a 0-d tensor')
    const n = this.shape[0] as number
    if (start < 0 || length < 0 || start + length > n) throw new RangeError(`narrow(${start}, ${length}) out of range [0, ${n})`)
    return new Tensor(this.storage, this.dtype, [length, ...this.shape.slice(1)], this.strides, this.offset + (length === 0 ? 0 : start * (this.strides[0] as number)), this.requiresGrad)
  }

  /** Value of a 0-d or single-element tensor (bigint for int64, 0/1 for bool). */
  item(): number | bigint {
    if (this.numel !== 1) throw new RangeError(`item() needs one element, tensor has ${this.numel}`)
    const v = this.toArray()[0]
    if (v === undefined) throw new RangeError('item(): empty')
    return v
  }

  toString(): string {
    return `Tensor(${this.dtype}, [${this.shape.join(', ')}])`
  }

  private gather(view: NativeArray, base: number, out: Float32Array | Float64Array): void {
    let k = 0
    const run = (conv: (j: number) => number): void => {
      forEachRun(this.shape, this.strides, base, (start, step, len) => {
        for (let i = 0, j = start; i < len; i++, j += step) out[k++] = conv(j)
      })
    }
    switch (this.dtype) {
      case 'int64': {
        const v = view as BigInt64Array
        run((j) => Number(v[j]))
        return
      }
      case 'float16': {
        const v = view as Uint16Array
        const lut = f16Lut()
        run((j) => lut[v[j] as number] as number)
        return
      }
      case 'bfloat16': {
        const v = view as Uint16Array
        run((j) => bf16ToF32(v[j] as number))
        return
      }
      default: {
        const v = view as Float32Array
        forEachRun(this.shape, this.strides, base, (start, step, len) => {
          if (step === 1) {
            out.set(v.subarray(start, start + len), k)
            k += len
          } else {
            for (let i = 0, j = start; i < len; i++, j += step) out[k++] = v[j] as number
          }
        })
      }
    }
  }
}

function fmt(a: readonly number[]): string {
  return `[${a.join(', ')}]`
}
