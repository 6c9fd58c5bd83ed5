import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { consensusLabels, parseConsensusTable, predictionRows, readConsensusTable, readPredictionTable } from './predictions.ts'
import { ConsensusTable, PredictionTable } from './tables.ts'

describe('column tables', () => {
  it('hold every prediction row, past the first growth of the columns', () => {
    const rows = Array.from({ length: 2500 }, (_, i) => ({ sequenceId: `s${i}F1`, prediction: i % 3 === 0 ? ('virus' as const) : ('others' as const), score1: i / 2500, score2: 1 - i / 2500 }))
    const t = PredictionTable.from(rows)
    expect(t.length).toBe(2500)
    for (const i of [0, 1023, 1024, 2499]) {
      const r = rows[i]!
      expect([t.ids[i], t.prediction(i), t.score1(i), t.score2(i)]).toEqual([r.sequenceId, r.prediction, r.score1, r.score2])
    }
  })

  it('read prediction_results.txt row by row into a table', () => {
    const text = 'Sequence_ID\tPrediction\tscore1\tscore2\na_chunk_1F1\tvirus\t0.25\t0.75\nb_chunk_1R3\tothers\tnan\t0.1\n'
    const t = PredictionTable.from(predictionRows(text, 'p.txt'))
    expect(t.ids).toEqual(['a_chunk_1F1', 'b_chunk_1R3'])
    expect(t.prediction(0)).toBe('virus')
    expect(t.score1(1)).toBeNaN()
  })

  it('read both consensus forms as (Modified_ID, Is_Virus), still checking the optimised scores', () => {
    const vanilla = parseConsensusTable('Modified_ID\tIs_Virus\na_chunk_1\tTrue\nb_chunk_1\tFalse\n')
    const optimised = parseConsensusTable('Modified_ID\tIs_Virus\tmax_score_0\tmax_score_1\nb_chunk_1\tFalse\t0.9\t0.1\na_chunk_1\tTrue\t\t0.8\n')
    expect([vanilla.ids, vanilla.isVirus(0), vanilla.isVirus(1)]).toEqual([['a_chunk_1', 'b_chunk_1'], true, false])
    expect([optimised.ids, optimised.isVirus(0), optimised.isVirus(1)]).toEqual([['b_chunk_1', 'a_chunk_1'], false, true])
    expect(() => [...consensusLabels('Modified_ID\tIs_Virus\tmax_score_0\tmax_score_1\na\tTrue\tx\t0.1\n', 'c.csv')]).toThrow(/c.csv:2:3: max_score_0: 'x' is not a number/)
    expect(ConsensusTable.from([]).length).toBe(0)
  })

  describe('streamed from files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tables-'))
    const file = (name: string, text: string): string => {
      const path = join(dir, name)
      writeFileSync(path, text)
      return path
    }

    it('match the text parser across chunk boundaries, with a BOM, CRLF and no final newline', async () => {
      const rows = Array.from({ length: 5000 }, (_, i) => `read_${i}_with_a_fairly_long_identifier_chunk_1F${1 + (i % 3)}\t${i % 2 ? 'virus' : 'others'}\t${(i / 5000).toString()}\t${(1 - i / 5000).toString()}`)
      const text = `\ufeffSequence_ID\tPrediction\tscore1\tscore2\r\n${rows.join('\r\n')}`
      const fromFile = await readPredictionTable(file('p.txt', text))
      const fromText = PredictionTable.from(predictionRows(text, 'p.txt'))
      expect(fromFile.length).toBe(5000)
      expect(fromFile.ids).toEqual(fromText.ids)
      for (const i of [0, 1234, 4999]) expect([fromFile.prediction(i), fromFile.score1(i), fromFile.score2(i)]).toEqual([fromText.prediction(i), fromText.score1(i), fromText.score2(i)])
    })

    it('read both consensus forms and name the file and line of a bad row', async () => {
      const t = await readConsensusTable(file('c.csv', 'Modified_ID\tIs_Virus\na_chunk_1\tTrue\n'))
      expect([t.ids, t.isVirus(0)]).toEqual([['a_chunk_1'], true])
      await expect(readConsensusTable(file('bad.csv', 'Modified_ID\tIs_Virus\na\tTrue\n\nb\tFalse\n'))).rejects.toThrow(/bad.csv:3: blank line/)
      await expect(readPredictionTable(file('empty.txt', ''))).rejects.toThrow(/empty.txt:1: empty file/)
      await expect(readPredictionTable(join(dir, 'absent.txt'))).rejects.toThrow(/absent.txt:0: cannot read file: ENOENT/)
    })
  })
})
