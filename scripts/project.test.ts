import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseSampleManifest } from '../plugin/data/sample-manifest.ts'
import { synthRecords } from '../plugin/data/synth.ts'

const ROOT = resolve(import.meta.dirname, '..')
const H200_REPORT = 'docs/results/h200x1-2026-11-29-tuned/20261129-075324-bench.json'
let dir = ''
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'project-cli-'))
})
afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true })
})

function cli(script: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', script), ...args], { cwd: ROOT, encoding: 'utf8' })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

describe('scripts/describe-sample.ts on a FASTQ of reads', () => {
  it('writes a manifest that carries the nucleotide-frame and protein length histograms', () => {
    const fastq = join(dir, 'reads.fastq')
    const lines: string[] = []
    for (const r of synthRecords({ seed: 5, count: 200, profile: 'reads150' })) lines.push(`@${r.id}`, Buffer.from(r.bases).toString('latin1'), '+', 'I'.repeat(r.bases.length))
    writeFileSync(fastq, `${lines.join('\n')}\n`)
    const r = cli('describe-sample.ts', fastq, '--chunk-length', '300', '--no-sha256')
    expect(r.status, r.stderr).toBe(0)
    const manifest = parseSampleManifest(JSON.parse(r.stdout), 'stdout')
    expect(manifest.format).toBe('fastq')
    const work = manifest.work!
    const total = (pairs: [number, number][]): number => pairs.reduce((s, [, n]) => s + n, 0)
    expect(work.orfFrames).toBe(manifest.orfFrames)
    expect(total(work.proteinLengths)).toBe(work.orfFrames)
    expect(total(work.nucleotideLengths)).toBe(work.orfFrames)
    // 100–150 bp reads: proteins of 32–50 residues, frames of at most 3·50+1 bases.
    expect(work.proteinLengths.every(([len]) => len >= 32 && len <= 50)).toBe(true)
    expect(work.nucleotideLengths.every(([len]) => len <= 151)).toBe(true)
  })
})

describe('scripts/project.ts', () => {
  it('projects the example manifest per GPU count from a report, as JSON with interval and basis', () => {
    const r = cli('project.ts', '--from', H200_REPORT, '--sample', 'fixtures/samples/manifests/example-real-sample.json', '--gpus', '1,4', '--json', '--cache-dir', join(dir, 'cache'))
    expect(r.status, r.stderr).toBe(0)
    const { projections } = JSON.parse(r.stdout) as { projections: { gpus: number; seconds: number; low: number; high: number; basis: string; verdict: string | null; assumptions: string[] }[] }
    expect(projections.map((p) => p.gpus)).toEqual([1, 4])
    for (const p of projections) {
      expect(p.low).toBeLessThan(p.seconds)
      expect(p.high).toBeGreaterThan(p.seconds)
      expect(p.basis).toMatch(/^projected \(cost model/)
    }
    expect(projections[1]?.verdict).toMatch(/within target|over target|undecided/)
    expect(projections[0]?.assumptions.join('\n')).toMatch(/794577 frames/)
  })
  it('projects a run folder onto its own sample file as that run’s wall time', () => {
    const report = JSON.parse(readFileSync(join(ROOT, H200_REPORT), 'utf8')) as { cases: { runs: { sample: { name: string }; wallSeconds: number }[] }[] }
    const run = report.cases.flatMap((c) => c.runs).find((x) => x.sample.name === 'lambda-reads-100')!
    const runDir = join(dir, 'run')
    mkdirSync(runDir, { recursive: true })
    writeFileSync(join(runDir, 'result.json'), JSON.stringify(run))
    const r = cli('project.ts', '--from', runDir, '--sample', 'fixtures/samples/lambda-reads-100.fa', '--gpus', '1', '--json')
    expect(r.status, r.stderr).toBe(0)
    const [one] = (JSON.parse(r.stdout) as { projections: { seconds: number }[] }).projections
    expect(one?.seconds).toBeCloseTo(run.wallSeconds, 6)
  })
  it('exits 2 with the usage on a bad command line', () => {
    const r = cli('project.ts', '--sample', 'x.json')
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/--from is required/)
  })
})
