import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { tableFromIPC, Type } from 'apache-arrow'
import { describe, expect, it } from 'vitest'
import { ArrowFormatError, columnsFromIPC, columnsToIPC, embeddingsFromIPC, embeddingsToIPC, readColumnsArrow, readEmbeddingsArrow, writeColumnsArrow, writeEmbeddingsArrow } from './index.ts'

const dir = mkdtempSync(join(tmpdir(), 'arrow-'))

describe('embedding tables', () => {
  it('round-trips ids and FixedSizeList<float32> through an IPC file', async () => {
    const n = 5
    const dim = 7
    const embeddings = Float32Array.from({ length: n * dim }, (_, i) => (i % 3 === 0 ? -i : i) / 3)
    embeddings[3] = NaN
    const ids = ['a', 'b', 'vseq_é中', '', 'e']
    const path = join(dir, 'emb.arrow')
    await writeEmbeddingsArrow(path, { ids, dim, embeddings })
    const bytes = readFileSync(path)
    // IPC *file* format: magic at both ends (what pyarrow.ipc.open_file expects).
    expect(bytes.subarray(0, 6).toString('latin1')).toBe('ARROW1')
    expect(bytes.subarray(bytes.length - 6).toString('latin1')).toBe('ARROW1')
    const schema = tableFromIPC(bytes).schema
    expect(schema.fields.map((f) => f.name)).toEqual(['id', 'embedding'])
    expect(schema.fields[0]?.type.typeId).toBe(Type.Utf8)
    expect(String(schema.fields[1]?.type)).toBe('FixedSizeList[7]<Float32>')
    const back = await readEmbeddingsArrow(path)
    expect(back.ids).toEqual(ids)
    expect(back.dim).toBe(dim)
    expect(Array.from(back.embeddings)).toEqual(Array.from(embeddings))
  })
  it('handles zero rows', () => {
    const back = embeddingsFromIPC(embeddingsToIPC({ ids: [], dim: 3328, embeddings: new Float32Array(0) }))
    expect(back).toEqual({ ids: [], dim: 3328, embeddings: new Float32Array(0) })
  })
  it('rejects mismatched sizes and foreign tables', () => {
    expect(() => embeddingsToIPC({ ids: ['a'], dim: 3, embeddings: new Float32Array(4) })).toThrow(ArrowFormatError)
    expect(() => embeddingsFromIPC(columnsToIPC({ id: ['a'], x: new Float32Array(1) }))).toThrow(/'id' and 'embedding'/)
  })
})

describe('generic columns', () => {
  it('round-trips typed arrays, strings and booleans', async () => {
    const cols = {
      t_ms: new Float64Array([0, 500.5, 1001]),
      gpu: new Int32Array([0, 1, 0]),
      util: new Float32Array([0.5, 99, NaN]),
      mem: new BigInt64Array([1n, 2n ** 40n, 3n]),
      u8: new Uint8Array([1, 2, 255]),
      name: ['H200', 'H200', 'H200 (b)'],
      busy: [true, false, true],
    }
    const path = join(dir, 'cols.arrow')
    await writeColumnsArrow(path, cols)
    const back = await readColumnsArrow(path)
    expect(Object.keys(back)).toEqual(Object.keys(cols))
    expect(back).toEqual(cols)
    expect(back.mem).toBeInstanceOf(BigInt64Array)
  })
  it('rejects ragged columns', () => {
    expect(() => columnsToIPC({ a: new Float32Array(2), b: ['x'] })).toThrow(/different lengths/)
  })
  it('reads an empty table', () => {
    expect(columnsFromIPC(columnsToIPC({ a: new Float64Array(0), s: [] }))).toEqual({ a: new Float64Array(0), s: [] })
  })
})
