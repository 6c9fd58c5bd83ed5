import { describe, expect, it } from 'vitest'
import { parseHighestScore, parsePredictionResults, readHighestScore, readPredictionResults, TsvFormatError } from './predictions.ts'

const CAP = '/work/shared/captures/virnucpro-h200'
const capExists = await import('node:fs').then((fs) => fs.existsSync(CAP))

function err(fn: () => unknown): TsvFormatError {
  try {
    fn()
  } catch (e) {
    if (e instanceof TsvFormatError) return e
    throw e
  }
  throw new Error('expected TsvFormatError')
}

const TXT = 'Sequence_ID\tPrediction\tscore1\tscore2\nsynthetic_seq_1_chunk_1R1\tvirus\t0.12100530415773392\t0.8789947032928467\nsynthetic_seq_2_chunk_1R1\tothers\t0.5501205325126648\t0.44987940788269043\n'

describe('prediction_results.txt', () => {
  it('parses the contract example', () => {
    expect(parsePredictionResults(TXT)).toEqual([
      { sequenceId: 'synthetic_seq_1_chunk_1R1', prediction: 'virus', score1: 0.12100530415773392, score2: 0.8789947032928467 },
      { sequenceId: 'synthetic_seq_2_chunk_1R1', prediction: 'others', score1: 0.5501205325126648, score2: 0.44987940788269043 },
    ])
  })
  it('accepts header-only (empty input), CRLF and float32 text', () => {
    expect(parsePredictionResults('Sequence_ID\tPrediction\tscore1\tscore2\n')).toEqual([])
    expect(parsePredictionResults('Sequence_ID\tPrediction\tscore1\tscore2\r\na\tvirus\t0.12100612\t1e-05\r\n')[0]?.score2).toBe(1e-5)
    expect(parsePredictionResults('Sequence_ID\tPrediction\tscore1\tscore2\na\tvirus\tnan\t-inf')[0]?.score2).toBe(-Infinity)
  })
  it('names file, line and column on errors', () => {
    const bad = TXT.replace('0.8789947032928467', '0.87x')
    const e = err(() => parsePredictionResults(bad, 'p.txt'))
    expect([e.file, e.line, e.column]).toEqual(['p.txt', 2, 4])
    expect(e.message).toBe("p.txt:2:4: score2: '0.87x' is not a number")
    expect(err(() => parsePredictionResults(TXT.replace('\tothers', '\tmaybe'))).column).toBe(2)
    expect(err(() => parsePredictionResults(TXT + 'x\tvirus\t0.1\n')).message).toMatch(/:4:4: expected 4 tab-separated columns, got 3/)
    expect(err(() => parsePredictionResults(TXT.replace('score2', 'score_2'))).message).toMatch(/:1:4: header column 4/)
    expect(err(() => parsePredictionResults(TXT.replace('\n', '\n\n'))).message).toMatch(/:2: blank line/)
    expect(err(() => parsePredictionResults('')).line).toBe(1)
    expect(err(() => parsePredictionResults(TXT + '\tvirus\t0.1\t0.9\n')).message).toMatch(/Sequence_ID is empty/)
  })
  it.runIf(capExists)('reads the H200 capture (8,077 rows)', async () => {
    const rows = await readPredictionResults(`${CAP}/bench_single/bench_2000x500_merged/prediction_results.txt`)
    expect(rows).toHaveLength(8077)
    expect(rows[0]).toEqual({ sequenceId: 'vseq_00001_chunk_1F1', prediction: 'others', score1: 0.8309406638145447, score2: 0.16905935108661652 })
    for (const r of rows) expect(Math.abs(r.score1 + r.score2 - 1)).toBeLessThan(1e-6)
  })
  it('reports a missing file with its path', async () => {
    await expect(readPredictionResults('/nonexistent/p.txt')).rejects.toThrow(/^\/nonexistent\/p.txt:0: cannot read file/)
  })
})

describe('prediction_results_highestscore.csv', () => {
  it('parses the optimised 4-column form', () => {
    const f = parseHighestScore('Modified_ID\tIs_Virus\tmax_score_0\tmax_score_1\nsynthetic_seq_1_chunk_1\tTrue\t0.1210053041577339\t0.9988405108451844\n')
    expect(f).toEqual({ form: 'optimised', rows: [{ modifiedId: 'synthetic_seq_1_chunk_1', isVirus: true, maxScore0: 0.1210053041577339, maxScore1: 0.9988405108451844 }] })
  })
  it('parses the vanilla 2-column form', () => {
    const f = parseHighestScore('Modified_ID\tIs_Virus\nsynthetic_seq_1_chunk_1\tTrue\nsynthetic_seq_2_chunk_1\tFalse\n')
    expect(f).toEqual({ form: 'vanilla', rows: [{ modifiedId: 'synthetic_seq_1_chunk_1', isVirus: true }, { modifiedId: 'synthetic_seq_2_chunk_1', isVirus: false }] })
  })
  it('accepts the one-line empty output and pandas empty NaN cells', () => {
    expect(parseHighestScore('Modified_ID\tIs_Virus\tmax_score_0\tmax_score_1\n')).toEqual({ form: 'optimised', rows: [] })
    const f = parseHighestScore('Modified_ID\tIs_Virus\tmax_score_0\tmax_score_1\na\tFalse\t\t0.5\n')
    expect(f.form === 'optimised' && Number.isNaN(f.rows[0]?.maxScore0)).toBe(true)
  })
  it('names file, line and column on errors', () => {
    const e = err(() => parseHighestScore('Modified_ID\tIs_Virus\na\tTrue\nb\ttrue\n', 'h.csv'))
    expect(e.message).toBe("h.csv:3:2: Is_Virus: expected True or False, got 'true'")
    expect(err(() => parseHighestScore('Modified_ID\tIs_Virus\tmax_score_0\na\tTrue\t0.1\n')).message).toMatch(/:1:4: header column 4: expected 'max_score_1'/)
    expect(err(() => parseHighestScore('Modified_ID\tIs_Virus\tmax_score_0\tmax_score_1\na\tTrue\t0.1\n')).line).toBe(2)
  })
  it.runIf(capExists)('reads the H200 capture (2,000 rows)', async () => {
    const f = await readHighestScore(`${CAP}/bench_parallel/bench_2000x500_merged/prediction_results_highestscore.csv`)
    expect(f.form).toBe('optimised')
    expect(f.rows).toHaveLength(2000)
    if (f.form === 'optimised') for (const r of f.rows) expect(r.isVirus).toBe(r.maxScore1 >= r.maxScore0)
  })
})
