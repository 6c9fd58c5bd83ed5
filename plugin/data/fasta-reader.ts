import { createReadStream } from 'node:fs'
import { open } from 'node:fs/promises'
import { createInterface } from 'node:readline'
import type { Readable } from 'node:stream'
import { createGunzip } from 'node:zlib'
import { splitHeader, type SequenceFormat, type SequenceRecord } from './sequence-record.ts'

export class SequenceParseError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    detail: string,
  ) {
    super(`${file}:${line}: ${detail}`)
    this.name = 'SequenceParseError'
  }
}

export interface ReadSequencesOptions {
  /** Force a format instead of detecting it from the first non-blank line. */
  readonly format?: SequenceFormat
  /** Sees every raw (still compressed) byte of the file, e.g. to hash it in the same pass. */
  readonly onRawChunk?: (chunk: Buffer) => void
}

// Letters plus the gap/stop symbols some tools emit; anything else (digits, '>', control bytes) means a broken file.
const SEQUENCE_LINE = /^[A-Za-z*.-]*$/

async function isGzip(path: string): Promise<boolean> {
  const handle = await open(path, 'r')
  try {
    const magic = Buffer.alloc(2)
    const { bytesRead } = await handle.read(magic, 0, 2, 0)
    return bytesRead === 2 && magic[0] === 0x1f && magic[1] === 0x8b
  } finally {
    await handle.close()
  }
}

/** gzip is detected from the magic bytes, so `.fa.gz` and misnamed files both work. */
export async function isGzipFile(path: string): Promise<boolean> {
  return isGzip(path)
}

async function* numberedLines(path: string, options: ReadSequencesOptions): AsyncGenerator<[string, number]> {
  // Decide on gzip before the stream exists: a 'data' listener starts the flow, and nothing may be emitted before
  // the line reader is attached.
  const gzip = await isGzip(path)
  const raw = createReadStream(path)
  if (options.onRawChunk) {
    const tap = options.onRawChunk
    raw.on('data', (chunk) => tap(typeof chunk === 'string' ? Buffer.from(chunk) : chunk))
  }
  let source: Readable = raw
  if (gzip) {
    const gunzip = createGunzip()
    raw.on('error', (err) => gunzip.destroy(err))
    source = raw.pipe(gunzip)
  }
  // readline splits on \n, \r\n and lone \r; the trailing-\r strip below is belt and braces.
  const lines = createInterface({ input: source, crlfDelay: Infinity })
  let lineNumber = 0
  try {
    for await (const line of lines) {
      lineNumber++
      yield [line.endsWith('\r') ? line.slice(0, -1) : line, lineNumber]
    }
  } finally {
    lines.close()
    raw.destroy()
  }
}

function cleanSequenceLine(file: string, lineNumber: number, line: string): string {
  const bases = line.replace(/[ \t]+/g, '')
  if (!SEQUENCE_LINE.test(bases)) {
    const bad = /[^A-Za-z*.-]/.exec(bases)?.[0] ?? '?'
    throw new SequenceParseError(file, lineNumber, `unexpected character ${JSON.stringify(bad)} in sequence line`)
  }
  return bases
}

async function* parseFasta(
  file: string,
  lines: AsyncGenerator<[string, number]>,
  first: [string, number],
): AsyncGenerator<SequenceRecord> {
  let header: { id: string; description: string } | undefined
  let parts: string[] = []
  const take = ([line, lineNumber]: [string, number]): SequenceRecord | undefined => {
    if (line.startsWith('>')) {
      const done = header ? { ...header, sequence: parts.join('') } : undefined
      header = splitHeader(line.slice(1))
      if (header.id === '') throw new SequenceParseError(file, lineNumber, 'empty FASTA header')
      parts = []
      return done
    }
    if (line.trim() === '') return undefined
    if (!header) throw new SequenceParseError(file, lineNumber, "sequence data before the first '>' header")
    parts.push(cleanSequenceLine(file, lineNumber, line))
    return undefined
  }
  const firstRecord = take(first)
  if (firstRecord) yield firstRecord
  for await (const entry of lines) {
    const record = take(entry)
    if (record) yield record
  }
  if (header) yield { ...header, sequence: parts.join('') }
}

/** Strict 4-line FASTQ (what sequencers write); quality lines may start with '@', so no multi-line guessing. */
async function* parseFastq(
  file: string,
  lines: AsyncGenerator<[string, number]>,
  first: [string, number],
): AsyncGenerator<SequenceRecord> {
  let pending: [string, number] | undefined = first
  const next = async (): Promise<[string, number] | undefined> => {
    if (pending) {
      const value = pending
      pending = undefined
      return value
    }
    const result = await lines.next()
    return result.done ? undefined : result.value
  }
  for (;;) {
    let headerEntry = await next()
    while (headerEntry && headerEntry[0].trim() === '') headerEntry = await next()
    if (!headerEntry) return
    const [headerLine, headerNumber] = headerEntry
    if (!headerLine.startsWith('@')) {
      throw new SequenceParseError(file, headerNumber, `expected a FASTQ header starting with '@', got ${JSON.stringify(headerLine.slice(0, 20))}`)
    }
    const header = splitHeader(headerLine.slice(1))
    if (header.id === '') throw new SequenceParseError(file, headerNumber, 'empty FASTQ header')
    const sequenceEntry = await next()
    const plusEntry = await next()
    const qualityEntry = await next()
    if (!sequenceEntry || !plusEntry || !qualityEntry) {
      throw new SequenceParseError(file, headerNumber, `truncated FASTQ record '${header.id}' (needs 4 lines)`)
    }
    const sequence = cleanSequenceLine(file, sequenceEntry[1], sequenceEntry[0])
    if (!plusEntry[0].startsWith('+')) {
      throw new SequenceParseError(file, plusEntry[1], `expected '+' separator line in FASTQ record '${header.id}'`)
    }
    if (qualityEntry[0].length !== sequence.length) {
      throw new SequenceParseError(
        file,
        qualityEntry[1],
        `quality length ${qualityEntry[0].length} differs from sequence length ${sequence.length} in '${header.id}'`,
      )
    }
    yield { ...header, sequence }
  }
}

/**
 * Streams records from a FASTA or FASTQ file (optionally gzip-compressed). FASTQ records come out as plain
 * sequence records, qualities dropped. Holds one record in memory at a time.
 */
export async function* readSequences(path: string, options: ReadSequencesOptions = {}): AsyncGenerator<SequenceRecord> {
  const lines = numberedLines(path, options)
  try {
    let first = await lines.next()
    while (!first.done && first.value[0].trim() === '') first = await lines.next()
    if (first.done) return
    const format = options.format ?? detectFormat(path, first.value)
    yield* format === 'fasta' ? parseFasta(path, lines, first.value) : parseFastq(path, lines, first.value)
  } finally {
    await lines.return(undefined)
  }
}

function detectFormat(file: string, [line, lineNumber]: [string, number]): SequenceFormat {
  if (line.startsWith('>')) return 'fasta'
  if (line.startsWith('@')) return 'fastq'
  throw new SequenceParseError(file, lineNumber, `not FASTA or FASTQ: expected '>' or '@', got ${JSON.stringify(line.slice(0, 20))}`)
}

/** The format of a file, from its first non-blank line. */
export async function detectSequenceFormat(path: string): Promise<SequenceFormat> {
  const lines = numberedLines(path, {})
  try {
    for await (const entry of lines) {
      if (entry[0].trim() !== '') return detectFormat(path, entry)
    }
    throw new SequenceParseError(path, 0, 'empty file: no FASTA or FASTQ records')
  } finally {
    await lines.return(undefined)
  }
}
