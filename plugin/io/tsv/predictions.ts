import { createReadStream } from 'node:fs'
import { readFile } from 'node:fs/promises'
import type { HighestScoreFile, HighestScoreRow, PredictionRow, VanillaHighestScoreRow } from './rows.ts'
import { ConsensusTable, PredictionTable } from './tables.ts'

/**
 * Readers for VirNucPro's two tab-separated outputs (contract §2.3/2.4). Headers are checked exactly so that a
 * format drift in the pipeline fails loudly instead of mis-assigning columns.
 */

export const PREDICTION_HEADER = ['Sequence_ID', 'Prediction', 'score1', 'score2'] as const
export const HIGHEST_SCORE_HEADER = ['Modified_ID', 'Is_Virus', 'max_score_0', 'max_score_1'] as const
export const VANILLA_HIGHEST_SCORE_HEADER = ['Modified_ID', 'Is_Virus'] as const

/** Malformed TSV content; `line` and `column` are 1-based (column 0 = the whole line). */
export class TsvFormatError extends Error {
  override readonly name = 'TsvFormatError'
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly detail: string,
  ) {
    super(`${file}:${line}${column > 0 ? `:${column}` : ''}: ${detail}`)
  }
}

// Python float repr plus the spellings Python and pandas use for non-finite values.
const FLOAT_RE = /^[-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)$/
const NON_FINITE: Readonly<Record<string, number>> = { nan: NaN, NaN: NaN, inf: Infinity, '-inf': -Infinity, Infinity: Infinity, '-Infinity': -Infinity }

interface Cursor { file: string; line: number }

function parseFloatCell(s: string, at: Cursor, col: number, name: string, allowEmpty: boolean): number {
  if (FLOAT_RE.test(s)) return Number(s)
  const nf = NON_FINITE[s]
  if (nf !== undefined) return nf
  // pandas writes NaN as an empty cell in to_csv.
  if (allowEmpty && s === '') return NaN
  throw new TsvFormatError(at.file, at.line, col, `${name}: '${s}' is not a number`)
}

function parseBoolCell(s: string, at: Cursor, col: number): boolean {
  if (s === 'True') return true
  if (s === 'False') return false
  throw new TsvFormatError(at.file, at.line, col, `Is_Virus: expected True or False, got '${s}'`)
}

function nonEmptyId(s: string, at: Cursor, name: string): string {
  if (s === '') throw new TsvFormatError(at.file, at.line, 1, `${name} is empty`)
  return s
}

/** Splits into lines (LF or CRLF, optional BOM, one optional trailing newline). */
function splitLines(text: string): string[] {
  const t = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  const lines = t.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l))
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop()
  return lines
}

function checkHeader(file: string, line: string | undefined, expected: readonly string[]): void {
  if (line === undefined) throw new TsvFormatError(file, 1, 0, `empty file (expected header '${expected.join('\\t')}')`)
  const got = line.split('\t')
  expected.forEach((name, i) => {
    if (got[i] !== name) throw new TsvFormatError(file, 1, i + 1, `header column ${i + 1}: expected '${name}', got '${got[i] ?? '(missing)'}'`)
  })
  if (got.length !== expected.length) throw new TsvFormatError(file, 1, expected.length + 1, `header has ${got.length} columns, expected ${expected.length}`)
}

function cells(line: string): string[] {
  return line.split('\t')
}

function checkCells(c: readonly string[], n: number, at: Cursor): readonly string[] {
  if (c.length === 1 && c[0] === '') throw new TsvFormatError(at.file, at.line, 0, 'blank line')
  if (c.length !== n) throw new TsvFormatError(at.file, at.line, Math.min(c.length, n) + 1, `expected ${n} tab-separated columns, got ${c.length}`)
  return c
}

function predictionFromCells(c: readonly string[], at: Cursor): PredictionRow {
  const [id = '', pred = '', s1 = '', s2 = ''] = checkCells(c, 4, at)
  if (pred !== 'virus' && pred !== 'others') throw new TsvFormatError(at.file, at.line, 2, `Prediction: expected virus or others, got '${pred}'`)
  return {
    sequenceId: nonEmptyId(id, at, 'Sequence_ID'),
    prediction: pred,
    score1: parseFloatCell(s1, at, 3, 'score1', false),
    score2: parseFloatCell(s2, at, 4, 'score2', false),
  }
}

/** Rows one at a time, so a million-row file can go straight into a column table. */
export function* predictionRows(text: string, file = '<text>'): Generator<PredictionRow> {
  const lines = splitLines(text)
  checkHeader(file, lines[0], PREDICTION_HEADER)
  for (let i = 1; i < lines.length; i++) yield predictionFromCells(cells(lines[i] as string), { file, line: i + 1 })
}

export function parsePredictionResults(text: string, file = '<text>'): PredictionRow[] {
  return [...predictionRows(text, file)]
}

/** Detects the optimised (4-column) or vanilla (2-column) form from the header. */
export function parseHighestScore(text: string, file = '<text>'): HighestScoreFile {
  const lines = splitLines(text)
  const vanilla = consensusHeader(file, lines[0])
  const rows = lines.slice(1).map((l, k) => highestScoreFromCells(cells(l), vanilla, { file, line: k + 2 }))
  return vanilla ? { form: 'vanilla', rows } : { form: 'optimised', rows: rows as HighestScoreRow[] }
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8')
  } catch (e) {
    throw new TsvFormatError(path, 0, 0, `cannot read file: ${e instanceof Error ? e.message : String(e)}`)
  }
}

