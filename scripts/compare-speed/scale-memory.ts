/**
 * Memory of the streaming comparison at full scale without 26 GB of files: an in-memory OutputSet pair of
 * BLOCKS × 10,000 merged vectors (3328 wide, DNABERT/ESM as slices), generated block by block, plus
 * 1 prediction and 1 consensus row per vector (more consensus rows than a real run has: one per chunk). Prints the
 * sampled peak RSS, the kernel's max RSS and the time.
 * usage: node --import tsx scale-memory.ts [BLOCKS=100]
 *   ONLY_INPUTS=1: build the four tables and stop (what the inputs alone cost); NO_TABLES=1: embeddings only;
 *   TSV=1: tables read from real files (written to a temp folder first) by the pipeline-output readers.
 */
import { readConsensusTable, readPredictionTable } from '../../plugin/io/tsv/predictions.ts'
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ConsensusTable, PredictionTable } from '../../plugin/io/tsv/tables.ts'
import { compareOutputSets } from '../../plugin/compare/compare-outputs.ts'
import { type EmbeddingBlock, type EmbeddingSource, sliceSource } from '../../plugin/compare/sources/embedding-source.ts'
import type { OutputSet } from '../../plugin/compare/sources/output-set.ts'

const BLOCKS = Number(process.argv[2] ?? 100)
const tmp = mkdtempSync(join(tmpdir(), 'scale-memory-'))

/** Writes a TSV file synchronously in 1 MB pieces, before any measurement starts. */
function writeLines(path: string, header: string, n: number, line: (i: number) => string): void {
  const fd = openSync(path, 'w')
  let piece: string[] = [header]
  for (let i = 0; i < n; i++) {
    piece.push(line(i))
    if (piece.length === 10_000) {
      writeSync(fd, `${piece.join('\n')}\n`)
      piece = []
    }
  }
  if (piece.length > 0) writeSync(fd, `${piece.join('\n')}\n`)
  closeSync(fd)
}
const ROWS = 10_000
const W = 3328
const blockNames = Array.from({ length: BLOCKS }, (_, b) => `output_${b + 1}`)
const idOf = (b: number, i: number): string => `USA-MA-Broad_MGH-22989-2024_read_${b * ROWS + i}_chunk_1F1`

/** Rows are zero-cost windows into one precomputed buffer, so the run measures the comparison, not a generator. */
function merged(noise: number): EmbeddingSource {
  const base = Float32Array.from({ length: W + 1000 }, (_, k) => Math.sin(k) + noise * Math.cos(k * 7))
  return {
    stage: 'merged',
    derived: false,
    blocks: blockNames,
    async read(name) {
      const b = blockNames.indexOf(name)
      const ids = Array.from({ length: ROWS }, (_, i) => idOf(b, i))
      const block: EmbeddingBlock = {
        name,
        file: `${name}_merged.pt`,
        ids,
        rows: ROWS,
        width: W,
        rowId: (i) => ids[i] as string,
        row: (i) => base.subarray(i % 1000, (i % 1000) + W),
        close: () => undefined,
      }
      return block
    },
  }
}

function outputSet(root: string, noise: number): OutputSet {
  const m = merged(noise)
  const sources = { merged: m, dnabert: sliceSource(m, 'dnabert'), esm: sliceSource(m, 'esm') }
  // Built when asked for, as the readers build them from prediction_results.txt and the consensus file after the
  // embedding stages have been compared. NO_TABLES=1 measures the embedding comparison alone.
  const noTables = process.env.NO_TABLES === '1'
  // TSV=1 writes real prediction and consensus files first and reads them with the pipeline-output readers (what a
  // run on disk costs); otherwise the tables are filled directly (what the comparison itself holds).
  const viaFiles = process.env.TSV === '1'
  const frames = BLOCKS * ROWS
  const predPath = join(tmp, `${root}-prediction_results.txt`)
  const consPath = join(tmp, `${root}-prediction_results_highestscore.csv`)
  if (viaFiles && !noTables) {
    writeLines(predPath, 'Sequence_ID\tPrediction\tscore1\tscore2', frames, (n) => `${idOf(Math.floor(n / ROWS), n % ROWS)}\tvirus\t0.2\t0.8`)
    writeLines(consPath, 'Modified_ID\tIs_Virus\tmax_score_0\tmax_score_1', frames, (n) => `${idOf(Math.floor(n / ROWS), n % ROWS).slice(0, -2)}\tTrue\t0.2\t0.8`)
  }
  const preds = async (): Promise<PredictionTable | null> => {
    if (noTables) return null
    if (viaFiles) return readPredictionTable(predPath)
    const t = new PredictionTable()
    for (let n = 0; n < frames; n++) t.push({ sequenceId: idOf(Math.floor(n / ROWS), n % ROWS), prediction: 'virus', score1: 0.2, score2: 0.8 })
    return t
  }
  const cons = async (): Promise<ConsensusTable | null> => {
    if (noTables) return null
    if (viaFiles) return readConsensusTable(consPath)
    const t = new ConsensusTable()
    for (let n = 0; n < frames; n++) t.push({ modifiedId: idOf(Math.floor(n / ROWS), n % ROWS).slice(0, -2), isVirus: true })
    return t
  }
  return {
    kind: 'pipeline',
    root,
    config: { chunkLength: 500, model: 'm' },
    expectedOrfs: null,
    missing: [],
    emptyProteinFrames: async () => new Set<string>(),
    provenance: null,
    embeddings: (s) => sources[s],
    predictions: preds,
    consensus: cons,
    close: async () => undefined,
  }
}

const cs = outputSet('cand', 1e-5)
const rs = outputSet('ref', 0)
const t0 = performance.now()
let peak = 0
const timer = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss)
}, 50)
const onlyInputs = process.env.ONLY_INPUTS === '1'
if (onlyInputs) { await Promise.all([cs.predictions(), rs.predictions(), cs.consensus(), rs.consensus()]) }
const o = onlyInputs ? { status: 'error' as const } : await compareOutputSets(cs, rs)
clearInterval(timer)
peak = Math.max(peak, process.memoryUsage().rss)
rmSync(tmp, { recursive: true, force: true })
const { resourceUsage } = await import('node:process')
const c = o.status === 'compared' ? o.comparison : null
process.stdout.write(
  `${JSON.stringify({ vectors: BLOCKS * ROWS, verdict: c?.verdict, seconds: (performance.now() - t0) / 1000, peakRssMB: Math.round(peak / 2 ** 20), maxRssMB: Math.round(resourceUsage().maxRSS / 1024) })}\n`,
)
