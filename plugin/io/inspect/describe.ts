import { open } from 'node:fs/promises'
import { extname } from 'node:path'
import { type DataType, FixedSizeList, type Table, tableFromIPC, Type, type Vector } from 'apache-arrow'
import { readFile } from 'node:fs/promises'
import { type DType, type NativeArray, openPt, PyDict, PyGlobal, PyTuple, pyKeyString, type PyValue, pyTypeName, Tensor, tensorSummary, pyJsonChunks } from '../torch/index.ts'
import { flattenFloat32Lists } from '../arrow/index.ts'
import { readHighestScore, readPredictionResults } from '../tsv/predictions.ts'
import type { HighestScoreFile, PredictionRow } from '../tsv/rows.ts'
import { summariseFasta } from './fasta-summary.ts'

/** What `scripts/inspect.ts` can print. Detection is by content first (magic bytes / header), then extension. */
export type FileKind = 'pt' | 'arrow' | 'prediction-results' | 'highest-score' | 'fasta'

export interface InspectOptions {
  json: boolean
  summary: boolean
}

export class InspectError extends Error {
  override readonly name = 'InspectError'
}

export async function detectKind(path: string): Promise<FileKind> {
  let head: Uint8Array
  try {
    const fh = await open(path, 'r')
    try {
      const buf = new Uint8Array(64)
      const { bytesRead } = await fh.read(buf, 0, 64, 0)
      head = buf.subarray(0, bytesRead)
    } finally {
      await fh.close()
    }
  } catch (e) {
    throw new InspectError(`${path}: cannot read file: ${e instanceof Error ? e.message : String(e)}`)
  }
  const text = new TextDecoder('latin1').decode(head)
  if (text.startsWith('PK\x03\x04') || head[0] === 0x80) return 'pt'
  if (text.startsWith('ARROW1')) return 'arrow'
  if (text.startsWith('Sequence_ID\t')) return 'prediction-results'
  if (text.startsWith('Modified_ID\t')) return 'highest-score'
  if (text.startsWith('>')) return 'fasta'
  const ext = extname(path).toLowerCase()
  if (ext === '.pt' || ext === '.pth') return 'pt'
  if (ext === '.arrow' || ext === '.feather') return 'arrow'
  if (['.fa', '.fasta', '.faa', '.fna', '.ffn'].includes(ext)) return 'fasta'
  if (path.endsWith('prediction_results.txt')) return 'prediction-results'
  if (path.endsWith('_highestscore.csv')) return 'highest-score'
  throw new InspectError(`${path}: unrecognised file type (expected .pt, .arrow, prediction_results*.{txt,csv} or FASTA)`)
}

/** Inspects a file, streaming text through `write`. Reader errors (PtReadError, TsvFormatError, …) propagate. */
/** Receives output chunks; may return a promise to apply back-pressure (stdout to a slow pipe). */
export type ChunkWriter = (chunk: string) => void | Promise<void>

export async function inspectFile(path: string, opts: InspectOptions, write: ChunkWriter): Promise<void> {
  const kind = await detectKind(path)
  switch (kind) {
    case 'pt': {
      // Lazy open: a 130 MB merged file is printed block by block, never held whole.
      const archive = await openPt(path)
      try {
        if (opts.json) for (const c of pyJsonChunks(archive.value, { summary: opts.summary })) await write(c)
        else await write(describePy(archive.value, opts.summary))
      } finally {
        archive.close()
      }
      break
    }
    case 'arrow': await inspectArrow(path, opts, write); break
    case 'prediction-results': {
      const rows = await readPredictionResults(path)
      await write(opts.json ? JSON.stringify(predictionJson(rows, opts.summary)) : describePredictions(path, rows, opts.summary))
      break
    }
    case 'highest-score': {
      const f = await readHighestScore(path)
      await write(opts.json ? JSON.stringify(highestJson(f, opts.summary)) : describeHighest(path, f, opts.summary))
      break
    }
    case 'fasta': {
      const s = await summariseFasta(path)
      await write(opts.json ? JSON.stringify({ kind: 'fasta', ...s }) : `FASTA: ${s.count} records, ${s.residues} residues\nfirst ids: ${s.firstIds.join(', ')}`)
      break
    }
  }
  await write('\n')
}

// ---------- human-readable tree of Python values ----------

const MAX_DEPTH = 8
const PREVIEW = 3

