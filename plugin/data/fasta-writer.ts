import { once } from 'node:events'
import { createWriteStream, type WriteStream } from 'node:fs'
import { finished } from 'node:stream/promises'

export interface FastaWriterOptions {
  /** Bases per line; Biopython (and so V's chunk files) uses 60. 0 means one line per sequence. */
  readonly lineWidth?: number
  /** Bytes gathered before a write; large writes keep syscall count low on 50 MB+ outputs. */
  readonly bufferBytes?: number
}

const NEWLINE = 0x0a
const GT = 0x3e

/** Formats one record into bytes: `>id description\n` then the wrapped sequence. */
export function formatFastaRecord(id: string, description: string, sequence: Uint8Array | string, lineWidth = 60): Buffer {
  const header = Buffer.from(description === '' ? id : `${id} ${description}`, 'utf8')
  const bases = typeof sequence === 'string' ? Buffer.from(sequence, 'latin1') : sequence
  const width = lineWidth > 0 ? lineWidth : Math.max(bases.length, 1)
  const lines = Math.ceil(bases.length / width)
  const out = Buffer.allocUnsafe(header.length + 2 + bases.length + lines)
  let pos = 0
  out[pos++] = GT
  pos += header.copy(out, pos)
  out[pos++] = NEWLINE
  for (let i = 0; i < bases.length; i += width) {
    const end = Math.min(i + width, bases.length)
    out.set(bases.subarray(i, end), pos)
    pos += end - i
    out[pos++] = NEWLINE
  }
  return out
}

/** Streams FASTA records to disk, buffering and honouring backpressure so memory stays flat for any output size. */
export class FastaWriter {
  private readonly stream: WriteStream
  private readonly lineWidth: number
  private readonly buffer: Buffer
  private used = 0
  private failure: Error | undefined

  constructor(path: string, options: FastaWriterOptions = {}) {
    this.lineWidth = options.lineWidth ?? 60
    if (!Number.isSafeInteger(this.lineWidth) || this.lineWidth < 0) {
      throw new RangeError(`lineWidth must be a non-negative integer, got ${this.lineWidth}`)
    }
    this.buffer = Buffer.allocUnsafe(options.bufferBytes ?? 1 << 20)
    this.stream = createWriteStream(path)
    this.stream.on('error', (err) => {
      this.failure ??= err
    })
  }

  /** Resolves once the record is buffered, or after the disk caught up when the stream was full. */
  async write(id: string, description: string, sequence: Uint8Array | string): Promise<void> {
    if (this.failure) throw this.failure
    const bytes = formatFastaRecord(id, description, sequence, this.lineWidth)
    if (this.used + bytes.length > this.buffer.length) await this.flush()
    if (bytes.length > this.buffer.length) {
      await this.push(bytes)
      return
    }
    bytes.copy(this.buffer, this.used)
    this.used += bytes.length
  }

  async close(): Promise<void> {
    await this.flush()
    this.stream.end()
    await finished(this.stream)
    if (this.failure) throw this.failure
  }

  private async flush(): Promise<void> {
    if (this.used === 0) return
    // Copy out: the stream keeps a reference to what it was given until it hits the disk.
    const chunk = Buffer.from(this.buffer.subarray(0, this.used))
    this.used = 0
    await this.push(chunk)
  }

  private async push(chunk: Buffer): Promise<void> {
    if (!this.stream.write(chunk)) await once(this.stream, 'drain')
    if (this.failure) throw this.failure
  }
}

/** Writes records to `path` (60-column wrap unless told otherwise) and resolves when they are on disk. */
export async function writeFasta(
  path: string,
  records: AsyncIterable<{ id: string; description: string; sequence: string }> | Iterable<{ id: string; description: string; sequence: string }>,
  options: FastaWriterOptions = {},
): Promise<number> {
  const writer = new FastaWriter(path, options)
  let count = 0
  try {
    for await (const record of records) {
      await writer.write(record.id, record.description, record.sequence)
      count++
    }
  } finally {
    await writer.close()
  }
  return count
}
