import { readFile } from 'node:fs/promises'
import { BufferSource, type ByteSource, FileSource } from './byte-source.ts'
import { type DType, ELEMENT_SIZE, STORAGE_CLASS_DTYPE, TORCH_DTYPE_NAMES } from './dtype.ts'
import { PickleError, PtReadError } from './errors.ts'
import { PyDict, PyGlobal, PyTuple, type PyValue } from './pyvalue.ts'
import { Storage, Tensor } from './tensor.ts'
import { PyCallable, unpickle } from './unpickler.ts'
import { entryDataOffset, readCentralDirectory, readEntry, type ZipEntry, ZipFormatError } from './zip.ts'

/** A `.pt` opened lazily: the pickle is parsed, tensor bytes are read from the file only when accessed. */
export interface PtArchive {
  readonly path: string
  readonly value: PyValue
  /** archive prefix (the stem torch used, e.g. `archive`) */
  readonly prefix: string
  /** all record names inside the zip */
  readonly records: readonly string[]
  /** Releases the file descriptor; tensors from this archive become unreadable. */
  close(): void
}

/** Reads a whole `.pt` into memory once; tensors are zero-copy views of that buffer. */
export async function readPt(path: string): Promise<PyValue> {
  let buf: Uint8Array
  try {
    const b = await readFile(path)
    buf = new Uint8Array(b.buffer, b.byteOffset, b.byteLength)
  } catch (e) {
    throw new PtReadError('io', path, `cannot read file: ${errMessage(e)}`)
  }
  return readPtBuffer(buf, path)
}

export function readPtBuffer(buf: Uint8Array, name: string): PyValue {
  return load(new BufferSource(buf, name)).value
}

/** Lazy mode for large files: memory stays at the pickle plus whatever tensor slices the caller reads. */
export async function openPt(path: string): Promise<PtArchive> {
  let src: FileSource
  try {
    src = new FileSource(path)
  } catch (e) {
    throw new PtReadError('io', path, `cannot open file: ${errMessage(e)}`)
  }
  try {
    const loaded = load(src)
    return { path, value: loaded.value, prefix: loaded.prefix, records: loaded.records, close: () => src.close() }
  } catch (e) {
    src.close()
    throw e
  }
}

function errMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e)
}

function load(src: ByteSource): { value: PyValue; prefix: string; records: string[] } {
  const path = src.name
  try {
    return loadUnchecked(src)
  } catch (e) {
    if (e instanceof PtReadError) throw e
    if (e instanceof PickleError) throw new PtReadError(e.code, path, e.message)
    if (e instanceof ZipFormatError) {
      if (e.kind === 'not-zip' && looksLikeLegacy(src)) {
        throw new PtReadError('legacy', path, 'legacy (pre-1.6, non-zip) torch.save format is not supported; re-save it with torch.save(..., _use_new_zipfile_serialization=True)')
      }
      throw new PtReadError(e.kind === 'unsupported' ? 'pickle' : e.kind, path, e.message)
    }
    if (e instanceof RangeError) throw new PtReadError('truncated', path, e.message)
    throw new PtReadError('pickle', path, errMessage(e))
  }
}

/** Legacy torch files are a bare pickle stream: PROTO opcode first. */
function looksLikeLegacy(src: ByteSource): boolean {
  if (src.size < 2) return false
  const b = src.read(0, 2)
  return b[0] === 0x80 && (b[1] as number) <= 5
}

function loadUnchecked(src: ByteSource): { value: PyValue; prefix: string; records: string[] } {
  const path = src.name
  const entries = readCentralDirectory(src)
  const byName = new Map<string, ZipEntry>(entries.map((e) => [e.name, e]))
  const pkl = entries.find((e) => e.name === 'data.pkl' || e.name.endsWith('/data.pkl'))
  if (!pkl) throw new PtReadError('missing-record', path, 'zip archive has no */data.pkl record (not a torch.save file?)')
  const prefix = pkl.name.slice(0, pkl.name.length - 'data.pkl'.length)
  const bo = byName.get(`${prefix}byteorder`)
  if (bo) {
    const order = new TextDecoder().decode(readEntry(src, bo)).trim()
    if (order !== 'little') throw new PtReadError('byteorder', path, `storages are '${order}'-endian; only little-endian is supported`)
  }
  const storages = new Map<string, Storage>()
  const persistentLoad = (pid: unknown): Storage => {
    if (!(pid instanceof PyTuple) || pid.items[0] !== 'storage' || pid.items.length < 5) {
      throw new PickleError('pickle', 'persistent id is not a (storage, type, key, location, numel) tuple')
    }
    const [, type, key, , numel] = pid.items
    if (!(type instanceof PyGlobal) || typeof key !== 'string' || typeof numel !== 'number') {
      throw new PickleError('pickle', 'malformed storage persistent id')
    }
    const dtype = storageDType(type)
    const cached = storages.get(key)
    if (cached) return cached
    const entry = byName.get(`${prefix}data/${key}`)
    if (!entry) throw new PtReadError('missing-record', path, `storage record ${prefix}data/${key} is missing`)
    const byteLength = numel * ELEMENT_SIZE[dtype]
    if (entry.size < byteLength) throw new PtReadError('truncated', path, `storage ${key} has ${entry.size} bytes, needs ${byteLength}`)
    const storage =
      entry.method === 0
        ? new Storage(key, dtype, byteLength, src, entryDataOffset(src, entry))
        : new Storage(key, dtype, byteLength, new BufferSource(readEntry(src, entry), path), 0)
    storages.set(key, storage)
    return storage
  }
  const raw = unpickle(readEntry(src, pkl), { findGlobal, persistentLoad })
  return { value: checkPyValue(raw), prefix, records: entries.map((e) => e.name) }
}

