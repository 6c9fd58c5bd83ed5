import { PickleError } from './errors.ts'
import { PyDict, PyTuple, type PyValue } from './pyvalue.ts'

/**
 * A function-like global from the allow-list. Only these can be invoked by REDUCE/NEWOBJ/OBJ, and their
 * implementations are ours: nothing from the file is ever executed.
 */
export class PyCallable {
  constructor(
    readonly qualname: string,
    readonly call: (args: readonly unknown[]) => unknown,
  ) {}
}

export interface UnpickleHooks {
  /** Resolve GLOBAL/STACK_GLOBAL; must throw PickleError('refused') for anything not allow-listed. */
  findGlobal(module: string, name: string): unknown
  /** Resolve BINPERSID/PERSID ids (torch: storages). */
  persistentLoad(pid: unknown): unknown
}

const MARK = 0x28, STOP = 0x2e, POP = 0x30, POP_MARK = 0x31, DUP = 0x32, FLOAT = 0x46, INT = 0x49, BININT = 0x4a
const BININT1 = 0x4b, LONG = 0x4c, BININT2 = 0x4d, NONE = 0x4e, PERSID = 0x50, BINPERSID = 0x51, REDUCE = 0x52
const STRING = 0x53, BINSTRING = 0x54, SHORT_BINSTRING = 0x55, UNICODE = 0x56, BINUNICODE = 0x58, APPEND = 0x61
const BUILD = 0x62, GLOBAL = 0x63, DICT = 0x64, EMPTY_DICT = 0x7d, APPENDS = 0x65, GET = 0x67, BINGET = 0x68
const INST = 0x69, LONG_BINGET = 0x6a, LIST = 0x6c, EMPTY_LIST = 0x5d, OBJ = 0x6f, PUT = 0x70, BINPUT = 0x71
const LONG_BINPUT = 0x72, SETITEM = 0x73, TUPLE = 0x74, EMPTY_TUPLE = 0x29, SETITEMS = 0x75, BINFLOAT = 0x47
const PROTO = 0x80, NEWOBJ = 0x81, EXT1 = 0x82, EXT2 = 0x83, EXT4 = 0x84, TUPLE1 = 0x85, TUPLE2 = 0x86, TUPLE3 = 0x87
const NEWTRUE = 0x88, NEWFALSE = 0x89, LONG1 = 0x8a, LONG4 = 0x8b, BINBYTES = 0x42, SHORT_BINBYTES = 0x43
const SHORT_BINUNICODE = 0x8c, BINUNICODE8 = 0x8d, BINBYTES8 = 0x8e, EMPTY_SET = 0x8f, ADDITEMS = 0x90, FROZENSET = 0x91
const NEWOBJ_EX = 0x92, STACK_GLOBAL = 0x93, MEMOIZE = 0x94, FRAME = 0x95, BYTEARRAY8 = 0x96, NEXT_BUFFER = 0x97
const READONLY_BUFFER = 0x98

const OPCODE_NAMES: Readonly<Record<number, string>> = {
  [STRING]: 'STRING', [EXT1]: 'EXT1', [EXT2]: 'EXT2', [EXT4]: 'EXT4', [EMPTY_SET]: 'EMPTY_SET', [ADDITEMS]: 'ADDITEMS',
  [FROZENSET]: 'FROZENSET', [NEXT_BUFFER]: 'NEXT_BUFFER', [READONLY_BUFFER]: 'READONLY_BUFFER',
}

const utf8 = new TextDecoder('utf-8')
const latin1 = new TextDecoder('latin1')
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER)

/** Python ints: number when exactly representable, bigint otherwise. */
export function normaliseInt(v: bigint): number | bigint {
  return v <= MAX_SAFE && v >= -MAX_SAFE ? Number(v) : v
}

function decodeLong(b: Uint8Array): number | bigint {
  if (b.length === 0) return 0
  let v = 0n
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i] as number)
  if ((b[b.length - 1] as number) & 0x80) v -= 1n << BigInt(b.length * 8)
  return normaliseInt(v)
}

/** raw-unicode-escape (protocol 0 UNICODE): only \uXXXX and \UXXXXXXXX are escapes, everything else is latin-1. */
function decodeRawUnicodeEscape(s: string): string {
  return s.replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g, (_m, a: string | undefined, b: string | undefined) =>
    String.fromCodePoint(parseInt(a ?? b ?? '0', 16)),
  )
}

function parseTextInt(s: string): number | bigint | boolean {
  if (s === '01') return true
  if (s === '00') return false
  const t = s.endsWith('L') ? s.slice(0, -1) : s
  if (!/^[-+]?\d+$/.test(t)) throw new PickleError('pickle', `bad integer literal '${s}'`)
  return normaliseInt(BigInt(t))
}

/**
 * Restricted unpickler (protocols 0–5 minus out-of-band buffers, extension registry, sets and protocol-0 STRING).
 * Globals and persistent ids are delegated to hooks; the result may contain whatever the hooks return.
 */
