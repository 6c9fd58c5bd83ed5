import { describe, expect, it } from 'vitest'
import type { PredictionRow } from '../../io/tsv/rows.ts'
import { IntegrityTracker } from './integrity.ts'

const p = (id: string): PredictionRow => ({ sequenceId: id, prediction: 'virus', score1: 0.1, score2: 0.9 })
const codes = (t: IntegrityTracker, run = {}): string[] => t.findings(run).map((f) => f.code)

describe('IntegrityTracker', () => {
  it('is silent on a consistent output', () => {
    const t = new IntegrityTracker('OUT')
    t.addEmbeddingFile('dnabert', 'output_1_DNABERT_S.pt', ['a_chunk_1F1', 'b_chunk_1R1'], 2, 768)
    t.addEmbeddingFile('esm', 'output_1_ESM.pt', ['a_chunk_1F1', 'b_chunk_1R1'], 2, 2560)
    t.addEmbeddingFile('merged', 'output_1_merged.pt', ['a_chunk_1F1', 'b_chunk_1R1'], 2, 3328)
    t.setPredictions([p('b_chunk_1R1'), p('a_chunk_1F1')])
    t.setConsensus([{ modifiedId: 'a_chunk_1', isVirus: true }, { modifiedId: 'b_chunk_1', isVirus: true }])
    expect(t.findings({ exitCode: 0, expectedOrfs: 2 })).toEqual([])
  })

  it('names an empty merged file as the empty-merged race', () => {
    const t = new IntegrityTracker('OUT')
    t.addEmbeddingFile('merged', 'output_1_merged.pt', Array.from({ length: 120 }, (_, i) => `s${i}`), 0, null)
    const f = t.findings()
    expect(f[0]?.message).toBe('merged file output_1_merged.pt has 120 ids but 0 rows (empty-merged race, contract §6.1)')
  })

  it('finds duplicate ids across files and in predictions', () => {
    const t = new IntegrityTracker('OUT')
    t.addEmbeddingFile('merged', 'output_1_merged.pt', ['a', 'b'], 2, 3328)
    t.addEmbeddingFile('merged', 'output_2_merged.pt', ['b', 'c'], 2, 3328)
    t.setPredictions([p('a'), p('b'), p('b'), p('c')])
    const f = t.findings()
    expect(f.map((x) => x.message).join('\n')).toMatch(/merged outputs repeat 1 \(e.g. b\) ids/)
    expect(f.map((x) => x.message).join('\n')).toMatch(/prediction_results.txt repeats 1 \(e.g. b\) Sequence_IDs/)
  })

  it('flags wrong widths, NaN/Inf and DNABERT/ESM id sets that differ', () => {
    const t = new IntegrityTracker('OUT')
    t.addEmbeddingFile('dnabert', 'd.pt', ['a', 'b'], 2, 767)
    t.addEmbeddingFile('esm', 'e.pt', ['a'], 1, 2560)
    t.scanVector('esm', 'a', [1, Number.NaN, Infinity])
    const msgs = t.findings().map((x) => x.message).join('\n')
    expect(msgs).toMatch(/DNABERT-S file d.pt has vectors of width 767, expected 768/)
    expect(msgs).toMatch(/ESM-2 embeddings contain 1 NaN and 1 Inf values in 1 \(e.g. a\) vector/)
    expect(msgs).toMatch(/1 \(e.g. b\) ids have a DNABERT-S but no ESM-2 embedding/)
  })

  it('flags predictions that are not a permutation of the merged ids (misalignment)', () => {
    const t = new IntegrityTracker('OUT')
    t.addEmbeddingFile('merged', 'm.pt', ['a', 'b', 'c'], 3, 3328)
    t.setPredictions([p('a'), p('b'), p('x')])
    expect(codes(t)).toEqual(['prediction-misaligned'])
    const t2 = new IntegrityTracker('OUT')
    t2.addEmbeddingFile('merged', 'm.pt', ['a', 'b', 'c'], 3, 3328)
    t2.setPredictions([p('a'), p('b')])
    expect(codes(t2)).toEqual(['prediction-rows-mismatch', 'prediction-misaligned'])
  })

  it('rejects empty outputs unless the input is known to have no ORFs', () => {
    const t = new IntegrityTracker('OUT')
    t.setPredictions([])
    expect(t.findings({ expectedOrfs: 12 })[0]?.message).toMatch(/empty although the input had 12 ORF frames .*§6.12/)
    expect(codes(t)).toEqual(['empty-outputs'])
    expect(codes(t, { expectedOrfs: 0 })).toEqual([])
  })

  it('fails a run that exited 0 with failures in its log, and a non-zero exit', () => {
    const t = new IntegrityTracker('OUT')
    const f = t.findings({ exitCode: 0, logFailures: ['Failed to process output_3.fa'] })
    expect(f[0]?.message).toMatch(/^exit code 0 but the log reports 1 failure line\(s\): 'Failed to process output_3.fa'/)
    expect(codes(t, { exitCode: 2 })).toEqual(['nonzero-exit'])
  })

  it('checks consensus rows against the predicted chunks', () => {
    const t = new IntegrityTracker('OUT')
    t.setPredictions([p('a_chunk_1F1'), p('a_chunk_1R2'), p('b_chunk_1F1')])
    t.setConsensus([{ modifiedId: 'a_chunk_1', isVirus: true }])
    expect(t.findings()[0]?.message).toMatch(/1 \(e.g. b_chunk_1\) chunk\(s\) without a consensus row/)
  })

  it('records missing outputs', () => {
    const t = new IntegrityTracker('OUT')
    t.missingOutput('X_merged/prediction_results.txt')
    expect(t.findings()[0]?.message).toBe('X_merged/prediction_results.txt is missing from OUT')
  })
})