function storageDType(type: PyGlobal): DType {
  if (type.module === 'torch' && type.name in STORAGE_CLASS_DTYPE) return STORAGE_CLASS_DTYPE[type.name] as DType
  if (type.name === 'UntypedStorage') return 'uint8'
  throw new PickleError('pickle', `${type.toString()} is not a storage type`)
}

function intTuple(v: unknown, what: string): number[] {
  const items = v instanceof PyTuple ? v.items : Array.isArray(v) ? v : null
  if (items === null || !items.every((x): x is number => typeof x === 'number' && Number.isInteger(x))) {
    throw new PickleError('pickle', `${what} is not a tuple of ints`)
  }
  return [...items]
}

function rebuildTensor(args: readonly unknown[], dtypeOverride?: unknown): Tensor {
  const [storage, offset, size, stride, requiresGrad] = args
  if (!(storage instanceof Storage)) throw new PickleError('pickle', 'tensor rebuild without a storage')
  if (typeof offset !== 'number') throw new PickleError('pickle', 'tensor storage offset is not an int')
  let dtype = storage.dtype
  if (dtypeOverride !== undefined) {
    if (!(dtypeOverride instanceof PyGlobal) || dtypeOverride.module !== 'torch' || !(dtypeOverride.name in TORCH_DTYPE_NAMES)) {
      throw new PickleError('pickle', 'tensor dtype is not a supported torch dtype')
    }
    dtype = TORCH_DTYPE_NAMES[dtypeOverride.name] as DType
  }
  try {
    return new Tensor(storage, dtype, intTuple(size, 'tensor size'), intTuple(stride, 'tensor stride'), offset, requiresGrad === true)
  } catch (e) {
    throw new PickleError('pickle', errMessage(e))
  }
}

function withGrad(args: readonly unknown[]): Tensor {
  const [data, requiresGrad] = args
  if (!(data instanceof Tensor)) throw new PickleError('pickle', '_rebuild_parameter without a tensor')
  return new Tensor(data.storage, data.dtype, data.shape, data.strides, data.offset, requiresGrad === true)
}

const CALLABLES: ReadonlyMap<string, (args: readonly unknown[]) => unknown> = new Map<string, (args: readonly unknown[]) => unknown>([
  ['torch._utils._rebuild_tensor_v2', (a) => rebuildTensor(a)],
  ['torch._utils._rebuild_tensor', (a) => rebuildTensor(a)],
  // v3 is what torch 2.x emits for dtypes without a legacy storage class; the dtype rides as the 7th argument.
  ['torch._utils._rebuild_tensor_v3', (a) => rebuildTensor(a, a[6])],
  ['torch._utils._rebuild_parameter', withGrad],
  ['torch._utils._rebuild_parameter_with_state', withGrad],
  ['collections.OrderedDict', (a) => {
    const d = new PyDict(true)
    const init = a[0]
    const pairs = Array.isArray(init) ? init : init instanceof PyTuple ? init.items : []
    for (const p of pairs) {
      if (!(p instanceof PyTuple) || p.length !== 2) throw new PickleError('pickle', 'OrderedDict init item is not a pair')
      d.set(p.items[0] as PyValue, p.items[1] as PyValue)
    }
    return d
  }],
  ['torch.Size', (a) => new PyTuple(intTuple(a[0] ?? [], 'torch.Size'))],
  // Protocol 2 pickles bytes as _codecs.encode(latin1_text, 'latin1'); only that exact form is accepted.
  ['_codecs.encode', (a) => {
    const [text, enc] = a
    if (typeof text !== 'string' || (enc !== 'latin1' && enc !== 'latin-1')) throw new PickleError('refused', `_codecs.encode only accepted as (str, 'latin1')`)
    return Uint8Array.from(text, (c) => c.charCodeAt(0))
  }],
])

function findGlobal(module: string, name: string): unknown {
  const qual = `${module}.${name}`
  const fn = CALLABLES.get(qual)
  if (fn) return new PyCallable(qual, fn)
  if (module === 'torch' && (name in STORAGE_CLASS_DTYPE || name in TORCH_DTYPE_NAMES || name === 'UntypedStorage')) return new PyGlobal(module, name)
  if (module === 'torch.storage' && (name === 'UntypedStorage' || name === 'TypedStorage')) return new PyGlobal(module, name)
  throw new PickleError('refused', `refused global '${qual}' (not in the allow-list; nothing from the file is executed)`)
}

/** The unpickler may leave internal objects (callables, storages) in the result; only PyValues are accepted. */
function checkPyValue(root: unknown): PyValue {
  const seen = new Set<object>()
  const visit = (v: unknown): void => {
    if (v === null || typeof v === 'boolean' || typeof v === 'number' || typeof v === 'bigint' || typeof v === 'string') return
    if (v instanceof Tensor || v instanceof PyGlobal || v instanceof Uint8Array) return
    if (typeof v !== 'object') throw new PickleError('pickle', `unexpected ${typeof v} in result`)
    if (seen.has(v)) return
    seen.add(v)
    if (Array.isArray(v)) {
      for (const x of v) if (typeof x === 'object' && x !== null) visit(x)
    } else if (v instanceof PyTuple) {
      for (const x of v.items) visit(x)
    } else if (v instanceof PyDict) {
      for (const [k, x] of v) { visit(k); visit(x) }
    } else if (v instanceof PyCallable) {
      throw new PickleError('pickle', `bare reference to ${v.qualname} in result is not supported`)
    } else if (v instanceof Storage) {
      throw new PickleError('pickle', 'bare storage in result is not supported')
    } else {
      throw new PickleError('pickle', `unexpected ${v.constructor.name} in result`)
    }
  }
  visit(root)
  return root as PyValue
}
