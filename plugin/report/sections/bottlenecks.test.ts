import { describe, expect, it } from 'vitest'
import type { StagePhase } from '../../model/phases.ts'
import { MarkdownReport } from '../markdown-report.ts'
import { buildCase, buildRun } from '../../test-support/builders.ts'
import { buildTestReport } from '../../test-support/reports.ts'

const phases = (load: number, inference: number): StagePhase[] => [
  { name: 'model-load', seconds: load, basis: 'logged' },
  { name: 'inference', seconds: inference, basis: 'sampled at 500 ms' },
]

describe('the "Where the time went" sections', () => {
  const runs = [1, 2, 4].map((n) => buildRun({ id: `run-${n}gpu`, gpuCount: n, stageSeconds: { PROTEIN_FEATURES: 30 + 80 / n }, phases: { PROTEIN_FEATURES: phases(30, 80 / n) } }))
  const report = buildTestReport([buildCase({ id: 'scaling-esm', runs })])
  const markdown = new MarkdownReport('r.md').render(report, { charts: [], timelines: new Map() })[0]?.content ?? ''

  it('are in the JSON report: every run, and the serial share per item', () => {
    expect(report.bottlenecks.runs.map((r) => r.runId)).toEqual(['run-1gpu', 'run-2gpu', 'run-4gpu'])
    expect(report.bottlenecks.serial[0]?.rows[0]).toMatchObject({ label: 'ESM-2 Feature Extraction · model-load', serialSeconds: 30 })
  })

  it('name per run where the time went, with each phase’s basis, and what to optimise next', () => {
    expect(markdown).toContain('## Where the time went')
    expect(markdown).toContain('### scaling-esm: optimised, 1 GPU (run-1gpu)')
    expect(markdown).toMatch(/\| ESM-2 Feature Extraction · inference \| 80\.0 \| [\d.]+ \| — \(inference or not split\) \| sampled at 500 ms \|/)
    expect(markdown).toMatch(/\*\*Next to optimise:\*\* ESM-2 Feature Extraction · model-load: 30\.0 s/)
    expect(markdown).toMatch(/What ran: optimised = the reference pipeline's optimised mode on 1 GPU/)
  })

  it('show what does not shrink with more GPUs', () => {
    expect(markdown).toContain('## What does not shrink with more GPUs')
    expect(markdown).toMatch(/\| ESM-2 Feature Extraction · model-load \| 30\.0 \| 30\.0 \| 30\.0 \| 1\.00 \| 30\.0 \|/)
  })
})