function scalarRepr(v: PyValue): string {
  if (v === null) return 'None'
  switch (typeof v) {
    case 'boolean': return v ? 'True' : 'False'
    case 'number': return Number.isNaN(v) ? 'nan' : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : String(v)
    case 'bigint': return v.toString()
    case 'string': return `'${v.length > 80 ? `${v.slice(0, 77)}...` : v}'`
  }
  if (v instanceof PyGlobal) return v.toString()
  if (v instanceof Uint8Array) return `bytes[${v.length}]`
  return pyTypeName(v)
}

function isScalar(v: PyValue): boolean {
  return !(Array.isArray(v) || v instanceof PyTuple || v instanceof PyDict || v instanceof Tensor)
}

function tensorLine(t: Tensor, summary: boolean): string {
  let s = `tensor ${t.dtype} [${t.shape.join(', ')}]${t.isContiguous() ? '' : ' (strided view)'}${t.requiresGrad ? ' requires_grad' : ''}`
  if (summary) {
    const st = tensorSummary(t)
    const f = (x: number | bigint | null): string => (x === null ? '-' : typeof x === 'bigint' ? x.toString() : String(x))
    s += `  count=${st.count} nan=${st.nan} sum=${f(st.sum)} min=${f(st.min)} max=${f(st.max)}`
  } else if (t.numel > 0 && t.numel <= 8) {
    s += `  ${t.dtype === 'int64' ? t.toArray().join(', ') : Array.from(t.toFloat64(), (x) => scalarRepr(x)).join(', ')}`
  }
  return s
}

function elementTypes(items: readonly PyValue[]): string {
  const types = new Set(items.map(pyTypeName))
  return [...types].join('|')
}

/** Indented tree: containers show sizes, homogeneous scalar lists a preview, container lists their first item. */
export function describePy(root: PyValue, summary = false): string {
  const lines: string[] = []
  const visit = (v: PyValue, label: string, indent: string, depth: number): void => {
    const head = `${indent}${label}`
    if (v instanceof Tensor) { lines.push(`${head}${tensorLine(v, summary)}`); return }
    if (isScalar(v)) { lines.push(`${head}${scalarRepr(v)}`); return }
    if (depth >= MAX_DEPTH) { lines.push(`${head}${pyTypeName(v)} …`); return }
    if (v instanceof PyDict) {
      lines.push(`${head}${pyTypeName(v)} (${v.size} keys)`)
      for (const [k, x] of v) visit(x, `${typeof k === 'string' ? k : pyKeyString(k)}: `, `${indent}  `, depth + 1)
      return
    }
    const items = Array.isArray(v) ? v : (v as PyTuple).items
    const kind = Array.isArray(v) ? 'list' : 'tuple'
    if (items.every(isScalar)) {
      const preview = items.slice(0, PREVIEW).map(scalarRepr).join(', ')
      lines.push(`${head}${kind}[${items.length}]${items.length ? ` of ${elementTypes(items)}  [${preview}${items.length > PREVIEW ? ', …' : ''}]` : ''}`)
      return
    }
    lines.push(`${head}${kind}[${items.length}] of ${elementTypes(items)}`)
    // Short containers (tuples, pairs) are shown whole; long ones by their first item, which is representative.
    const shown = items.length <= 4 ? items.length : 1
    items.slice(0, shown).forEach((x, i) => visit(x, `[${i}]: `, `${indent}  `, depth + 1))
    if (items.length > shown) lines.push(`${indent}  … ${items.length - shown} more`)
  }
  visit(root, '', '', 0)
  return lines.join('\n')
}

// ---------- TSV outputs ----------

function stats(xs: number[]): { count: number; nan: number; sum: number | null; min: number | null; max: number | null } {
  const t = tensorSummary(Tensor.fromArray(Float64Array.from(xs), 'float64', [xs.length]))
  return { count: t.count, nan: t.nan, sum: t.sum as number | null, min: t.min as number | null, max: t.max as number | null }
}

function predictionJson(rows: PredictionRow[], summary: boolean): unknown {
  if (!summary) return { kind: 'prediction_results', rows }
  return {
    kind: 'prediction_results',
    count: rows.length,
    virus: rows.filter((r) => r.prediction === 'virus').length,
    others: rows.filter((r) => r.prediction === 'others').length,
    score1: stats(rows.map((r) => r.score1)),
    score2: stats(rows.map((r) => r.score2)),
  }
}

