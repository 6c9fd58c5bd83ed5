import { execFileSync } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ComparisonSchema } from '../model/validation.ts'
import { type CompareOutcome, compareOutputs } from './compare-outputs.ts'
import { formatComparison } from './format-comparison.ts'
import { readReferenceManifest } from './sources/reference-output.ts'
import { writeReference } from './sources/write-reference.ts'

// Small contract-layout folders written once by Python/torch (the real .pt format), then read by plugin/compare.
let root = ''
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'compare-io-'))
  execFileSync('/usr/bin/python3', [join(import.meta.dirname, 'testdata', 'make_outputs.py'), root])
}, 60_000)
afterAll(() => {
  if (root !== '') rmSync(root, { recursive: true, force: true })
})

function compared(o: CompareOutcome) {
  if (o.status !== 'compared') throw new Error(`expected a comparison, got error: ${o.message}`)
  expect(ComparisonSchema.safeParse(o.comparison).success).toBe(true)
  return o.comparison
}

describe('compareOutputs on pipeline folders', () => {
  it('passes two identical runs, matching ESM rows by id although their order differs from DNABERT', async () => {
    const c = compared(await compareOutputs(join(root, 'ok'), join(root, 'same')))
    expect(c.verdict).toBe('pass')
    expect(c.tensors.map((t) => [t.stage, t.vectors, t.width, t.outsideTolerance])).toEqual([
      ['dnabert', 5, 768, 0],
      ['esm', 5, 2560, 0],
      ['merged', 5, 3328, 0],
    ])
    expect(c.predictions).toMatchObject({ rows: 5, labelAgreement: 100 })
    expect(c.consensus).toMatchObject({ rows: 5, agreement: 100 })
    expect(formatComparison(c)).toMatch(/^verdict: PASS/)
  })

  it('checks a single folder without a reference', async () => {
    const c = compared(await compareOutputs(join(root, 'ok'), null))
    expect(c.verdict).toBe('pass')
    expect(c.tensors).toEqual([])
  })

  it('fails the empty-merged race with a message naming the file', async () => {
    const c = compared(await compareOutputs(join(root, 'empty'), join(root, 'ok')))
    expect(c.verdict).toBe('fail')
    const msgs = c.findings.map((f) => f.message)
    expect(msgs).toContain('merged file ' + join(root, 'empty', 'sample_merged', 'output_2_merged.pt') + ' has 2 ids but 0 rows (empty-merged race, contract §6.1)')
  })

  it('names candidate frames with an empty protein as such, apart from lost or duplicated rows', async () => {
    const c = compared(await compareOutputs(join(root, 'emptyprot'), join(root, 'ok')))
    expect(c.verdict).toBe('warn')
    const codes = c.findings.map((f) => f.code)
    expect(codes).toContain('empty-protein-frames')
    expect(codes).not.toContain('candidate-extra-ids')
    expect(codes).not.toContain('unmatched-embeddings')
    expect(codes).not.toContain('reference-missing-ids')
    expect(c.findings.find((f) => f.code === 'empty-protein-frames')?.message).toMatch(
      /^2 \(e\.g\. nread_chunk_1F1, nread_chunk_1R1\) candidate frames with an empty protein: the vanilla rules drop them .*; 1 \(e\.g\. nread_chunk_1\) chunk\(s\) have only such frames/,
    )
    // The frames both sides have still compare as equal.
    expect(c.tensors.map((t) => [t.stage, t.vectors, t.outsideTolerance])).toEqual([
      ['dnabert', 5, 0],
      ['esm', 5, 0],
      ['merged', 5, 0],
    ])
  })

  it('still fails extra frames that have a protein, and reference frames the candidate lost', async () => {
    const withProtein = join(root, 'extra-with-protein')
    cpSync(join(root, 'emptyprot'), withProtein, { recursive: true })
    const faa = join(withProtein, 'sample_protein.faa')
    writeFileSync(faa, readFileSync(faa, 'utf8').replace(/(>nread_chunk_1[FR]1)\n\n/g, '$1\nMKV\n'))
    const c = compared(await compareOutputs(withProtein, join(root, 'ok')))
    expect(c.verdict).toBe('fail')
    expect(c.findings.find((f) => f.code === 'candidate-extra-ids')?.message).toMatch(/^2 candidate frame\(s\) are not in the reference predictions/)
    expect(c.findings.map((f) => f.code)).not.toContain('empty-protein-frames')
    // The other way round the frames are lost rows, whatever their protein.
    const reverse = compared(await compareOutputs(join(root, 'ok'), join(root, 'emptyprot')))
    expect(reverse.verdict).toBe('fail')
    expect(reverse.findings.map((f) => f.code)).toContain('reference-missing-ids')
  })

  it('refuses runs whose logs give a different model when the folder has no state file (contract §6.8)', async () => {
    const bare = join(root, 'no-state')
    cpSync(join(root, 'ok'), bare, { recursive: true })
    rmSync(join(bare, '.checkpoints'), { recursive: true })
    const o = await compareOutputs(join(root, 'ok'), bare, { configs: { reference: { model: '300_model.pth', chunkLength: 300 } } })
    expect(o).toMatchObject({ status: 'error', reason: 'incomparable' })
    const same = compared(await compareOutputs(join(root, 'ok'), bare, { configs: { reference: { model: '500_model.pth', chunkLength: 500 } } }))
    expect(same.findings.map((f) => f.code)).not.toContain('config-unknown')
  })

  it('refuses runs made with a different chunk length and model', async () => {
    const o = await compareOutputs(join(root, 'model300'), join(root, 'ok'))
    expect(o).toMatchObject({ status: 'error', reason: 'incomparable' })
    if (o.status === 'error') expect(o.message).toMatch(/chunk length 300 vs 500, model '300_model.pth' vs '500_model.pth'/)
  })

  it('returns an error result for an unreadable folder', async () => {
    const o = await compareOutputs(join(root, 'nope'), join(root, 'ok'))
    expect(o).toMatchObject({ status: 'error', reason: 'unreadable' })
    if (o.status === 'error') expect(o.message).toMatch(/nope: output folder does not exist/)
  })

  it('stores a run as an Arrow reference and compares against it', async () => {
    const ref = join(root, 'reference')
    await writeReference(join(root, 'ok'), ref, {
      pipeline: 'test',
      version: '0',
      mode: 'vanilla',
      seed: 42,
      modelSize: 'tiny',
      chunkLength: 500,
      command: ['make_outputs.py'],
      inputFile: join(root, 'input.fa'),
    })
    const m = await readReferenceManifest(ref)
    expect(m.counts).toEqual({ orfFrames: 5, predictions: 5, consensus: 5 })
    expect(m.embeddings.dnabert.blocks).toEqual([{ name: 'output_1', rows: 3 }, { name: 'output_2', rows: 2 }])
    expect(m.input.records).toBe(2)
    const c = compared(await compareOutputs(join(root, 'ok'), ref))
    expect(c.verdict).toBe('pass')
    expect(c.tensors.map((t) => t.vectors)).toEqual([5, 5, 5])
    // Every comparison says what its reference was.
    expect(c.referenceDescription).toMatch(/^stored reference: test 0 in vanilla mode \(model 500_model\.pth, chunk length 500, tiny models\), made .* by `make_outputs\.py`$/)
  })

  it('reads DNABERT/ESM as slices of merged when the run kept no intermediates, and fails missing outputs', async () => {
    unlinkSync(join(root, 'same', 'sample_merged', 'prediction_results.txt'))
    rmSync(join(root, 'same', 'sample_nucleotide'), { recursive: true })
    rmSync(join(root, 'same', 'sample_protein'), { recursive: true })
    const c = compared(await compareOutputs(join(root, 'same'), join(root, 'ok')))
    expect(c.tensors.map((t) => t.vectors)).toEqual([5, 5, 5])
    expect(c.verdict).toBe('fail')
    expect(c.findings.map((f) => f.message).join('\n')).toMatch(/sample_merged\/prediction_results.txt is missing from/)
  })
})
