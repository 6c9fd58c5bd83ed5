import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { parseReport } from '../plugin/report/schema.ts'

const ROOT = resolve(import.meta.dirname, '..')
const CAPTURES = join(ROOT, '..', 'shared', 'captures')
const out = mkdtempSync(join(tmpdir(), 'analyse-cli-'))
afterAll(() => rmSync(out, { recursive: true, force: true }))

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'analyse-run.ts'), ...args, '--out', out], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

describe('analyse-run', () => {
  it.runIf(existsSync(CAPTURES))('reads a hand run of the real tool with its logs and nvidia-smi CSV beside it, and names its findings', () => {
    const r = cli(join(CAPTURES, 'virnucpro-h200', 'bench_parallel'))
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/flash-attention-fallback ×85 in PROTEIN_FEATURES/)
    expect(r.stdout).toMatch(/packing-efficiency ×1/)
    const report = parseReport(JSON.parse(readFileSync(join(out, 'latest-analysis.json'), 'utf8')), 'latest-analysis.json')
    const run = report.cases[0]?.runs[0]
    expect(run?.gpu.status).toBe('sampled')
    expect(run?.outputChecks.find((c) => c.check === 'predictions = ORF frames')).toMatchObject({ status: 'ok', detail: '8077 = 8077 from the log' })
    expect(readFileSync(join(out, 'latest-analysis.md'), 'utf8')).toMatch(/!\[GPU utilisation: Post-run analysis of bench_2000x500 \(optimised, 1 GPU\)\]\(charts\//)
  }, 120_000)
  it.runIf(existsSync(CAPTURES))("reads one of the harness's own run folders and keeps its leftover-process finding", () => {
    const runs = join(CAPTURES, 'virnucpro-h200-2026-12-01', 'runs')
    const r = cli(join(runs, '2026-12-01T08-56-56-507Z-synth-large-fixed500-s42-optimised-1gpu-5176bd'))
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/flash-attention-fallback ×100 in PROTEIN_FEATURES/)
    expect(r.stdout).toMatch(/leftover-processes ×1/)
  }, 120_000)
  it('exits 1 for a failed run and says why in the summary', () => {
    const r = cli('plugin/postrun/testdata/dtype-mismatch-4gpu')
    expect(r.status).toBe(1)
    expect(r.stdout).toContain('DNABERT-S failed on all 4 workers: BF16/FP16 dtype mismatch (§6.4)')
  }, 120_000)
  it('exits 2 when the folder cannot be read, and on a bad command line', () => {
    expect(cli(join(out, 'no-such-run')).status).toBe(2)
    expect(cli().status).toBe(2)
  }, 120_000)
})
