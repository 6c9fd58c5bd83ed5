/** Tensor element types this reader understands (the ones VirNucPro and torch.save emit for plain tensors). */
export type DType = 'float32' | 'float16' | 'bfloat16' | 'float64' | 'int8' | 'int16' | 'int32' | 'int64' | 'uint8' | 'bool'

export const DTYPES: readonly DType[] = ['float32', 'float16', 'bfloat16', 'float64', 'int8', 'int16', 'int32', 'int64', 'uint8', 'bool']

export const ELEMENT_SIZE: Readonly<Record<DType, number>> = {
  float32: 4,
  float16: 2,
  bfloat16: 2,
  float64: 8,
  int8: 1,
  int16: 2,
  int32: 4,
  int64: 8,
  uint8: 1,
  bool: 1,
}

export function isFloatDType(d: DType): boolean {
  return d === 'float32' || d === 'float16' || d === 'bfloat16' || d === 'float64'
}

/** Legacy typed-storage class names (`torch.FloatStorage` …) that torch 1.x and 2.x still pickle for plain tensors. */
export const STORAGE_CLASS_DTYPE: Readonly<Record<string, DType>> = {
  FloatStorage: 'float32',
  HalfStorage: 'float16',
  BFloat16Storage: 'bfloat16',
  DoubleStorage: 'float64',
  CharStorage: 'int8',
  ShortStorage: 'int16',
  IntStorage: 'int32',
  LongStorage: 'int64',
  ByteStorage: 'uint8',
  BoolStorage: 'bool',
}

/** `torch.<name>` dtype objects pickle as GLOBAL torch <name>; aliases included because older code pickles them too. */
export const TORCH_DTYPE_NAMES: Readonly<Record<string, DType>> = {
  float32: 'float32',
  float: 'float32',
  float16: 'float16',
  half: 'float16',
  bfloat16: 'bfloat16',
  float64: 'float64',
  double: 'float64',
  int8: 'int8',
  int16: 'int16',
  short: 'int16',
  int32: 'int32',
  int: 'int32',
  int64: 'int64',
  long: 'int64',
  uint8: 'uint8',
  bool: 'bool',
}

// Shared scratch for bit reinterpretation; safe because JS is single-threaded per isolate.
const f32Scratch = new Float32Array(1)
const u32Scratch = new Uint32Array(f32Scratch.buffer)

/** bfloat16 is the top half of a float32, so widening is exact. */
export function bf16ToF32(bits: number): number {
  u32Scratch[0] = (bits & 0xffff) << 16
  return f32Scratch[0] as number
}

/** IEEE half → number; every half is exactly representable as float32, so this matches torch's `.float()`. */
export function f16ToF32(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1
  const exp = (bits >> 10) & 0x1f
  const frac = bits & 0x3ff
  if (exp === 0) return sign * frac * 2 ** -24
  if (exp === 0x1f) return frac === 0 ? sign * Infinity : NaN
  return sign * (1 + frac / 1024) * 2 ** (exp - 15)
}
