/**
 * Memory of the streaming comparison at full scale without 26 GB of files: an in-memory OutputSet pair of
 * BLOCKS × 10,000 merged vectors (3328 wide, DNABERT/ESM as slices), generated block by block, plus
 * 1 prediction and 1 consensus row per vector. Prints peak RSS and time.
 * usage: node --import tsx scale-memory.ts [BLOCKS=100]
 */
import type { PredictionRow } from '../../io/tsv/predictions.ts'
import { compareOutputSets } from '../compare-outputs.ts'
import type { ConsensusLabel } from '../consensus-stats.ts'
import { type EmbeddingBlock, type EmbeddingSource, sliceSource } from '../embedding-source.ts'
import type { OutputSet } from '../output-set.ts'

const BLOCKS = Number(process.argv[2] ?? 100)
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
  const preds: PredictionRow[] = []
  const cons: ConsensusLabel[] = []
  // NO_TABLES=1 measures the embedding comparison alone (no prediction or consensus tables anywhere).
  for (let b = 0; b < (process.env.NO_TABLES === '1' ? 0 : BLOCKS); b++) {
    for (let i = 0; i < ROWS; i++) {
      preds.push({ sequenceId: idOf(b, i), prediction: 'virus', score1: 0.2, score2: 0.8 })
      cons.push({ modifiedId: idOf(b, i).slice(0, -2), isVirus: true })
    }
  }
  return {
    kind: 'pipeline',
    root,
    config: { chunkLength: 500, model: 'm' },
    expectedOrfs: null,
    missing: [],
    embeddings: (s) => sources[s],
    predictions: async () => (process.env.NO_TABLES === '1' ? null : preds),
    consensus: async () => (process.env.NO_TABLES === '1' ? null : cons),
    close: async () => undefined,
  }
}

const t0 = performance.now()
let peak = 0
const timer = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss)
}, 50)
const cs = outputSet('cand', 1e-5)
const rs = outputSet('ref', 0)
const onlyInputs = process.env.ONLY_INPUTS === '1'
if (onlyInputs) { await cs.predictions(); await rs.predictions() }
const o = onlyInputs ? { status: 'error' as const } : await compareOutputSets(cs, rs)
clearInterval(timer)
peak = Math.max(peak, process.memoryUsage().rss)
const { resourceUsage } = await import('node:process')
const c = o.status === 'compared' ? o.comparison : null
process.stdout.write(
  `${JSON.stringify({ vectors: BLOCKS * ROWS, verdict: c?.verdict, seconds: (performance.now() - t0) / 1000, peakRssMB: Math.round(peak / 2 ** 20), maxRssMB: Math.round(resourceUsage().maxRSS / 1024) })}\n`,
)
