import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { replayRunFolder } from '../metrics/replay-run.ts'
import type { StagePhase } from '../model/phases.ts'
import { buildCase, buildRun } from '../test-support/builders.ts'
import { bottleneckAnalysis, runBottlenecks, serialShares } from './bottlenecks.ts'

const LARGE = fileURLToPath(new URL('../../../shared/captures/virnucpro-h200-2026-12-01/runs/2026-12-01T08-56-56-507Z-synth-large-fixed500-s42-optimised-1gpu-5176bd', import.meta.url))

const SMALL_V1 = fileURLToPath(new URL('../../../shared/captures/virnucpro-h200-2026-12-01/runs/2026-12-01T08-59-50-000Z-synth-small-fixed500-s42-vanilla-1gpu-a02493', import.meta.url))

const esmPhases = (load: number, inference: number): StagePhase[] => [
  { name: 'model-load', seconds: load, basis: 'logged' },
  { name: 'inference', seconds: inference, basis: 'logged' },
]

describe('runBottlenecks', () => {
  it('ranks phases, CPU stages and the time outside the stages, and names the largest non-inference item', () => {
    const run = buildRun({ stageSeconds: { PROTEIN_FEATURES: 100 }, phases: { PROTEIN_FEATURES: esmPhases(60, 40) }, overheadSeconds: 5 })
    const b = runBottlenecks('case', run)
    expect(b.items[0]).toMatchObject({ label: 'ESM-2 Feature Extraction · model-load', seconds: 60, gpuIdleCause: 'waiting for a model', basis: 'logged' })
    expect(b.items.find((i) => i.label.startsWith('outside'))).toMatchObject({ seconds: 5, gpuIdleCause: 'outside the stages' })
    expect(b.next).toMatch(/^ESM-2 Feature Extraction · model-load: 60\.0 s/)
    expect(b.gpuIdle.byCause[0]).toEqual({ cause: 'waiting for a model', seconds: 60 })
  })
})

describe('serialShares', () => {
  it('finds the part of each item that does not shrink with more GPUs', () => {
    // Model load stays 30 s at every count (each worker loads its own copy); inference halves.
    const runs = [1, 2, 4].map((n) => buildRun({ id: `r${n}`, gpuCount: n, stageSeconds: { PROTEIN_FEATURES: 30 + 80 / n }, phases: { PROTEIN_FEATURES: esmPhases(30, 80 / n) } }))
    const s = serialShares(buildCase({ runs }))
    const load = s?.rows.find((r) => r.label === 'ESM-2 Feature Extraction · model-load')
    const inference = s?.rows.find((r) => r.label === 'ESM-2 Feature Extraction · inference')
    expect(s?.gpuCounts).toEqual([1, 2, 4])
    expect(load?.serialFraction).toBeCloseTo(1, 6)
    expect(load?.serialSeconds).toBeCloseTo(30, 6)
    expect(inference?.serialFraction).toBeCloseTo(0, 6)
    expect(s?.rows[0]?.label).toBe('ESM-2 Feature Extraction · model-load')
  })

  it('needs a 1-GPU run and a larger count', () => {
    expect(serialShares(buildCase({ runs: [buildRun({ gpuCount: 2 }), buildRun({ gpuCount: 4 })] }))).toBeNull()
  })
})

describe.skipIf(!existsSync(LARGE))('the real tool’s large run: its Bottlenecks line against the harness’s reading', () => {
  it('agrees that ESM-2 dominates, and says that most of the ESM-2 stage is not inference', async () => {
    const { run } = await replayRunFolder(LARGE)
    const b = bottleneckAnalysis([buildCase({ id: 'large', runs: [run] })]).runs[0]
    expect(b?.whatRan).toMatch(/^optimised = the tool's v2 path \(`--parallel`, 1 GPU, Architecture: v2\.0 hybrid\), ESM-2 in float16/)
    expect(b?.toolSays[0]).toEqual({ stage: 'ESM-2 Feature Extraction', percent: 69 })
    expect(b?.disagreements[0]).toMatch(/^`Bottlenecks:` names ESM-2 Feature Extraction \(69%\), but 58\.\d % of that stage is not inference .*its cost is model-load/)
    expect(b?.disagreements.some((d) => /leaves out 6\.\d s of start-up and exit/.test(d))).toBe(true)
    expect(b?.items[0]?.label).toBe('ESM-2 Feature Extraction · inference')
    expect(b?.next).toMatch(/^ESM-2 Feature Extraction · model-load: 33\.7 s/)
  })
})

describe.skipIf(!existsSync(SMALL_V1))('what the real tool’s vanilla run was', () => {
  it('says it was the tool’s own v1 path in FP16, not the original pipeline, with its model and chunk length', async () => {
    const { run } = await replayRunFolder(SMALL_V1)
    expect(runBottlenecks('fresh', run).whatRan).toBe(
      "vanilla = the tool's own v1 path (`predict` without `--parallel`, 1 GPU, Architecture: v1.0 (single-GPU or non-parallel mode)), ESM-2 in float16 (its log's `dtype=`): " +
        'not the original pipeline (set target.vanillaCommand for that); model 500_model.pth, chunk length 500 (pipeline_state.json pipeline_config; log `Model:` / `Expected length:` lines)',
    )
  })
})
