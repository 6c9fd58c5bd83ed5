import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { diagnoseRun } from '../analysis/run-diagnosis.ts'
import { hostEnvironment } from '../report/host-environment.ts'
import { analyseRun } from './analyse-run.ts'
import { locateRun, readRunFolder, RunFolderError } from './read-run-folder.ts'

const PYTHON = process.env.VIRNUCPRO_PYTHON ?? '/usr/bin/python3'

async function analyse(folder: string) {
  return analyseRun(await readRunFolder(locateRun(folder)), hostEnvironment())
}

describe('post-run analysis of a failed run', () => {
  it('names the stage, the workers, the cause (×18) and what was not produced, from stdout, for the dtype mismatch', async () => {
    const { run, caseResult } = await analyse('plugin/postrun/testdata/dtype-mismatch-4gpu')
    expect(run.outcome).toBe('failed')
    expect(diagnoseRun(run).headline).toBe(
      'DNABERT-S failed on all 4 workers: BF16/FP16 dtype mismatch (§6.4): Worker 0: Failed to process output_1.fa: expected scalar type Float but found Half (×18); ' +
        'no nucleotide feature files produced; no prediction file written (exit 1: failed (an exception in the pipeline))',
    )
    expect(run.errorLines.stdout[0]).toMatch(/ERROR - Worker 0: Failed to process output_1\.fa: expected scalar type Float but found Half$/)
    expect(run.errorLines.stdout).toContain('RuntimeError: no DNABERT-S features were produced (18 of 18 files failed)')
    expect(run.errorLines.stderr).toEqual([])
    expect(run.logFindings[0]).toMatchObject({ code: 'dtype-mismatch', severity: 'error', count: 18, stage: 'NUCLEOTIDE_FEATURES', workers: [0, 1, 2, 3] })
    expect(caseResult.error).toContain('DNABERT-S failed on all 4 workers')
  })

  const dir = mkdtempSync(join(tmpdir(), 'analyse-crash-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it("names the failing stage and the exception of the reference pipeline's --inject crash-at, from both streams", async () => {
    const out = join(dir, 'run')
    let rc = 0
    try {
      execFileSync(PYTHON, ['-m', 'virnucpro_ref', 'predict', 'fixtures/samples/synth-tiny-fixed500-s42.fa', '-o', out, '--model-size', 'tiny', '--device', 'cpu', '--inject', 'crash-at:FEATURE_MERGING'], {
        env: { ...process.env, PYTHONPATH: 'fixtures/reference-pipeline' },
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 120_000,
      })
    } catch (error) {
      const e = error as { status: number | null; stdout: Buffer; stderr: Buffer }
      rc = e.status ?? -1
      writeFileSync(`${out}.stdout`, e.stdout)
      writeFileSync(`${out}.stderr`, e.stderr)
    }
    expect(rc).toBe(1)
    writeFileSync(`${out}.meta`, `rc=${rc}\n`)
    const { run } = await analyse(out)
    expect(diagnoseRun(run).headline).toBe(
      'Feature merging failed: RuntimeError: Injected fault crash-at:FEATURE_MERGING: simulated failure in stage Feature Merging; no merged feature files produced; no prediction file written (exit 1: failed (an exception in the pipeline))',
    )
    expect(run.errorLines.stdout.join('\n')).toMatch(/ERROR - Prediction failed: RuntimeError: Injected fault crash-at:FEATURE_MERGING/)
    expect(run.errorLines.stderr).toContain('Traceback (most recent call last):')
    expect(run.outputChecks.find((c) => c.check === 'all stages completed')?.status).toBe('fail')
  }, 150_000)

  it('refuses a folder it cannot read (the CLI exits 2)', () => {
    expect(() => locateRun(join(dir, 'absent'))).toThrow(RunFolderError)
  })
})
