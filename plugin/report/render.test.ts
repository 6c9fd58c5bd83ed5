import { describe, expect, it } from 'vitest'
import { planCharts } from './chart-plan.ts'
import type { TimelinePoint } from './formatter.ts'
import { JsonReport } from './json-report.ts'
import { MarkdownReport } from './markdown-report.ts'
import { SvgCharts } from './svg-charts.ts'
import { buildCase, buildComparison, buildRun, buildScalingCase } from '../test-support/builders.ts'
import { buildTestReport } from '../test-support/reports.ts'

const samples: TimelinePoint[] = Array.from({ length: 40 }, (_, i) => ({ tMs: i * 500, gpu: i % 2, utilisationPercent: 50 + (i % 5) * 10, memoryUsedMiB: 1000 }))

function renderAll() {
  const scaling = buildScalingCase({ gpuCounts: [1, 2, 4], repeats: 3, utilisationPercent: 70 })
  const validation = buildCase({ id: 'equivalence-tiny', title: 'Optimised vs vanilla', kind: 'validation', comparisons: [buildComparison('warn')] })
  const errored = buildCase({ id: 'oom-large', kind: 'memory', status: 'error', error: 'exit 4: out of memory', startedAtMs: Date.UTC(2026, 10, 28, 13) })
  const report = buildTestReport([scaling, validation, errored], { manifest: { name: 'real-1M', sequenceCount: 1_000_000, length: { mean: 150 } } })
  const runId = scaling.runs[0]?.id ?? ''
  const context = { charts: planCharts(report, 'stamp-bench', new Set([runId])), timelines: new Map([[runId, samples]]) }
  const markdown = new MarkdownReport('stamp-bench.md').render(report, context)[0]?.content ?? ''
  const svgs = new SvgCharts().render(report, context)
  return { report, markdown, svgs, context }
}

describe('MarkdownReport', () => {
  const { markdown, report } = renderAll()
  const lines = markdown.split('\n')

  it('starts with title, status and environment', () => {
    expect(lines[0]).toBe('# VirNucPro bench report')
    expect(lines[2]).toBe('**Status: ❌ fail**')
    expect(lines[4]).toMatch(/^Environment: gpu-host · 4× NVIDIA H200 · driver 570\.86\.15 · CUDA 12\.8 · Python 3\.11\.2, torch 2\.11\.0 · Node v20\.20\.2/)
    expect(report.summary).toMatchObject({ status: 'fail', cases: 3, failed: 1 })
  })
  it('has the summary, scaling (measured and projected rows), stage, GPU and projection tables', () => {
    expect(markdown).toContain('| Cases | Passed | Failed | Warnings | Skipped | Not evaluated |')
    expect(markdown).toMatch(/\| Scaling on synth-small \| scaling \| ⚠️ \d+ warnings \| 9 \| 1 GPU: 1\.8 min \(median of 3\)/)
    expect(markdown).toContain('| GPUs | Wall time | Speedup | Efficiency | Basis | Status |')
    expect(markdown).toMatch(/\| 1 \| 1\.8 min \| 1\.00× \| 100 % \| measured \(3 runs\) \| — \|/)
    expect(markdown).toMatch(/\| 8 \*\(projected\)\* \| .* \| projected \(Amdahl fit, f=0\.\d{3}\) \| ⚠️ < 6\.00× \|/)
    expect(markdown).toContain('| ESM-2 | 2 |')
    expect(markdown).toMatch(/\| ESM-2 Feature Extraction \| 1 \| 1\.0 min \| 0\.0 % \| 8000 \| 133\.3 \|/)
    expect(markdown).toContain('## GPU utilisation and memory')
    expect(markdown).toMatch(/\| Scaling on synth-small \| real-1M \| 1000000 \| 4 \| \d+\.\d h, \d+\.\d–\d+\.\d h \| — \| .* \| ✅ within target \|/)
  })
  it('lists warnings with measured value, target, shortfall and basis', () => {
    expect(markdown).toMatch(/- ⚠ \*\*speedup-below-band\*\* \(Scaling on synth-small\): .*Measured 1\.56, target ≥ 1\.60× .*shortfall 0\.04× short of 1\.60× \(2 %\); basis: measured \(median of 3 runs\)\./)
    expect(markdown).toMatch(/embedding-utilisation-low.*basis: sampled at 500 ms/)
  })
  it('lists not-evaluated checks with reasons, and validations with verdict, stats and findings', () => {
    expect(markdown).toContain('| performance thresholds | Scaling on synth-small | case errored: exit 4: out of memory |')
    expect(markdown).toContain('### Optimised vs vanilla: ⚠️ verdict warn')
    expect(markdown).toMatch(/\*\*Verdict: warn\*\*/)
    expect(markdown).toContain('| dnabert | 100 |')
    expect(markdown).toContain('- warn: **label-flips**: 2 labels flipped near 0.5')
    // Agreement figures are percentages already (0–100), not fractions.
    expect(markdown).toContain('Predictions: 100 rows, label agreement 100.00 % (0 flips, 0 borderline)')
    expect(markdown).toContain('Consensus: 40 rows, agreement 100.00 % (0 disagreements, 0 on borderline chunks)')
  })
  it('embeds the charts as images with readable titles and explains how the numbers were obtained', () => {
    expect(markdown).toContain('![Scaling: Scaling on synth-small](stamp-bench/scaling-scaling-small.svg)')
    expect(markdown).toMatch(/!\[GPU utilisation: Scaling on synth-small \(optimised, 1 GPU\)\]\(stamp-bench\/gpu-scaling-1gpu-r0\.svg\)/)
    expect(markdown).toContain('## How these numbers were obtained')
    expect(markdown).toContain('sampled by nvidia-smi every 500 ms (nvidia-smi)')
  })
  it('says what ran: title, file, target, mode, model, sample and GPUs', () => {
    expect(markdown).toContain('## What ran')
    expect(markdown).toMatch(/\| Scaling on synth-small \| `benches\/scaling\.bench\.ts` \| .* \| optimised.* \| .*synth-small.* \| 1 GPU; 2 GPUs; 4 GPUs \|/)
  })
  it('says why there are no charts', () => {
    const cpu = buildTestReport([buildCase({ runs: [buildRun({ gpuCount: 0 })] })])
    const text = new MarkdownReport('x.md').render(cpu, { charts: [], timelines: new Map() })[0]?.content ?? ''
    expect(text).toMatch(/No charts: (every run was on CPU|no GPU samples)/)
  })
  it('says nothing ran when there are no cases', () => {
    const empty = new MarkdownReport('x.md').render(buildTestReport([], { complete: false }), { charts: [], timelines: new Map() })[0]?.content ?? ''
    expect(empty).toContain('Nothing ran: no benchmark or validation case finished.')
    // A report of a suite still going is never a pass (issue 17: it read "✅ pass · ⏳ incomplete").
    expect(empty).toContain('**Status: ⏳ running (cases so far)**')
    expect(empty).not.toContain('✅')
  })
})

