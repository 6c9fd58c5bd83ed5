import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { execa } from 'execa'
import { describe, expect, it } from 'vitest'
import { buildScalingCase } from '../plugin/test-support/builders.ts'
import { buildTestReport } from '../plugin/test-support/reports.ts'

const script = join(import.meta.dirname, 'compare-reports.ts')

async function files() {
  const dir = await mkdtemp(join(tmpdir(), 'compare-'))
  const write = async (name: string, value: unknown) => {
    const path = join(dir, name)
    await writeFile(path, JSON.stringify(value))
    return path
  }
  const base = await write('base.json', buildTestReport([buildScalingCase({ gpuCounts: [1, 2], repeats: 5 })]))
  const slower = await write('slower.json', buildTestReport([buildScalingCase({ gpuCounts: [1, 2], repeats: 5, slowdown: 1.5 })]))
  const broken = JSON.parse(JSON.stringify(buildTestReport([]))) as Record<string, unknown>
  broken['summary'] = { status: 'great' }
  const invalid = await write('invalid.json', broken)
  const interrupted = await write('interrupted.json', buildTestReport([buildScalingCase({ gpuCounts: [1, 2], repeats: 5 })], { complete: false }))
  return { base, slower, invalid, interrupted }
}

function run(args: string[]) {
  return execa('npx', ['tsx', script, ...args], { reject: false, cwd: join(import.meta.dirname, '..') })
}

describe('scripts/compare-reports.ts', () => {
  it('exits 0 without a regression, 1 with one, printing markdown or JSON', async () => {
    const f = await files()
    const same = await run([f.base, f.base])
    expect(same.exitCode).toBe(0)
    expect(same.stdout).toContain('# VirNucPro report comparison')
    const regressed = await run([f.base, f.slower, '--json'])
    expect(regressed.exitCode).toBe(1)
    expect(JSON.parse(regressed.stdout)).toMatchObject({ exitCode: 1 })
  })
  it('pools several reports a side (--base … --new …): a session that drifted on one side is noise, not a regression', async () => {
    const f = await files()
    // Sessions made alternately, A B A B: the second A session ran on a host 50 % slower (as measured here).
    const dir = await mkdtemp(join(tmpdir(), 'compare-pool-'))
    const drifted = join(dir, 'drifted.json')
    await writeFile(drifted, JSON.stringify(buildTestReport([buildScalingCase({ gpuCounts: [1, 2], repeats: 5, slowdown: 1.5 })])))
    // Alone, the drifted session against a plain one reads as a regression …
    expect((await run([f.base, drifted])).exitCode).toBe(1)
    // … pooled with the plain sessions of its side it is spread, compared with the other side's plain sessions.
    const pooled = await run(['--base', f.base, '--base', drifted, '--new', f.base, '--new', f.base, '--json'])
    expect(pooled.exitCode).toBe(0)
    const rows = (JSON.parse(pooled.stdout) as { rows: { metric: string; gpus: number; significance: string }[] }).rows
    expect(rows.find((r) => r.metric === 'total wall time (s)' && r.gpus === 1)?.significance).toMatch(/\(10 vs 10 runs:/)
    // A real slowdown on every candidate session is still found.
    expect((await run(['--base', f.base, '--base', f.base, '--new', f.slower, '--new', f.slower])).exitCode).toBe(1)
    expect((await run([f.base, '--new', f.slower])).stderr).toMatch(/give either two report files or --base\/--new, not both/)
  })
  it('exits 2 on an incomplete report with the reason, unless --allow-incomplete', async () => {
    const f = await files()
    const blocked = await run([f.base, f.interrupted])
    expect(blocked.exitCode).toBe(2)
    expect(blocked.stderr).toMatch(/nothing comparable: inputs cannot be compared as they are \(the new report is incomplete/)
    expect(blocked.stdout).toContain('## Inputs that cannot be compared as they are')
    expect((await run([f.base, f.interrupted, '--allow-incomplete'])).exitCode).toBe(0)
  })
  it('exits 2 naming the bad field of an invalid report, and on bad usage', async () => {
    const f = await files()
    const invalid = await run([f.base, f.invalid])
    expect(invalid.exitCode).toBe(2)
    expect(invalid.stderr).toMatch(/invalid\.json is not a valid report: summary\.status/)
    expect((await run([f.base])).exitCode).toBe(2)
    const badAlpha = await run([f.base, f.base, '--alpha', '2'])
    expect(badAlpha.exitCode).toBe(2)
    expect(badAlpha.stderr).toMatch(/--alpha needs a number in 0\.\.1, got "2"/)
  })
})
