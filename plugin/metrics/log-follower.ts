/** Tails a log file as the pipeline writes it (the runner sends the child's output straight to files). */
import { open, type FileHandle } from 'node:fs/promises'
import { StringDecoder } from 'node:string_decoder'
import { LineSplitter } from './nvidia-smi-parser.ts'

const CHUNK_BYTES = 1 << 16

export class LogFollower {
  private offset = 0
  private timer: NodeJS.Timeout | null = null
  private readonly decoder = new StringDecoder('utf8')
  private readonly splitter = new LineSplitter()
  private reading: Promise<void> = Promise.resolve()

  constructor(
    readonly path: string,
    private readonly onLine: (line: string) => void,
    private readonly intervalMs = 250,
  ) {}

  start(): void {
    if (this.timer !== null) return
    this.timer = setInterval(() => void this.poll(), this.intervalMs)
    this.timer.unref()
  }

  poll(): Promise<void> {
    this.reading = this.reading.then(() => this.readNew())
    return this.reading
  }

  /** Reads whatever is left and emits the last, unterminated line too. */
  async stop(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer)
    this.timer = null
    await this.poll()
    for (const line of this.splitter.push(this.decoder.end())) this.onLine(line)
    for (const line of this.splitter.flush()) this.onLine(line)
  }

  private async readNew(): Promise<void> {
    let handle: FileHandle
    try {
      handle = await open(this.path, 'r')
    } catch {
      return
    }
    try {
      const buffer = Buffer.alloc(CHUNK_BYTES)
      for (;;) {
        const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, this.offset)
        if (bytesRead === 0) break
        this.offset += bytesRead
        for (const line of this.splitter.push(this.decoder.write(buffer.subarray(0, bytesRead)))) this.onLine(line)
      }
    } finally {
      await handle.close()
    }
  }
}