describe('SvgCharts', () => {
  const { svgs } = renderAll()
  it('draws the scaling curve against the ideal line, projected points hollow, with axes and legend', () => {
    const scaling = svgs.find((f) => f.path === 'stamp-bench/scaling-scaling-small.svg')?.content ?? ''
    expect(scaling).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/)
    expect(scaling.match(/class="point measured"/g)).toHaveLength(3)
    expect(scaling.match(/class="point projected"[^>]*fill="#fff"/g)).toHaveLength(1)
    expect(scaling).toContain('<g class="ideal">')
    expect(scaling).toContain('class="x-label"')
    expect(scaling).toContain('>GPUs</text>')
    expect(scaling).toContain('>Speedup over 1 GPU (×)</text>')
    expect(scaling).toContain('>projected (Amdahl)</text>')
    // Whole GPU counts only on the x axis.
    expect(scaling).not.toMatch(/>1\.5<\/text>/)
    expect(scaling.trim().endsWith('</svg>')).toBe(true)
  })
  it('draws one utilisation series per GPU with the target line', () => {
    const timeline = svgs.find((f) => f.path.includes('/gpu-'))?.content ?? ''
    expect(timeline.match(/class="gpu-series"/g)).toHaveLength(2)
    expect(timeline).toContain('>GPU 1</text>')
    expect(timeline).toContain('>target 80 %</text>')
    expect(timeline).toContain('>GPU utilisation (%)</text>')
  })
  it('escapes text', () => {
    const c = buildScalingCase({ id: 'a<b>&c', gpuCounts: [1, 2], repeats: 1 })
    const report = buildTestReport([c])
    const svg = new SvgCharts().render(report, { charts: planCharts(report, 'd', new Set()), timelines: new Map() })[0]?.content ?? ''
    expect(svg).toContain('Scaling: Scaling on synth-small')
    const titled = buildTestReport([buildScalingCase({ id: 'x', title: 'a<b>&c', gpuCounts: [1, 2], repeats: 1 })])
    const svg2 = new SvgCharts().render(titled, { charts: planCharts(titled, 'd', new Set()), timelines: new Map() })[0]?.content ?? ''
    expect(svg2).toContain('Scaling: a&lt;b&gt;&amp;c')
  })
})

describe('JsonReport', () => {
  it('writes the report itself', () => {
    const report = buildTestReport([buildCase({ runs: [buildRun()] })])
    const file = new JsonReport('latest.json').render(report, { charts: [], timelines: new Map() })[0]
    expect(file?.path).toBe('latest.json')
    expect(JSON.parse(file?.content ?? '')).toEqual(report)
  })
})
