import { closeSync, fstatSync, openSync, readSync } from 'node:fs'

/**
 * Random access to a file's bytes. The eager reader serves views into one in-memory buffer (no copies);
 * the lazy reader does positioned reads so only the records actually touched are ever in memory.
 */
export interface ByteSource {
  readonly name: string
  readonly size: number
  /** Bytes [offset, offset+length). May be a view of a shared buffer: callers must not mutate it. */
  read(offset: number, length: number): Uint8Array
  close(): void
}

export class BufferSource implements ByteSource {
  readonly size: number
  constructor(
    readonly buf: Uint8Array,
    readonly name: string,
  ) {
    this.size = buf.byteLength
  }
  read(offset: number, length: number): Uint8Array {
    if (offset < 0 || length < 0 || offset + length > this.size) throw new RangeError(`read past end (${offset}+${length} > ${this.size})`)
    return this.buf.subarray(offset, offset + length)
  }
  close(): void {}
}

/** Synchronous positioned reads keep tensor accessors synchronous even in lazy mode. */
export class FileSource implements ByteSource {
  readonly size: number
  private fd: number | null
  constructor(readonly name: string) {
    this.fd = openSync(name, 'r')
    this.size = fstatSync(this.fd).size
  }
  read(offset: number, length: number): Uint8Array {
    if (this.fd === null) throw new Error(`${this.name}: file already closed`)
    if (offset < 0 || length < 0 || offset + length > this.size) throw new RangeError(`read past end (${offset}+${length} > ${this.size})`)
    // Allocate a fresh ArrayBuffer (not the Buffer pool) so typed-array views are always aligned.
    const out = new Uint8Array(length)
    let done = 0
    while (done < length) {
      const n = readSync(this.fd, out, done, length - done, offset + done)
      if (n === 0) throw new RangeError(`unexpected end of file at ${offset + done}`)
      done += n
    }
    return out
  }
  close(): void {
    if (this.fd !== null) closeSync(this.fd)
    this.fd = null
  }
}
