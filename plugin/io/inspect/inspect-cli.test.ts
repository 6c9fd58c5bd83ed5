import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { execa } from 'execa'
import { describe, expect, it } from 'vitest'
import { embeddingsToIPC } from '../arrow/index.ts'
import { existsSync, readFileSync } from 'node:fs'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const FIX = join(ROOT, 'plugin/io/torch/fixtures')
const CAP = '/work/shared/captures/virnucpro-h200/bench_single/bench_2000x500_merged'
const tmp = mkdtempSync(join(tmpdir(), 'inspect-'))

function inspect(...args: string[]) {
  return execa('node', ['--import', 'tsx', join(ROOT, 'scripts/inspect.ts'), ...args], { cwd: ROOT, reject: false })
}

describe('scripts/inspect.ts', () => {
  it('prints .pt JSON identical to the torch-generated expectation', async () => {
    for (const name of ['dtypes', 'views', 'python_values_p4', 'dnabert']) {
      const r = await inspect(join(FIX, `${name}.pt`), '--json')
      expect(r.exitCode).toBe(0)
      expect(JSON.parse(r.stdout)).toEqual(JSON.parse(readFileSync(join(FIX, `${name}.json`), 'utf8')))
    }
  })
  it('prints one JSON value with --summary (tensor data replaced by stats)', async () => {
    const r = await inspect(join(FIX, 'dtypes.pt'), '--json', '--summary')
    expect(r.exitCode).toBe(0)
    const v = JSON.parse(r.stdout) as Record<string, Record<string, unknown>>
    expect(v.float32).toEqual({ dtype: 'float32', shape: [12], count: 12, nan: 1, sum: 'NaN', min: '-Infinity', max: 'Infinity' })
    expect(v.int64).toMatchObject({ dtype: 'int64', count: 7, min: '-9223372036854775808', max: '9223372036854775807' })
    expect(v.int64).not.toHaveProperty('data')
  })
  it('prints a human tree by default', async () => {
    const r = await inspect(join(FIX, 'merged.pt'))
    expect(r.exitCode).toBe(0)
    expect(r.stdout).toContain('data: tensor float32 [3, 40]')
    expect(r.stdout).toContain('ids: list[3] of str')
  })
  it('exits 1 with one stderr line on refused, legacy, truncated and missing files', async () => {
    const cut = join(tmp, 'cut.pt')
    writeFileSync(cut, readFileSync(join(FIX, 'merged.pt')).subarray(0, 700))
    for (const [file, re] of [
      [join(FIX, 'refused_counter.pt'), /refused global 'collections.Counter'/],
      [join(FIX, 'legacy.pt'), /legacy/],
      [cut, /truncated|end/],
      [join(tmp, 'missing.pt'), /cannot read/],
    ] as const) {
      const r = await inspect(file, '--json')
      expect(r.exitCode).toBe(1)
      expect(r.stdout).toBe('')
      expect(r.stderr.trim().split('\n')).toHaveLength(1)
      expect(r.stderr).toMatch(re)
    }
  })
  it('exits 2 on usage errors', async () => {
    expect((await inspect()).exitCode).toBe(2)
    expect((await inspect('--bogus', 'x')).exitCode).toBe(2)
    expect((await inspect('a', 'b')).exitCode).toBe(2)
  })
  it('inspects TSV outputs', async () => {
    const p = join(tmp, 'prediction_results.txt')
    writeFileSync(p, 'Sequence_ID\tPrediction\tscore1\tscore2\na_chunk_1F1\tvirus\t0.25\t0.75\n')
    const r = await inspect(p, '--json')
    expect(JSON.parse(r.stdout)).toEqual({ kind: 'prediction_results', rows: [{ sequenceId: 'a_chunk_1F1', prediction: 'virus', score1: 0.25, score2: 0.75 }] })
    const h = join(tmp, 'prediction_results_highestscore.csv')
    writeFileSync(h, 'Modified_ID\tIs_Virus\na_chunk_1\tTrue\n')
    const s = await inspect(h, '--json', '--summary')
    expect(JSON.parse(s.stdout)).toEqual({ kind: 'highest_score', form: 'vanilla', count: 1, virus: 1 })
    writeFileSync(h, 'Modified_ID\tIs_Virus\na_chunk_1\tyes\n')
    const bad = await inspect(h)
    expect(bad.exitCode).toBe(1)
    expect(bad.stderr).toMatch(/highestscore.csv:2:2: Is_Virus/)
  })
  it.runIf(existsSync(CAP))('summarises the captured outputs', async () => {
    const r = await inspect(join(CAP, 'prediction_results.txt'), '--json', '--summary')
    expect(JSON.parse(r.stdout)).toMatchObject({ kind: 'prediction_results', count: 8077 })
  })
  it('inspects Arrow embeddings and FASTA', async () => {
    const a = join(tmp, 'emb.arrow')
    writeFileSync(a, embeddingsToIPC({ ids: ['x', 'y'], dim: 2, embeddings: new Float32Array([1, 2, 3, NaN]) }))
    const r = await inspect(a, '--json')
    expect(JSON.parse(r.stdout)).toEqual({
      kind: 'arrow', rows: 2,
      schema: [{ name: 'id', type: 'Utf8' }, { name: 'embedding', type: 'FixedSizeList[2]<Float32>' }],
      columns: { id: ['x', 'y'], embedding: { dtype: 'float32', shape: [2, 2], data: [1, 2, 3, 'NaN'] } },
    })
    const f = join(tmp, 'x.fa')
    writeFileSync(f, '>s1 desc\nACGT\nAC\n>s2\nGG\n')
    expect(JSON.parse((await inspect(f, '--json')).stdout)).toEqual({ kind: 'fasta', count: 2, residues: 8, firstIds: ['s1', 's2'] })
    expect((await inspect(f)).stdout).toContain('FASTA: 2 records')
  })
})
