import { describe, expect, it } from 'vitest'
import { firstErrorLines } from './error-lines.ts'
import { LogParser } from './log-parser.ts'
import { inventoryFromPaths } from './output-inventory.ts'

const T = '2026-12-01 10:00:00 - virnucpro'

describe('log findings', () => {
  it('carry count, the stage they were logged in, the first line and the workers named', () => {
    const parser = new LogParser()
    parser.pushText(
      [
        `${T}.pipeline.telemetry - INFO - === Stage 5: DNABERT-S Feature Extraction ===`,
        `${T}.dnabert - ERROR - Worker 1: Failed to process output_2.fa: expected scalar type Float but found Half`,
        `${T}.dnabert - ERROR - Worker 3: Failed to process output_4.fa: expected scalar type Float but found Half`,
        `${T}.pipeline.telemetry - INFO - === Stage 6: ESM-2 Feature Extraction ===`,
        `${T} - Worker 0 - esm2_flash - WARNING - FlashAttention not available. Using fallback unpack/repack strategy.`,
      ].join('\n'),
    )
    const [dtype, flash] = parser.summary().findings
    expect(dtype).toMatchObject({ code: 'dtype-mismatch', severity: 'error', count: 2, stage: 'NUCLEOTIDE_FEATURES', workers: [1, 3] })
    expect(dtype?.firstLine).toContain('Worker 1: Failed to process output_2.fa')
    expect(flash).toMatchObject({ code: 'flash-attention-fallback', count: 1, stage: 'PROTEIN_FEATURES', workers: [0] })
  })
})

describe('firstErrorLines', () => {
  it('keeps ERROR lines, traceback headers and exception lines, one of each kind, and not warnings logged at ERROR', () => {
    const text = [
      `${T} - ERROR - CRITICAL: Packing efficiency 79.0% < 80%`,
      `${T} - ERROR - Worker 0: Failed to process output_1.fa: boom`,
      `${T} - ERROR - Worker 1: Failed to process output_2.fa: boom`,
      'Traceback (most recent call last):',
      '  File "x.py", line 3, in <module>',
      'RuntimeError: boom',
      'virnucpro_ref: error: stage FEATURE_MERGING failed',
    ].join('\n')
    expect(firstErrorLines(text)).toEqual([
      `${T} - ERROR - Worker 0: Failed to process output_1.fa: boom`,
      'Traceback (most recent call last):',
      'RuntimeError: boom',
      'virnucpro_ref: error: stage FEATURE_MERGING failed',
    ])
  })
})

describe('inventoryFromPaths', () => {
  it('counts feature files per stage and .done markers whose file is gone', () => {
    const inv = inventoryFromPaths(['s_nucleotide/output_1_DNABERT_S.pt', 's_nucleotide/output_1_DNABERT_S.pt.done', 's_protein/output_1_ESM.pt.done', 's_merged/prediction_results.txt'])
    expect(inv).toEqual({ nucleotideFeatureFiles: 1, proteinFeatureFiles: 0, mergedFiles: 0, predictionFile: true, consensusFile: false, doneMarkersWithoutFile: 1 })
  })
})
