import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { lambdaReads, synthetic } from './samples.ts'

const cacheDir = (): string => mkdtempSync(join(tmpdir(), 'samples-'))

afterEach(() => {
  vi.unstubAllEnvs()
})

describe('sample specs', () => {
  it('writes a synthetic sample into the cache, the same bytes for the same seed', async () => {
    const spec = synthetic({ preset: { gpu: 'large', cpu: 'tiny' }, seed: 3 })
    const a = await spec.resolve({ onGpu: false, cacheDir: cacheDir() })
    const b = await spec.resolve({ onGpu: false, cacheDir: cacheDir() })
    if (a.status !== 'ready' || b.status !== 'ready') throw new Error('expected ready samples')
    expect(a).toMatchObject({ name: 'synth-tiny-fixed500-s3', records: 10 })
    expect(readFileSync(a.path, 'utf8')).toBe(readFileSync(b.path, 'utf8'))
  })

  it('takes the first lambda reads from bowtie2-examples, as the committed 100-read sample did', async () => {
    const got = await lambdaReads({ reads: 100 }).resolve({ onGpu: false, cacheDir: cacheDir() })
    if (got.status !== 'ready') throw new Error(got.reason)
    expect(got).toMatchObject({ name: 'lambda-reads-100', records: 100 })
    expect(readFileSync(got.path, 'utf8')).toBe(readFileSync('fixtures/samples/lambda-reads-100.fa', 'utf8'))
  })

  it('says how to get the lambda reads when the package is not there', async () => {
    vi.stubEnv('BOWTIE2_EXAMPLES_DIR', '/nonexistent/bowtie2')
    const got = await lambdaReads({ reads: 10 }).resolve({ onGpu: true, cacheDir: cacheDir() })
    expect(got).toEqual({ status: 'missing', name: 'lambda-reads-10', reason: expect.stringMatching(/no lambda reads under \/nonexistent\/bowtie2: apt-get install bowtie2-examples, or set BOWTIE2_EXAMPLES_DIR/) })
  })
})
