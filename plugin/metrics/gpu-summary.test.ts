import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { GpuTelemetrySchema } from '../model/telemetry.ts'
import type { GpuSample } from './gpu-sample.ts'
import { busyAccounting, distribution, energyJoules, gpusThatWorked, longestIdleSeconds, summariseTelemetry } from './gpu-summary.ts'
import { percentile } from '../analysis/statistics.ts'
import { NvidiaSmiParser } from './nvidia-smi-parser.ts'
import { parsePipelineState } from './pipeline-state.ts'

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')

function sample(gpu: number, t: number, util: number, extra: Partial<GpuSample> = {}): GpuSample {
  return { timestampMs: t, gpu, uuid: null, utilisationPct: util, memoryUsedMiB: 1000, memoryTotalMiB: 2000, powerW: 100, smClockMHz: 1500, stage: null, ...extra }
}

describe('summary maths', () => {
  it('percentiles and distributions', () => {
    expect(percentile([0, 10, 20, 30, 40], 50)).toBe(20)
    expect(percentile([0, 100], 95)).toBe(95)
    expect(distribution([10, 20, 30, 40])).toEqual({ mean: 25, p50: 25, p95: 38.5, max: 40 })
    expect(distribution([])).toBeNull()
  })

  it('integrates energy by the trapezoid rule', () => {
    const s = [sample(0, 0, 0, { powerW: 100 }), sample(0, 1000, 0, { powerW: 200 }), sample(0, 3000, 0, { powerW: 200 })]
    expect(energyJoules(s)).toBe(150 + 400)
    expect(energyJoules([sample(0, 0, 0)])).toBeNull()
  })

  it('finds the longest idle stretch', () => {
    const s = [0, 5, 5, 90, 5, 5, 5, 80].map((u, i) => sample(0, i * 500, u))
    expect(longestIdleSeconds(s, 3500)).toBe(1.5)
    expect(longestIdleSeconds([sample(0, 0, 0), sample(0, 500, 0)], 2000)).toBe(2)
  })

  it('accounts busy time over a synthetic 2-GPU run', () => {
    // 0–2 s both busy, 2–4 s only GPU 0, 4–6 s neither; ticks every 500 ms.
    const samples: GpuSample[] = []
    for (let t = 0; t <= 6000; t += 500) {
      samples.push(sample(0, t, t < 4000 ? 90 : 0))
      samples.push(sample(1, t, t < 2000 ? 85 : 2, { memoryUsedMiB: t < 2000 ? 5000 : 1000 }))
    }
    samples.push(sample(2, 0, 0), sample(2, 6000, 0))
    const busy = busyAccounting(samples, [0, 1], 10)
    expect(busy).toEqual({ busyThresholdPercent: 10, allBusySeconds: 2, someBusySeconds: 2, noneBusySeconds: 2 })
    expect(gpusThatWorked(samples, 10)).toEqual([0, 1])

    const telemetry = summariseTelemetry({
      samples,
      run: { name: 'run', startMs: 0, endMs: 6000, sequences: 100 },
      stages: [{ name: 'PROTEIN_FEATURES', startMs: 0, endMs: 2000 }, { name: 'CONSENSUS', startMs: 7000, endMs: 8000 }],
      embedding: { name: 'embedding', startMs: 0, endMs: 1999, sequences: 100 },
      assignedGpus: [0, 1],
      intervalMs: 500,
      source: 'test',
      samplerCpuPercent: null,
      timelinePath: null,
    })
    const parsed = GpuTelemetrySchema.parse(telemetry)
    if (parsed.status !== 'sampled') throw new Error('expected samples')
    expect(parsed.busyGpus).toEqual([0, 1])
    expect(parsed.run.perGpu.map((g) => g.gpu)).toEqual([0, 1])
    expect(parsed.run.energyJ).toBeCloseTo(2 * 100 * 6)
    expect(parsed.run.energyPerSequenceJ).toBeCloseTo(12)
    expect(parsed.embedding?.meanUtilisationPercent).toBeCloseTo(87.5)
    // A stage with no samples inside is left out rather than reported as 0 %.
    expect(parsed.stages.map((s) => s.window)).toEqual(['PROTEIN_FEATURES'])
  })

  it('flags a GPU that did work without being assigned (contract caveat 5)', () => {
    const samples = [sample(0, 0, 0), sample(0, 1000, 0), sample(3, 0, 0), sample(3, 1000, 70)]
    const t = summariseTelemetry({ samples, run: { name: 'run', startMs: 0, endMs: 1000 }, stages: [], embedding: null, assignedGpus: [0], intervalMs: 500, source: 't', samplerCpuPercent: null, timelinePath: null })
    if (t.status !== 'sampled') throw new Error('expected samples')
    expect(t.busyGpus).toEqual([3])
    expect(t.run.perGpu.map((g) => g.gpu)).toEqual([0, 3])
    expect(t.run.meanUtilisationPercent).toBe(0)
  })
})

describe('summaries of the captured H200 run', () => {
  it('summarises the single-GPU capture per stage', () => {
    const samples = new NvidiaSmiParser().parseText(fixture('bench_single.gpu.csv'))
    const state = parsePipelineState(fixture('bench_single.pipeline_state.json'))
    if (state === null) throw new Error('state')
    // The capture host ran on UTC, and nvidia-smi prints local time: shift to compare on this machine's zone.
    const shift = new Date(2026, 10, 28).getTimezoneOffset() * 60_000
    const local = samples.map((s) => ({ ...s, timestampMs: s.timestampMs - shift }))
    const esm = state.stages.PROTEIN_FEATURES
    if (!esm || esm.startedAtMs === null || esm.completedAtMs === null) throw new Error('esm stage')
    const first = local[0]?.timestampMs ?? 0
    const last = local[local.length - 1]?.timestampMs ?? 0
    const t = summariseTelemetry({
      samples: local,
      run: { name: 'run', startMs: first, endMs: last, sequences: 8077 },
      stages: [{ name: 'PROTEIN_FEATURES', startMs: esm.startedAtMs, endMs: esm.completedAtMs, sequences: 8077 }],
      embedding: null,
      assignedGpus: [0],
      intervalMs: 500,
      source: 'capture',
      samplerCpuPercent: null,
      timelinePath: null,
    })
    if (t.status !== 'sampled') throw new Error('expected samples')
    expect(t.sampleCount).toBe(230)
    expect(t.run.perGpu[0]?.memoryUsedMiB.peak).toBeGreaterThan(10_000)
    expect(t.run.energyJ).toBeGreaterThan(0)
    const esmWindow = t.stages[0]
    expect(esmWindow?.window).toBe('PROTEIN_FEATURES')
    // The capture README: ESM-2 stage 68.7 s including ≈28 s of model loading, utilisation ≈55–64 % while inferring.
    expect(esmWindow?.perGpu[0]?.utilisationPercent.max).toBeGreaterThan(50)
    expect(esmWindow?.perGpu[0]?.longestIdleSeconds).toBeGreaterThan(15)
  })
})
