import { Tensor } from './tensor.ts'

/** Python tuple; a class (not an array) so tuples and lists stay distinguishable. */
export class PyTuple {
  constructor(readonly items: readonly PyValue[]) {}
  get length(): number {
    return this.items.length
  }
}

/** A reference to an allow-listed Python global used as a value (e.g. a `torch.float32` dtype in a metadata dict). */
export class PyGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}
  toString(): string {
    return `${this.module}.${this.name}`
  }
}

/**
 * Every value the reader can return. Python ints are numbers when safe (|n| ≤ 2^53−1) and bigint beyond;
 * Python floats are numbers (so 1.0 and 1 are not distinguished); bytes are Uint8Array.
 */
export type PyValue = null | boolean | number | bigint | string | Uint8Array | PyValue[] | PyTuple | PyDict | Tensor | PyGlobal

/** Keys Python can hash; lists and dicts never are. Tensors hash by identity. */
export type PyKey = null | boolean | number | bigint | string | PyTuple | Tensor | PyGlobal

const identityIds = new WeakMap<object, number>()
let nextIdentity = 0

/** Canonical key identity, following Python equality for the common cases (True == 1, 1 == 1.0). */
function keyId(k: PyKey): string {
  if (k === null) return 'N'
  switch (typeof k) {
    case 'string': return `s${k}`
    case 'boolean': return k ? 'n1' : 'n0'
    case 'number': return `n${k}`
    case 'bigint': return `n${k.toString()}`
  }
  if (k instanceof PyTuple) return `t(${k.items.map((x) => keyId(asKey(x))).join(',')})`
  if (k instanceof PyGlobal) return `g${k.module}.${k.name}`
  let id = identityIds.get(k)
  if (id === undefined) {
    id = nextIdentity++
    identityIds.set(k, id)
  }
  return `o${id}`
}

export function isPyKey(v: PyValue): v is PyKey {
  return !(Array.isArray(v) || v instanceof PyDict || v instanceof Uint8Array)
}

function asKey(v: PyValue): PyKey {
  if (!isPyKey(v)) throw new TypeError(`unhashable dict key of type ${pyTypeName(v)}`)
  return v
}

/** Python dict / OrderedDict: insertion-ordered, any hashable key. */
export class PyDict {
  private readonly map = new Map<string, [PyKey, PyValue]>()
  constructor(readonly ordered = false) {}

  get size(): number {
    return this.map.size
  }
  set(key: PyValue, value: PyValue): void {
    const k = asKey(key)
    const id = keyId(k)
    const prev = this.map.get(id)
    // Python keeps the first key object and position on overwrite.
    this.map.set(id, [prev ? prev[0] : k, value])
  }
  get(key: PyKey): PyValue | undefined {
    return this.map.get(keyId(key))?.[1]
  }
  has(key: PyKey): boolean {
    return this.map.has(keyId(key))
  }
  *keys(): IterableIterator<PyKey> {
    for (const [k] of this.map.values()) yield k
  }
  *values(): IterableIterator<PyValue> {
    for (const [, v] of this.map.values()) yield v
  }
  entries(): IterableIterator<[PyKey, PyValue]> {
    return this.map.values()
  }
  [Symbol.iterator](): IterableIterator<[PyKey, PyValue]> {
    return this.map.values()
  }
}

export function pyTypeName(v: PyValue): string {
  if (v === null) return 'None'
  switch (typeof v) {
    case 'boolean': return 'bool'
    // JS cannot tell 1 from 1.0; integral safe values are reported as int.
    case 'number': return Number.isSafeInteger(v) && !Object.is(v, -0) ? 'int' : 'float'
    case 'bigint': return 'int'
    case 'string': return 'str'
  }
  if (Array.isArray(v)) return 'list'
  if (v instanceof PyTuple) return 'tuple'
  if (v instanceof PyDict) return v.ordered ? 'OrderedDict' : 'dict'
  if (v instanceof Tensor) return 'Tensor'
  if (v instanceof PyGlobal) return 'global'
  return 'bytes'
}

/** Python-style str() of a key, used where JSON needs string keys. */
export function pyKeyString(k: PyKey): string {
  if (k === null) return 'None'
  switch (typeof k) {
    case 'string': return k
    case 'boolean': return k ? 'True' : 'False'
    case 'number': return Number.isFinite(k) ? String(k) : Number.isNaN(k) ? 'nan' : k > 0 ? 'inf' : '-inf'
    case 'bigint': return k.toString()
  }
  if (k instanceof PyTuple) {
    const parts = k.items.map((x) => (typeof x === 'string' ? `'${x}'` : isPyKey(x) ? pyKeyString(x) : pyTypeName(x)))
    return `(${parts.join(', ')}${parts.length === 1 ? ',' : ''})`
  }
  return k.toString()
}