function highestJson(f: HighestScoreFile, summary: boolean): unknown {
  if (!summary) return { kind: 'highest_score', form: f.form, rows: f.rows }
  const base = { kind: 'highest_score', form: f.form, count: f.rows.length, virus: f.rows.filter((r) => r.isVirus).length }
  if (f.form === 'vanilla') return base
  return { ...base, max_score_0: stats(f.rows.map((r) => r.maxScore0)), max_score_1: stats(f.rows.map((r) => r.maxScore1)) }
}

function describePredictions(path: string, rows: PredictionRow[], summary: boolean): string {
  const virus = rows.filter((r) => r.prediction === 'virus').length
  const lines = [`prediction_results: ${rows.length} rows (${virus} virus, ${rows.length - virus} others)  ${path}`]
  for (const r of rows.slice(0, summary ? 0 : PREVIEW)) lines.push(`  ${r.sequenceId}\t${r.prediction}\t${r.score1}\t${r.score2}`)
  return lines.join('\n')
}

function describeHighest(path: string, f: HighestScoreFile, summary: boolean): string {
  const virus = f.rows.filter((r) => r.isVirus).length
  const lines = [`prediction_results_highestscore (${f.form}): ${f.rows.length} rows (${virus} virus)  ${path}`]
  const n = summary ? 0 : PREVIEW
  if (f.form === 'optimised') for (const r of f.rows.slice(0, n)) lines.push(`  ${r.modifiedId}\t${r.isVirus ? 'True' : 'False'}\t${r.maxScore0}\t${r.maxScore1}`)
  else for (const r of f.rows.slice(0, n)) lines.push(`  ${r.modifiedId}\t${r.isVirus ? 'True' : 'False'}`)
  return lines.join('\n')
}

// ---------- Arrow ----------

const ARROW_NUMERIC: ReadonlyArray<[new (...a: never[]) => NativeArray, DType]> = [
  [Float32Array, 'float32'], [Float64Array, 'float64'], [Int8Array, 'int8'], [Int16Array, 'int16'],
  [Int32Array, 'int32'], [BigInt64Array, 'int64'], [Uint8Array, 'uint8'],
]

/** Numeric Arrow columns become tensors so they print exactly like `.pt` tensors (JSON and summary). */
function arrowColumnValue(v: Vector): PyValue {
  const type: DataType = v.type
  if (type instanceof FixedSizeList && type.children[0]?.type.typeId === Type.Float) {
    const dim = type.listSize
    return Tensor.fromArray(flattenFloat32Lists(v, dim), 'float32', [v.length, dim])
  }
  if ((type.typeId === Type.Int || type.typeId === Type.Float) && v.nullCount === 0) {
    const arr: unknown = v.toArray()
    for (const [ctor, dtype] of ARROW_NUMERIC) if (arr instanceof ctor) return Tensor.fromArray(arr, dtype, [v.length])
    if (arr instanceof Uint16Array || arr instanceof Uint32Array) return Tensor.fromArray(Float64Array.from(arr), 'float64', [v.length])
  }
  const out: PyValue[] = []
  for (const x of v) out.push(arrowScalar(x))
  return out
}

function arrowScalar(x: unknown): PyValue {
  if (x === null || x === undefined) return null
  if (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean' || typeof x === 'bigint') return x
  return String(x)
}

async function inspectArrow(path: string, opts: InspectOptions, write: ChunkWriter): Promise<void> {
  let table: Table
  try {
    table = tableFromIPC(await readFile(path))
  } catch (e) {
    throw new InspectError(`${path}: not a readable Arrow IPC file: ${e instanceof Error ? e.message : String(e)}`)
  }
  const cols = new PyDict()
  for (const f of table.schema.fields) {
    const v = table.getChild(f.name)
    if (v !== null) cols.set(f.name, arrowColumnValue(v))
  }
  if (opts.json) {
    await write(`{"kind":"arrow","rows":${table.numRows},"schema":${JSON.stringify(table.schema.fields.map((f) => ({ name: f.name, type: String(f.type) })))},"columns":`)
    for (const c of pyJsonChunks(cols, { summary: opts.summary })) await write(c)
    await write('}')
    return
  }
  const lines = [`arrow table: ${table.numRows} rows, ${table.schema.fields.length} columns  ${path}`]
  for (const f of table.schema.fields) lines.push(`  ${f.name}: ${String(f.type)}`)
  lines.push(describePy(cols, opts.summary).split('\n').map((l) => `  ${l}`).join('\n'))
  await write(lines.join('\n'))
}