export function unpickle(data: Uint8Array, hooks: UnpickleHooks): unknown {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength)
  const len = data.byteLength
  let pos = 0
  let stack: unknown[] = []
  const metastack: unknown[][] = []
  const memo: unknown[] = []

  const need = (n: number): void => {
    if (pos + n > len) throw new PickleError('truncated', `pickle data ends early (need ${n} bytes at offset ${pos})`)
  }
  const bytes = (n: number): Uint8Array => {
    need(n)
    const b = data.subarray(pos, pos + n)
    pos += n
    return b
  }
  const line = (): string => {
    const end = data.indexOf(0x0a, pos)
    if (end < 0) throw new PickleError('truncated', `pickle text line not terminated (offset ${pos})`)
    const s = latin1.decode(data.subarray(pos, end))
    pos = end + 1
    return s
  }
  const pop = (): unknown => {
    if (stack.length === 0) throw new PickleError('pickle', `stack underflow at offset ${pos - 1}`)
    return stack.pop()
  }
  const top = (): unknown => {
    if (stack.length === 0) throw new PickleError('pickle', `stack underflow at offset ${pos - 1}`)
    return stack[stack.length - 1]
  }
  const popMark = (): unknown[] => {
    const items = stack
    const prev = metastack.pop()
    if (prev === undefined) throw new PickleError('pickle', `MARK missing at offset ${pos - 1}`)
    stack = prev
    return items
  }
  const memoGet = (i: number): unknown => {
    if (!(i in memo)) throw new PickleError('pickle', `memo key ${i} missing`)
    return memo[i]
  }
  const call = (fn: unknown, args: unknown, how: string): unknown => {
    if (!(fn instanceof PyCallable)) throw new PickleError('pickle', `${how} on a non-callable value`)
    const a = args instanceof PyTuple ? args.items : Array.isArray(args) ? args : null
    if (a === null) throw new PickleError('pickle', `${how} ${fn.qualname}: arguments are not a tuple`)
    return fn.call(a)
  }
  const asList = (v: unknown, op: string): unknown[] => {
    if (!Array.isArray(v)) throw new PickleError('pickle', `${op} on a non-list`)
    return v
  }
  const asDict = (v: unknown, op: string): PyDict => {
    if (!(v instanceof PyDict)) throw new PickleError('pickle', `${op} on a non-dict`)
    return v
  }
  const setItem = (d: PyDict, k: unknown, v: unknown): void => {
    try {
      d.set(k as PyValue, v as PyValue)
    } catch (e) {
      throw new PickleError('pickle', e instanceof Error ? e.message : String(e))
    }
  }

  for (;;) {
    need(1)
    const op = data[pos++] as number
    switch (op) {
      case PROTO: {
        const v = bytes(1)[0] as number
        if (v > 5) throw new PickleError('pickle', `unsupported pickle protocol ${v}`)
        break
      }
      case FRAME: bytes(8); break // frames are a buffering hint; data is inline
      case STOP: {
        const result = pop()
        return result
      }
      case MARK: metastack.push(stack); stack = []; break
      case POP: pop(); break
      case POP_MARK: popMark(); break
      case DUP: stack.push(top()); break
      case NONE: stack.push(null); break
      case NEWTRUE: stack.push(true); break
      case NEWFALSE: stack.push(false); break
      case BININT: need(4); stack.push(view.getInt32(pos, true)); pos += 4; break
      case BININT1: need(1); stack.push(data[pos++]); break
      case BININT2: need(2); stack.push(view.getUint16(pos, true)); pos += 2; break
      case LONG1: { need(1); const n = data[pos++] as number; stack.push(decodeLong(bytes(n))); break }
      case LONG4: { need(4); const n = view.getInt32(pos, true); pos += 4; if (n < 0) throw new PickleError('pickle', 'negative LONG4 length'); stack.push(decodeLong(bytes(n))); break }
      case INT: stack.push(parseTextInt(line())); break
      case LONG: stack.push(parseTextInt(line())); break
      case BINFLOAT: need(8); stack.push(view.getFloat64(pos, false)); pos += 8; break
      case FLOAT: { const s = line(); const f = Number(s.trim().replace(/^nan$/i, 'NaN').replace(/^(-?)inf$/i, '$1Infinity')); stack.push(f); break }
      case BINUNICODE: { need(4); const n = view.getUint32(pos, true); pos += 4; stack.push(utf8.decode(bytes(n))); break }
      case SHORT_BINUNICODE: { need(1); const n = data[pos++] as number; stack.push(utf8.decode(bytes(n))); break }
      case BINUNICODE8: { need(8); const n = Number(view.getBigUint64(pos, true)); pos += 8; stack.push(utf8.decode(bytes(n))); break }
      case UNICODE: stack.push(decodeRawUnicodeEscape(line())); break
      case SHORT_BINSTRING: { need(1); const n = data[pos++] as number; stack.push(latin1.decode(bytes(n))); break }
      case BINSTRING: { need(4); const n = view.getInt32(pos, true); pos += 4; stack.push(latin1.decode(bytes(n))); break }
      case SHORT_BINBYTES: { need(1); const n = data[pos++] as number; stack.push(bytes(n).slice()); break }
      case BINBYTES: { need(4); const n = view.getUint32(pos, true); pos += 4; stack.push(bytes(n).slice()); break }
      case BINBYTES8:
      case BYTEARRAY8: { need(8); const n = Number(view.getBigUint64(pos, true)); pos += 8; stack.push(bytes(n).slice()); break }
      case EMPTY_LIST: stack.push([]); break
      case EMPTY_DICT: stack.push(new PyDict()); break
      case EMPTY_TUPLE: stack.push(new PyTuple([])); break
      case TUPLE1: { const a = pop(); stack.push(new PyTuple([a as PyValue])); break }
      case TUPLE2: { const b = pop(); const a = pop(); stack.push(new PyTuple([a as PyValue, b as PyValue])); break }
      case TUPLE3: { const c = pop(); const b = pop(); const a = pop(); stack.push(new PyTuple([a as PyValue, b as PyValue, c as PyValue])); break }
      case TUPLE: { const items = popMark(); stack.push(new PyTuple(items as PyValue[])); break }
      case LIST: { const items = popMark(); stack.push(items); break }
      case DICT: {
        const items = popMark()
        const d = new PyDict()
        for (let i = 0; i + 1 < items.length; i += 2) setItem(d, items[i], items[i + 1])
        stack.push(d)
        break
      }
      case APPEND: { const v = pop(); asList(top(), 'APPEND').push(v); break }
      case APPENDS: {
        const items = popMark()
        const list = asList(top(), 'APPENDS')
        for (const v of items) list.push(v)
        break
      }
      case SETITEM: { const v = pop(); const k = pop(); setItem(asDict(top(), 'SETITEM'), k, v); break }
      case SETITEMS: {
        const items = popMark()
        const d = asDict(top(), 'SETITEMS')
        if (items.length % 2 !== 0) throw new PickleError('pickle', 'SETITEMS with an odd number of items')
        for (let i = 0; i < items.length; i += 2) setItem(d, items[i], items[i + 1])
        break
      }
      case BINPUT: need(1); memo[data[pos++] as number] = top(); break
      case LONG_BINPUT: need(4); memo[view.getUint32(pos, true)] = top(); pos += 4; break
      case PUT: memo[Number(line())] = top(); break
      case MEMOIZE: memo.push(top()); break
      case BINGET: need(1); stack.push(memoGet(data[pos++] as number)); break
      case LONG_BINGET: need(4); stack.push(memoGet(view.getUint32(pos, true))); pos += 4; break
      case GET: stack.push(memoGet(Number(line()))); break
      case GLOBAL: { const module = line(); const name = line(); stack.push(hooks.findGlobal(module, name)); break }
      case STACK_GLOBAL: {
        const name = pop()
        const module = pop()
        if (typeof module !== 'string' || typeof name !== 'string') throw new PickleError('pickle', 'STACK_GLOBAL needs two strings')
        stack.push(hooks.findGlobal(module, name))
        break
      }
      case INST: {
        const module = line()
        const name = line()
        const cls = hooks.findGlobal(module, name)
        stack.push(call(cls, popMark(), 'INST'))
        break
      }
      case OBJ: {
        const items = popMark()
        stack.push(call(items[0], items.slice(1), 'OBJ'))
        break
      }
      case REDUCE: { const args = pop(); const fn = pop(); stack.push(call(fn, args, 'REDUCE')); break }
      case NEWOBJ: { const args = pop(); const cls = pop(); stack.push(call(cls, args, 'NEWOBJ')); break }
      case NEWOBJ_EX: {
        const kwargs = pop()
        const args = pop()
        const cls = pop()
        if (!(kwargs instanceof PyDict) || kwargs.size > 0) throw new PickleError('pickle', 'NEWOBJ_EX with keyword arguments is not supported')
        stack.push(call(cls, args, 'NEWOBJ_EX'))
        break
      }
      case BUILD: {
        const state = pop()
        const obj = top()
        // Allow-listed objects carry no Python state worth applying; an empty/None state is what torch emits.
        const empty = state === null || (state instanceof PyDict && state.size === 0) || (state instanceof PyTuple && state.items.every((x) => x === null || (x instanceof PyDict && x.size === 0)))
        if (!empty) throw new PickleError('pickle', `BUILD with state on ${obj === null ? 'None' : typeof obj === 'object' ? obj.constructor.name : typeof obj} is not supported`)
        break
      }
      case BINPERSID: stack.push(hooks.persistentLoad(pop())); break
      case PERSID: stack.push(hooks.persistentLoad(line())); break
      default: {
        const name = OPCODE_NAMES[op]
        throw new PickleError('pickle', name ? `unsupported pickle opcode ${name}` : `unknown pickle opcode 0x${op.toString(16).padStart(2, '0')} at offset ${pos - 1}`)
      }
    }
  }
}
