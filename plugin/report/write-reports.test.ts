import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { tableFromArrays, tableToIPC } from 'apache-arrow'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { RunResultSchema } from '../model/run-result.ts'
import { loadTimeline } from './load-timeline.ts'
import { writeTimelineArrow } from '../metrics/gpu-timeline-arrow.ts'
import { ReportSchema } from './schema.ts'
import { buildCase, buildScalingCase } from '../test-support/builders.ts'
import { buildTestReport } from '../test-support/reports.ts'
import { stampFrom, writeReports } from './write-reports.ts'

async function arrowTimeline(dir: string, startMs: number): Promise<string> {
  const path = join(dir, 'timeline.arrow')
  const offsets = [0, 500, 1000, 0, 500, 1000]
  const utilisation = [10, 90, 95, 20, 85, 99]
  await writeTimelineArrow(
    path,
    offsets.map((offset, i) => ({ timestampMs: startMs + offset, gpu: i < 3 ? 0 : 1, uuid: null, utilisationPct: utilisation[i] ?? null, memoryUsedMiB: null, memoryTotalMiB: null, powerW: null, smClockMHz: null, stage: null })),
  )
  return path
}

describe('writeReports', () => {
  afterEach(() => vi.unstubAllEnvs())

  it('writes timestamped and per-suite latest markdown + JSON, and charts under charts/<stamp>-<suite>/', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'reports-'))
    const report = buildTestReport([buildScalingCase({ gpuCounts: [1, 2], repeats: 1 })])
    const written = await writeReports(report, { reportsDir: dir, stamp: stampFrom(report.createdAt) })
    expect(written.markdown).toBe(join(dir, '20261128-120005-bench.md'))
    expect((await readdir(dir)).sort()).toEqual(['20261128-120005-bench.json', '20261128-120005-bench.md', 'charts', 'latest-bench.json', 'latest-bench.md'])
    expect(await readdir(join(dir, 'charts', '20261128-120005-bench'))).toEqual(['scaling-scaling-small.svg'])
    // The markdown embeds the chart by a path relative to the reports folder, so both the stamped and the latest file show it.
    expect(await readFile(written.latestMarkdown, 'utf8')).toContain('![Scaling: Scaling on synth-small](charts/20261128-120005-bench/scaling-scaling-small.svg)')
    expect(ReportSchema.parse(JSON.parse(await readFile(written.latestJson, 'utf8')))).toEqual(report)
    expect(await readFile(written.latestMarkdown, 'utf8')).toBe(await readFile(written.markdown, 'utf8'))
  })
  it('live rewrites (charts: false) write markdown + JSON only, and say the charts come at the end', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'reports-'))
    const report = buildTestReport([buildScalingCase({ gpuCounts: [1, 2], repeats: 1 })], { complete: false })
    const written = await writeReports(report, { reportsDir: dir, stamp: stampFrom(report.createdAt), charts: false })
    expect((await readdir(dir)).sort()).toEqual(['20261128-120005-bench.json', '20261128-120005-bench.md', 'latest-bench.json', 'latest-bench.md'])
    expect(written.charts).toEqual([])
    const markdown = await readFile(written.markdown, 'utf8')
    expect(markdown).not.toContain('![')
    expect(markdown).toContain('The charts are drawn when the suite ends')
  })
  it('draws a GPU timeline from the run\'s Arrow file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'reports-'))
    const scaling = buildScalingCase({ gpuCounts: [1, 2], repeats: 1 })
    const run = scaling.runs[1]
    if (run === undefined || run.gpu.status !== 'sampled') throw new Error('builder gave no sampled run')
    const withTimeline = RunResultSchema.parse({ ...run, gpu: { ...run.gpu, timelinePath: await arrowTimeline(dir, run.startedAtMs) } })
    const report = buildTestReport([{ ...scaling, runs: [scaling.runs[0] ?? run, withTimeline] }])
    const written = await writeReports(report, { reportsDir: dir, stamp: 'stamp' })
    expect(written.problems).toEqual([])
    const svg = await readFile(written.charts.find((c) => c.includes('/gpu-')) ?? '', 'utf8')
    expect(svg.match(/class="gpu-series"/g)).toHaveLength(2)
    // Stage bands from the state-file timestamps sit behind the series.
    expect(svg.match(/class="stage-band"/g)?.length).toBeGreaterThan(3)
    expect(svg).toContain('>ESM-2</text>')
  })
  it('keeps the bench and the test reports apart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'reports-'))
    await writeReports(buildTestReport([buildCase()]), { reportsDir: dir, stamp: 'a' })
    await writeReports({ ...buildTestReport([buildCase()]), suite: 'test' }, { reportsDir: dir, stamp: 'b' })
    expect((await readdir(dir)).filter((f) => f.startsWith('latest-')).sort()).toEqual(['latest-bench.json', 'latest-bench.md', 'latest-test.json', 'latest-test.md'])
  })
  it('appends the markdown to $GITHUB_STEP_SUMMARY when asked', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'reports-'))
    const summary = join(dir, 'step-summary.md')
    await writeFile(summary, 'before\n')
    vi.stubEnv('GITHUB_STEP_SUMMARY', summary)
    await writeReports(buildTestReport([buildCase()]), { reportsDir: dir, stamp: 's', stepSummary: true })
    const text = await readFile(summary, 'utf8')
    expect(text.startsWith('before\n# VirNucPro bench report')).toBe(true)
  })
})

describe('loadTimeline', () => {
  it('reads samples relative to the run start and names missing columns', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'timeline-'))
    const samples = await loadTimeline(await arrowTimeline(dir, 5000), 5000)
    expect(samples[1]).toEqual({ tMs: 500, gpu: 0, utilisationPercent: 90, memoryUsedMiB: null })
    const bad = join(dir, 'bad.arrow')
    await writeFile(bad, tableToIPC(tableFromArrays({ gpu: Int32Array.from([0]) }), 'file'))
    await expect(loadTimeline(bad)).rejects.toThrow(/bad\.arrow: not a GPU timeline \(missing column\(s\) timestamp_ms/)
  })
})

describe('stampFrom', () => {
  it('turns an ISO date into a file-name stamp', () => {
    expect(stampFrom('2026-11-28T12:00:05.123Z')).toBe('20261128-120005')
  })
})
