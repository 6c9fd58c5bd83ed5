import { inflateSync } from 'fflate'
import type { ByteSource } from './byte-source.ts'

/**
 * Minimal zip central-directory reader. torch.save writes entries STORED and 64-byte aligned, so parsing the
 * directory ourselves lets us slice storages in place instead of inflating/copying every entry (fflate's unzipSync
 * would copy the whole archive). fflate is still used for the rare DEFLATE entry.
 */
export interface ZipEntry {
  readonly name: string
  readonly method: number
  readonly compressedSize: number
  readonly size: number
  readonly localHeaderOffset: number
}

export class ZipFormatError extends Error {
  constructor(
    readonly kind: 'not-zip' | 'truncated' | 'unsupported',
    message: string,
  ) {
    super(message)
  }
}

const EOCD_SIG = 0x06054b50
const ZIP64_LOCATOR_SIG = 0x07064b50
const ZIP64_EOCD_SIG = 0x06064b50
const CDH_SIG = 0x02014b50
const LFH_SIG = 0x04034b50
const MAX_EOCD_SEARCH = 22 + 0xffff

function dv(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength)
}

function u64(view: DataView, at: number): number {
  const v = view.getBigUint64(at, true)
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipFormatError('unsupported', 'zip64 size beyond 2^53')
  return Number(v)
}

export function readCentralDirectory(src: ByteSource): ZipEntry[] {
  if (src.size < 22) throw new ZipFormatError(src.size >= 4 && isLocalHeader(src) ? 'truncated' : 'not-zip', 'file too small for a zip archive')
  const tailLen = Math.min(src.size, MAX_EOCD_SEARCH)
  const tailStart = src.size - tailLen
  const tail = src.read(tailStart, tailLen)
  const tv = dv(tail)
  let eocd = -1
  for (let i = tailLen - 22; i >= 0; i--) {
    if (tv.getUint32(i, true) === EOCD_SIG) {
      eocd = i
      break
    }
  }
  if (eocd < 0) {
    throw new ZipFormatError(isLocalHeader(src) ? 'truncated' : 'not-zip', isLocalHeader(src) ? 'zip end-of-central-directory record missing (file truncated?)' : 'not a zip archive')
  }
  let count = tv.getUint16(eocd + 10, true)
  let cdSize = tv.getUint32(eocd + 12, true)
  let cdOffset = tv.getUint32(eocd + 16, true)
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const locAt = eocd - 20
    if (locAt < 0 || tv.getUint32(locAt, true) !== ZIP64_LOCATOR_SIG) throw new ZipFormatError('truncated', 'zip64 locator missing')
    const z64Offset = u64(tv, locAt + 8)
    if (z64Offset + 56 > src.size) throw new ZipFormatError('truncated', 'zip64 end record past end of file')
    const z = dv(src.read(z64Offset, 56))
    if (z.getUint32(0, true) !== ZIP64_EOCD_SIG) throw new ZipFormatError('truncated', 'zip64 end record signature mismatch')
    count = u64(z, 32)
    cdSize = u64(z, 40)
    cdOffset = u64(z, 48)
  }
  if (cdOffset + cdSize > src.size) throw new ZipFormatError('truncated', 'central directory extends past end of file')
  const cd = src.read(cdOffset, cdSize)
  const cv = dv(cd)
  const decoder = new TextDecoder()
  const entries: ZipEntry[] = []
  let p = 0
  for (let i = 0; i < count; i++) {
    if (p + 46 > cdSize || cv.getUint32(p, true) !== CDH_SIG) throw new ZipFormatError('truncated', `central directory entry ${i} is damaged`)
    const method = cv.getUint16(p + 10, true)
    let compressedSize = cv.getUint32(p + 20, true)
    let size = cv.getUint32(p + 24, true)
    const nameLen = cv.getUint16(p + 28, true)
    const extraLen = cv.getUint16(p + 30, true)
    const commentLen = cv.getUint16(p + 32, true)
    let localHeaderOffset = cv.getUint32(p + 42, true)
    const name = decoder.decode(cd.subarray(p + 46, p + 46 + nameLen))
    // Zip64 extra field (id 1) carries, in order, only those fields whose 32-bit slot is saturated.
    let e = p + 46 + nameLen
    const eEnd = e + extraLen
    while (e + 4 <= eEnd) {
      const id = cv.getUint16(e, true)
      const len = cv.getUint16(e + 2, true)
      if (id === 1) {
        let q = e + 4
        if (size === 0xffffffff) { size = u64(cv, q); q += 8 }
        if (compressedSize === 0xffffffff) { compressedSize = u64(cv, q); q += 8 }
        if (localHeaderOffset === 0xffffffff) { localHeaderOffset = u64(cv, q); q += 8 }
      }
      e += 4 + len
    }
    entries.push({ name, method, compressedSize, size, localHeaderOffset })
    p = eEnd + commentLen
  }
  return entries
}

function isLocalHeader(src: ByteSource): boolean {
  return src.size >= 4 && dv(src.read(0, 4)).getUint32(0, true) === LFH_SIG
}

/** Absolute file offset of an entry's data (local header names/extras may differ from the central ones). */
export function entryDataOffset(src: ByteSource, entry: ZipEntry): number {
  if (entry.localHeaderOffset + 30 > src.size) throw new ZipFormatError('truncated', `local header of ${entry.name} past end of file`)
  const h = dv(src.read(entry.localHeaderOffset, 30))
  if (h.getUint32(0, true) !== LFH_SIG) throw new ZipFormatError('truncated', `local header of ${entry.name} is damaged`)
  const start = entry.localHeaderOffset + 30 + h.getUint16(26, true) + h.getUint16(28, true)
  if (start + entry.compressedSize > src.size) throw new ZipFormatError('truncated', `record ${entry.name} extends past end of file`)
  return start
}

/** Reads an entry's bytes: a view (stored) or a fresh inflated buffer (deflated). */
export function readEntry(src: ByteSource, entry: ZipEntry): Uint8Array {
  const start = entryDataOffset(src, entry)
  const raw = src.read(start, entry.compressedSize)
  if (entry.method === 0) return raw
  if (entry.method === 8) {
    const out = inflateSync(raw, { out: new Uint8Array(entry.size) })
    return out
  }
  throw new ZipFormatError('unsupported', `record ${entry.name} uses unsupported zip method ${entry.method}`)
}
