import { execFile, execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import type { Comparison, Verdict } from '../model/validation.ts'
import { compareOutputs } from './compare-outputs.ts'
import type { FindingCode } from './core/findings.ts'

/**
 * End to end: run the reference pipeline optimised on CPU (tiny model) on a committed sample, once per injected
 * fault, and compare with the committed vanilla reference. Skipped when the reference pipeline or the committed
 * reference is not there.
 */
const ROOT = resolve(import.meta.dirname, '..', '..')
const PIPELINE = join(ROOT, 'fixtures', 'reference-pipeline')
const SAMPLE_STEM = 'synth-tiny-fixed500-s42'
const SAMPLE = join(ROOT, 'fixtures', 'samples', `${SAMPLE_STEM}.fa`)
const REFERENCE = join(ROOT, 'fixtures', 'reference', SAMPLE_STEM)
const PYTHON = '/usr/bin/python3'
const run = promisify(execFile)

function pipelineRuns(): boolean {
  try {
    execFileSync(PYTHON, ['-m', 'virnucpro_ref', '--help'], { env: { ...process.env, PYTHONPATH: PIPELINE }, stdio: 'ignore', timeout: 30_000 })
    return true
  } catch {
    return false
  }
}

const ready = existsSync(SAMPLE) && existsSync(join(REFERENCE, 'manifest.json')) && pipelineRuns()
const work = ready ? mkdtempSync(join(tmpdir(), 'compare-e2e-')) : ''
afterAll(() => {
  if (work !== '') rmSync(work, { recursive: true, force: true })
})

async function pipeline(name: string, extra: string[]): Promise<{ out: string; exitCode: number }> {
  const out = join(work, name)
  const args = ['-m', 'virnucpro_ref', 'predict', SAMPLE, '-m', '500', '-o', out, '--model-size', 'tiny', '--seed', '42', '-k', '--device', 'cpu', '--force', ...extra]
  try {
    await run(PYTHON, args, { env: { ...process.env, PYTHONPATH: PIPELINE }, maxBuffer: 64 << 20, timeout: 120_000 })
    return { out, exitCode: 0 }
  } catch (e) {
    const code = (e as { code?: unknown }).code
    return { out, exitCode: typeof code === 'number' ? code : -1 }
  }
}

async function compareRun(name: string, extra: string[]): Promise<Comparison> {
  const { out, exitCode } = await pipeline(name, extra)
  const o = await compareOutputs(out, REFERENCE, { run: { exitCode } })
  if (o.status !== 'compared') throw new Error(`${name}: ${o.message}`)
  return o.comparison
}

const codes = (c: Comparison): string[] => c.findings.filter((f) => f.verdict !== 'pass').map((f) => f.code)
const text = (c: Comparison): string => c.findings.map((f) => `${f.code}: ${f.message}`).join('\n')

interface FaultCase {
  inject: string
  verdict: Verdict
  code: FindingCode
  message: RegExp
}

const FAULTS: FaultCase[] = [
  { inject: 'empty-merged', verdict: 'fail', code: 'merged-rows-mismatch', message: /has \d+ ids but 0 rows \(empty-merged race/ },
  { inject: 'drop-rows', verdict: 'fail', code: 'reference-missing-ids', message: /missing from the candidate/ },
  { inject: 'duplicate-rows', verdict: 'fail', code: 'duplicate-ids', message: /repeat/ },
  { inject: 'nan-embeddings', verdict: 'fail', code: 'non-finite', message: /NaN/ },
  { inject: 'shuffle-ids', verdict: 'fail', code: 'tolerance', message: /cosine|agreement/ },
  { inject: 'perturb:1e-2', verdict: 'warn', code: 'numerical-variance', message: /within numerical variance/ },
  { inject: 'wrong-model', verdict: 'fail', code: 'tolerance', message: /label agreement|consensus agreement/ },
  { inject: 'crash-at:FEATURE_MERGING', verdict: 'fail', code: 'missing-output', message: /prediction_results.txt is missing/ },
]

describe.skipIf(!ready)('optimised reference pipeline vs the committed vanilla reference', () => {
  it('a clean optimised CPU run is within tolerance or numerical variance', async () => {
    const c = await compareRun('clean', [])
    expect(['pass', 'warn'], text(c)).toContain(c.verdict)
    console.info(`clean optimised vs vanilla: ${c.verdict}; first diverging stage ${String(c.firstDivergingStage)}; ${c.tensors.map((t) => `${t.stage} max|Δ| ${t.maxAbsDiff.toExponential(2)} cos ${t.minCosine.toFixed(7)}`).join(', ')}`)
  })

  it('perturb:1e-6 stays within tolerance (pass)', async () => {
    const c = await compareRun('perturb-1e-6', ['--inject', 'perturb:1e-6'])
    expect(c.verdict, text(c)).toBe('pass')
  })

  it.each(FAULTS)('$inject is caught: $verdict ($code)', async ({ inject, verdict, code, message }) => {
    const c = await compareRun(inject.replace(/[^a-z0-9]+/gi, '-'), ['--inject', inject])
    expect(c.verdict, text(c)).toBe(verdict)
    expect(codes(c), text(c)).toContain(code)
    expect(text(c)).toMatch(message)
  })
})
