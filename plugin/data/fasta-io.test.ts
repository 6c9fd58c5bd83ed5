import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { detectSequenceFormat, readSequences, SequenceParseError } from './fasta-reader.ts'
import { FastaWriter, formatFastaRecord, writeFasta } from './fasta-writer.ts'
import type { SequenceRecord } from './sequence-record.ts'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fasta-io-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function collect(path: string): Promise<SequenceRecord[]> {
  const records: SequenceRecord[] = []
  for await (const record of readSequences(path)) records.push(record)
  return records
}

async function fileWith(name: string, content: string | Buffer): Promise<string> {
  const path = join(dir, name)
  await writeFile(path, content)
  return path
}

describe('readSequences', () => {
  it('reads FASTA with CRLF, blank lines, lower case, descriptions and wrapped lines', async () => {
    const path = await fileWith('a.fa', '\r\n>seq1 first one\r\nACGT\r\nacgn\r\n\r\n>seq2\r\n\r\nTTTT\r\n>empty desc here\r\n')
    expect(await collect(path)).toEqual([
      { id: 'seq1', description: 'first one', sequence: 'ACGTacgn' },
      { id: 'seq2', description: '', sequence: 'TTTT' },
      { id: 'empty', description: 'desc here', sequence: '' },
    ])
  })

  it('converts FASTQ to records, dropping qualities (which may start with @)', async () => {
    const path = await fileWith('r.fq', '@r1 lane=1\nACGTN\n+\n@@@@!\n\n@r2\nGG\n+r2\nII\n')
    expect(await collect(path)).toEqual([
      { id: 'r1', description: 'lane=1', sequence: 'ACGTN' },
      { id: 'r2', description: '', sequence: 'GG' },
    ])
    expect(await detectSequenceFormat(path)).toBe('fastq')
  })

  it('reads gzip-compressed input, detected by magic bytes', async () => {
    const path = await fileWith('z.fa.gz', gzipSync('>z\nACGT\nAC\n'))
    expect(await collect(path)).toEqual([{ id: 'z', description: '', sequence: 'ACGTAC' }])
  })

  it('with the format forced, names sequence data before the first header', async () => {
    const path = await fileWith('forced.fa', '\nACGT\n>x\n')
    const read = async (): Promise<void> => {
      for await (const _ of readSequences(path, { format: 'fasta' })) void _
    }
    await expect(read()).rejects.toThrow(`${path}:2: sequence data before the first '>' header`)
  })

  it('yields nothing for an empty file', async () => {
    expect(await collect(await fileWith('empty.fa', '\n\n'))).toEqual([])
  })

  it.each([
    ['before.fa', 'ACGT\n>x\nAC\n', 1, /not FASTA or FASTQ: expected '>' or '@', got "ACGT"/],
    ['badchar.fa', '>x\nAC\nAC1T\n', 3, /unexpected character "1"/],
    ['noformat.txt', '\nhello\n', 2, /not FASTA or FASTQ/],
    ['noplus.fq', '@r1\nACGT\nIIII\nIIII\n', 3, /expected '\+' separator/],
    ['qual.fq', '@r1\nACGT\n+\nIII\n', 4, /quality length 3 differs from sequence length 4/],
    ['trunc.fq', '@r1\nACGT\n+\n', 1, /truncated FASTQ record 'r1'/],
    ['header.fq', '@r1\nA\n+\nI\nr2\nA\n+\nI\n', 5, /expected a FASTQ header/],
  ])('rejects malformed %s naming the file and line', async (name, content, line, message) => {
    const path = await fileWith(name, content)
    const error = await collect(path).then(
      () => undefined,
      (err: unknown) => err,
    )
    expect(error).toBeInstanceOf(SequenceParseError)
    expect((error as SequenceParseError).line).toBe(line)
    expect((error as Error).message).toMatch(message)
    expect((error as Error).message.startsWith(`${path}:${line}: `)).toBe(true)
  })
})

describe('FASTA writer', () => {
  it('wraps at the requested width, Biopython style', () => {
    const bytes = formatFastaRecord('id', 'desc', 'A'.repeat(130), 60)
    expect(bytes.toString()).toBe(`>id desc\n${'A'.repeat(60)}\n${'A'.repeat(60)}\n${'A'.repeat(10)}\n`)
    expect(formatFastaRecord('id', '', 'ACGT', 80).toString()).toBe('>id\nACGT\n')
    expect(formatFastaRecord('id', '', '', 60).toString()).toBe('>id\n')
    expect(formatFastaRecord('id', '', 'ACGTACGT', 0).toString()).toBe('>id\nACGTACGT\n')
  })

  it('round-trips many records through a small buffer (backpressure path)', async () => {
    const path = join(dir, 'roundtrip.fa')
    const records = Array.from({ length: 2000 }, (_, i) => ({ id: `r${i}`, description: `n=${i}`, sequence: 'ACGT'.repeat(1 + (i % 50)) }))
    const writer = new FastaWriter(path, { lineWidth: 80, bufferBytes: 256 })
    for (const r of records) await writer.write(r.id, r.description, r.sequence)
    await writer.close()
    expect(await collect(path)).toEqual(records)
  })

  it('writeFasta streams an async iterable and counts records', async () => {
    const path = join(dir, 'stream.fa')
    async function* source(): AsyncGenerator<SequenceRecord> {
      yield { id: 'a', description: '', sequence: 'AC' }
      yield { id: 'b', description: 'x y', sequence: 'GT' }
    }
    expect(await writeFasta(path, source())).toBe(2)
    expect(await readFile(path, 'utf8')).toBe('>a\nAC\n>b x y\nGT\n')
  })
})
