import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ComparisonSchema } from '../plugin/model/validation.ts'

const ROOT = resolve(import.meta.dirname, '..')
let dir = ''
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'compare-cli-'))
  execFileSync('/usr/bin/python3', [join(ROOT, 'plugin', 'compare', 'testdata', 'make_outputs.py'), dir])
}, 60_000)
afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true })
})

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'compare.ts'), ...args], { cwd: ROOT, encoding: 'utf8' })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

describe('scripts/compare.ts exit codes', () => {
  it('0 and one JSON Comparison for a pass', () => {
    const r = cli(join(dir, 'ok'), join(dir, 'same'), '--json')
    expect(r.status).toBe(0)
    const c = ComparisonSchema.parse(JSON.parse(r.stdout))
    expect(c.verdict).toBe('pass')
  })

  it('1 with a readable summary for a fail, 2 for incomparable runs and usage errors', () => {
    const fail = cli(join(dir, 'empty'), join(dir, 'ok'), '--rtol', '1e-3')
    expect(fail.status).toBe(1)
    expect(fail.stdout).toMatch(/verdict: FAIL[\s\S]*empty-merged race/)
    const refused = cli(join(dir, 'model300'), join(dir, 'ok'))
    expect(refused.status).toBe(2)
    expect(refused.stderr).toMatch(/error \(incomparable\): refusing to compare/)
    expect(cli(join(dir, 'ok')).status).toBe(2)
    expect(cli(join(dir, 'ok'), join(dir, 'ok'), '--atol', 'x').status).toBe(2)
  })
})
