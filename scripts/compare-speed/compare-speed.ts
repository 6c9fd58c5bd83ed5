/**
 * TypeScript side of the comparison speed benchmark: streams two merged .pt files through the same code path as
 * compareOutputs (lazy .pt reader, row by row, TensorAccumulator). usage: npx tsx compare-speed.ts CAND.pt REF.pt
 */
import { readPtBlock } from '../../plugin/compare/sources/pt-blocks.ts'
import { TensorAccumulator } from '../../plugin/compare/core/tensor-accumulator.ts'

const [candPath, refPath] = process.argv.slice(2)
if (candPath === undefined || refPath === undefined) throw new Error('usage: compare-speed.ts CAND.pt REF.pt')
const t0 = performance.now()
const cand = await readPtBlock('output_1', candPath, 'ids')
const ref = await readPtBlock('output_1', refPath, 'ids')
const t1 = performance.now()
const acc = new TensorAccumulator('merged', 1e-3, 1e-5)
for (let i = 0; i < cand.rows; i++) acc.add(cand.rowId(i), cand.row(i), ref.row(i))
const t2 = performance.now()
const s = acc.stats()
cand.close()
ref.close()
process.stdout.write(`${JSON.stringify({ outside: s.outsideTolerance, maxAbs: s.maxAbsDiff, minCosine: s.minCosine, openSeconds: (t1 - t0) / 1000, compareSeconds: (t2 - t1) / 1000 })}\n`)
