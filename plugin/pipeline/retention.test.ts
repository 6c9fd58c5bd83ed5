import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { captureEnvironment } from '../env/capture-environment.ts'
import type { Environment } from '../model/environment.ts'
import { planRetention, type RunFolderFacts } from './retention-plan.ts'
import { applyRetention, runFolderFacts } from './retention.ts'
import { runPipeline } from './run-pipeline.ts'
import { fakeRequest, FakeTarget, TEST_PYTHON } from './testing/fake-target.ts'
import { killEverythingUnder } from './testing/process-table.ts'

const MiB = 2 ** 20

function folder(i: number, state: RunFolderFacts['state'], mib: number, ptMib = 0): RunFolderFacts {
  const dir = `/runs/2026-12-01T10-00-${String(i).padStart(2, '0')}-run`
  return { dir, name: path.basename(dir), state, bytes: (mib + ptMib) * MiB, ptFiles: ptMib > 0 ? [{ path: `${dir}/out/x.pt`, bytes: ptMib * MiB }] : [] }
}

describe('planRetention', () => {
  it('keeps the newest N successful runs and every failed one within its own count', () => {
    const folders = [folder(1, 'succeeded', 1), folder(2, 'failed', 1), folder(3, 'succeeded', 1), folder(4, 'succeeded', 1), folder(5, 'failed', 1), folder(6, 'succeeded', 1)]
    const plan = planRetention(folders, { keepRuns: 2, keepFailedRuns: 5, maxBytes: 100 * MiB })
    expect(plan.actions.map((a) => [a.kind, path.basename(a.dir)])).toEqual([
      ['delete-run', '2026-12-01T10-00-01-run'],
      ['delete-run', '2026-12-01T10-00-03-run'],
    ])
    expect(plan.bytesAfter).toBe(4 * MiB)
  })

  it('over the size bound takes .pt intermediates of successful runs first, oldest first, then whole runs', () => {
    const folders = [folder(1, 'succeeded', 1, 10), folder(2, 'failed', 1, 10), folder(3, 'succeeded', 1, 10), folder(4, 'live', 1, 50)]
    const ptOnly = planRetention(folders, { keepRuns: 10, keepFailedRuns: 10, maxBytes: 75 * MiB })
    expect(ptOnly.actions.map((a) => [a.kind, path.basename(a.dir)])).toEqual([['delete-pt', '2026-12-01T10-00-01-run']])
    expect(ptOnly.bytesAfter).toBe(74 * MiB)
    const tight = planRetention(folders, { keepRuns: 10, keepFailedRuns: 10, maxBytes: 50 * MiB })
    expect(tight.actions.map((a) => [a.kind, path.basename(a.dir)])).toEqual([
      ['delete-pt', '2026-12-01T10-00-01-run'],
      ['delete-pt', '2026-12-01T10-00-03-run'],
      ['delete-run', '2026-12-01T10-00-01-run'],
      ['delete-run', '2026-12-01T10-00-03-run'],
      ['delete-run', '2026-12-01T10-00-02-run'],
    ])
    // The live run alone is over the bound: it is never touched, and that is said.
    expect(tight.bytesAfter).toBe(51 * MiB)
    expect(tight.overBound).toMatch(/only runs in progress remain/)
  })

  it('never touches a run in progress', () => {
    const plan = planRetention([folder(1, 'live', 10, 10)], { keepRuns: 1, keepFailedRuns: 1, maxBytes: 1 })
    expect(plan.actions).toEqual([])
  })
})

describe('applyRetention over real run folders', () => {
  let runsDir: string
  let environment: Environment
  beforeAll(async () => {
    runsDir = mkdtempSync(path.join(tmpdir(), 'retention-'))
    environment = await captureEnvironment(null)
  })
  afterAll(() => {
    killEverythingUnder(runsDir)
    rmSync(runsDir, { recursive: true, force: true })
  })

  it('keeps .runs within its bound over a 10-case suite, failed runs whole, other files of the cache untouched', async () => {
    mkdirSync(path.join(runsDir, 'samples'), { recursive: true })
    writeFileSync(path.join(runsDir, 'samples', 'cached.fa'), '>a\nACGT\n')
    const policy = { keepRuns: 3, keepFailedRuns: 2, maxBytes: 3 * MiB }
    const sizes: number[] = []
    for (let i = 0; i < 10; i++) {
      // Every run writes a 1 MiB .pt; every fourth one fails.
      const args = ['--write-pt', String(MiB), ...(i % 4 === 3 ? ['--exit', '1'] : [])]
      await runPipeline(new FakeTarget(), fakeRequest(args), { runsDir, timeoutSeconds: 60, sampleIntervalMs: 100, progress: 'off', python: TEST_PYTHON, environment, statePollMs: 100, nvidiaSmi: '/nonexistent/nvidia-smi' })
      const plan = await applyRetention(runsDir, policy)
      expect(plan.overBound).toBeNull()
      sizes.push((await runFolderFacts(runsDir)).reduce((s, f) => s + f.bytes, 0))
    }
    expect(Math.max(...sizes)).toBeLessThanOrEqual(policy.maxBytes)
    const facts = await runFolderFacts(runsDir)
    expect(facts.filter((f) => f.state === 'succeeded').length).toBeLessThanOrEqual(3)
    const failed = facts.filter((f) => f.state === 'failed')
    expect(failed).toHaveLength(2)
    expect(failed.every((f) => f.ptFiles.length === 1)).toBe(true) // evidence kept whole
    expect(existsSync(path.join(runsDir, 'samples', 'cached.fa'))).toBe(true)
    expect(readdirSync(runsDir).length).toBeLessThanOrEqual(1 + 3 + 2)
  })
})