export async function readPredictionResults(path: string): Promise<PredictionRow[]> {
  return parsePredictionResults(await readText(path), path)
}

export async function readHighestScore(path: string): Promise<HighestScoreFile> {
  return parseHighestScore(await readText(path), path)
}

/** Either form of the consensus file as a column table of (Modified_ID, Is_Virus), the part both forms share. */
export function parseConsensusTable(text: string, file = '<text>'): ConsensusTable {
  return ConsensusTable.from(consensusLabels(text, file))
}

/** (Modified_ID, Is_Virus) of either form one row at a time; the optimised form's scores are still validated. */
export function* consensusLabels(text: string, file = '<text>'): Generator<VanillaHighestScoreRow> {
  const lines = splitLines(text)
  const vanilla = consensusHeader(file, lines[0])
  for (let i = 1; i < lines.length; i++) yield highestScoreFromCells(cells(lines[i] as string), vanilla, { file, line: i + 1 })
}

/** Checks either header; true for the vanilla 2-column form. */
function consensusHeader(file: string, header: string | undefined): boolean {
  const vanilla = header !== undefined && header.split('\t').length === 2
  checkHeader(file, header, vanilla ? VANILLA_HIGHEST_SCORE_HEADER : HIGHEST_SCORE_HEADER)
  return vanilla
}

/** A consensus row of either form; the optimised form's scores come along (the table keeps only id and label). */
function highestScoreFromCells(c: readonly string[], vanilla: boolean, at: Cursor): VanillaHighestScoreRow | HighestScoreRow {
  const [id = '', v = '', m0 = '', m1 = ''] = checkCells(c, vanilla ? 2 : 4, at)
  const label = { modifiedId: nonEmptyId(id, at, 'Modified_ID'), isVirus: parseBoolCell(v, at, 2) }
  if (vanilla) return label
  return { ...label, maxScore0: parseFloatCell(m0, at, 3, 'max_score_0', true), maxScore1: parseFloatCell(m1, at, 4, 'max_score_1', true) }
}

/** One line's cells; `line` is 1-based. */
interface TsvLine {
  line: number
  cells: string[]
}

/**
 * A file's lines as cells, read in chunks. Each cell is decoded from the bytes on its own, so an id held by a
 * table is a string of its own length, not a slice that keeps its whole line (or the whole file) alive.
 */
async function* fileLines(path: string): AsyncGenerator<TsvLine> {
  let rest: Buffer = Buffer.alloc(0)
  let line = 0
  const stream = createReadStream(path)
  const chunks = stream[Symbol.asyncIterator]()
  try {
    for (;;) {
      let next: IteratorResult<Buffer>
      try {
        next = (await chunks.next()) as IteratorResult<Buffer>
      } catch (e) {
        throw new TsvFormatError(path, 0, 0, `cannot read file: ${e instanceof Error ? e.message : String(e)}`)
      }
      if (next.done) break
      const buf = rest.length > 0 ? Buffer.concat([rest, next.value]) : next.value
      let start = 0
      for (let nl = buf.indexOf(10, start); nl !== -1; nl = buf.indexOf(10, start)) {
        line++
        yield { line, cells: cellsOf(buf, start, nl, line === 1) }
        start = nl + 1
      }
      rest = Buffer.from(buf.subarray(start))
    }
    if (rest.length > 0) yield { line: line + 1, cells: cellsOf(rest, 0, rest.length, line === 0) }
  } finally {
    stream.destroy()
  }
}

function cellsOf(buf: Buffer, start: number, end: number, first: boolean): string[] {
  let a = first && buf[start] === 0xef && buf[start + 1] === 0xbb && buf[start + 2] === 0xbf ? start + 3 : start
  const stop = end > a && buf[end - 1] === 13 ? end - 1 : end
  const out: string[] = []
  for (let tab = buf.indexOf(9, a); tab !== -1 && tab < stop; tab = buf.indexOf(9, a)) {
    out.push(buf.toString('utf8', a, tab))
    a = tab + 1
  }
  out.push(buf.toString('utf8', a, stop))
  return out
}

/** prediction_results.txt streamed into a column table (bounded memory besides the table itself). */
export async function readPredictionTable(path: string): Promise<PredictionTable> {
  const table = new PredictionTable()
  let header = false
  for await (const l of fileLines(path)) {
    if (!header) {
      checkHeader(path, l.cells.join('\t'), PREDICTION_HEADER)
      header = true
    } else table.push(predictionFromCells(l.cells, { file: path, line: l.line }))
  }
  if (!header) checkHeader(path, undefined, PREDICTION_HEADER)
  return table
}

/** Either consensus form streamed into a column table of (Modified_ID, Is_Virus). */
export async function readConsensusTable(path: string): Promise<ConsensusTable> {
  const table = new ConsensusTable()
  let vanilla: boolean | null = null
  for await (const l of fileLines(path)) {
    if (vanilla === null) vanilla = consensusHeader(path, l.cells.join('\t'))
    else table.push(highestScoreFromCells(l.cells, vanilla, { file: path, line: l.line }))
  }
  if (vanilla === null) consensusHeader(path, undefined)
  return table
}
