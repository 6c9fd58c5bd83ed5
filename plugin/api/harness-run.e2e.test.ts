/**
 * The plugin's options, end to end: a real `vitest bench` / `vitest run` over the miniature harness in
 * fixtures/harness-run/ (the CPU reference pipeline on the tiny committed sample), read back from its report.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { execa } from 'execa'
import { afterAll, describe, expect, it } from 'vitest'
import { ReportSchema } from '../report/schema.ts'

const ROOT = resolve(import.meta.dirname, '..', '..')
const CONFIG = resolve(import.meta.dirname, 'fixtures', 'harness-run', 'vitest.config.ts')
const VITEST = resolve(ROOT, 'node_modules', 'vitest', 'vitest.mjs')
const outs: string[] = []

/** The child must see only the options in its config: no override from this machine's BENCH_ or VIRNUCPRO_ variables, and no Vitest worker state. */
function childEnv(extra: Record<string, string>): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {}
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(VITEST|BENCH_|VALIDATE_|TINYPOOL)/.test(k) || (k.startsWith('VIRNUCPRO_') && k !== 'VIRNUCPRO_PYTHON')) continue
    env[k] = v
  }
  return { ...env, ...extra }
}

async function run(args: string[], extra: Record<string, string> = {}): Promise<{ out: string; output: string; exitCode: number | undefined }> {
  const out = await mkdtemp(join(tmpdir(), 'harness-run-'))
  outs.push(out)
  const child = await execa(process.execPath, [VITEST, ...args, '--config', CONFIG], { cwd: ROOT, env: childEnv({ HARNESS_RUN_OUT: out, ...extra }), extendEnv: false, reject: false, all: true, timeout: 240_000 })
  return { out, output: child.all ?? '', exitCode: child.exitCode }
}

afterAll(async () => {
  for (const out of outs) await rm(out, { recursive: true, force: true })
})

describe('harness options end to end', () => {
  it('repeats: { minRuns: 2, maxRuns: 2 } runs a benchmark case twice, and the report holds both runs', async () => {
    const { out, output, exitCode } = await run(['bench', '--run'])
    expect(exitCode, output).toBe(0)
    const report = ReportSchema.parse(JSON.parse(await readFile(join(out, 'reports', 'latest-bench.json'), 'utf8')))
    expect(report.config).toMatchObject({ repeats: { minRuns: 2, maxRuns: 2, warmup: 'never' } })
    expect(report.cases).toHaveLength(1)
    const [only] = report.cases
    expect(only?.runs.map((r) => r.outcome)).toEqual(['succeeded', 'succeeded'])
    // Where the runs went is the runsDir option; each run's output folder is the one the runner chose and returned.
    for (const r of only?.runs ?? []) expect(r.outputDir).toBe(join(r.runDir, 'out'))
    expect(only?.runs.every((r) => r.runDir.startsWith(join(out, 'runs')))).toBe(true)
  })

  it('freshVanilla: the fresh-vanilla validation is skipped unless VALIDATE_FRESH_VANILLA asks for it, then runs both pipelines', async () => {
    const off = await run(['run', '--reporter=verbose'])
    expect(off.exitCode, off.output).toBe(0)
    expect(off.output).toContain('fresh vanilla on the tiny sample (set VALIDATE_FRESH_VANILLA=1)')
    const on = await run(['run', '--reporter=verbose'], { VALIDATE_FRESH_VANILLA: '1' })
    expect(on.exitCode, on.output).toBe(0)
    const report = ReportSchema.parse(JSON.parse(await readFile(join(on.out, 'reports', 'latest-test.json'), 'utf8')))
    expect(report.cases.flatMap((c) => c.runs.map((r) => r.mode))).toEqual(['vanilla', 'optimised'])
    expect(report.validations.flatMap((v) => v.comparisons.map((c) => c.verdict))).toHaveLength(1)
  })
})
