/**
 * Pure summaries of a GPU sample timeline (no I/O): per-GPU statistics over a time window, energy by the trapezoid
 * rule, idle stretches and busy accounting across GPUs. Samples are treated as holding until the next one.
 */
import type { BusyAccounting, Distribution, GpuTelemetry, GpuWindow, GpuWindowStats } from '../model/telemetry.ts'
import { max, mean, percentile } from '../analysis/statistics.ts'
import type { GpuSample } from './gpu-sample.ts'

export const IDLE_UTILISATION_PCT = 10
/** A GPU whose memory rose by more than this during the run was used, even if utilisation never showed it. */
export const MEMORY_RISE_MIB = 256

export interface TimeWindow {
  name: string
  startMs: number
  endMs: number
  /** Sequences processed in the window, for energy per sequence. */
  sequences?: number | null
}

export function distribution(values: readonly number[]): Distribution | null {
  if (values.length === 0) return null
  return { mean: mean(values), p50: percentile(values, 50), p95: percentile(values, 95), max: max(values) }
}

function present(values: ReadonlyArray<number | null>): number[] {
  return values.filter((v): v is number => v !== null)
}

/** Joules from power samples of one GPU (ascending time), trapezoid rule; null when fewer than two readings. */
export function energyJoules(samples: readonly GpuSample[]): number | null {
  const points = samples.filter((s) => s.powerW !== null)
  if (points.length < 2) return null
  let joules = 0
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]
    const b = points[i]
    if (a === undefined || b === undefined) continue
    joules += (((a.powerW ?? 0) + (b.powerW ?? 0)) / 2) * ((b.timestampMs - a.timestampMs) / 1000)
  }
  return joules
}

/** Longest run of consecutive samples under the idle threshold, measured up to the next sample (or windowEnd). */
export function longestIdleSeconds(samples: readonly GpuSample[], windowEndMs: number): number {
  let longest = 0
  let startMs: number | null = null
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i]
    if (s === undefined) continue
    const idle = s.utilisationPct !== null && s.utilisationPct < IDLE_UTILISATION_PCT
    if (idle && startMs === null) startMs = s.timestampMs
    if (!idle && startMs !== null) {
      longest = Math.max(longest, s.timestampMs - startMs)
      startMs = null
    }
  }
  const last = samples[samples.length - 1]
  if (startMs !== null && last !== undefined) longest = Math.max(longest, Math.max(windowEndMs, last.timestampMs) - startMs)
  return longest / 1000
}

export function byGpu(samples: readonly GpuSample[]): Map<number, GpuSample[]> {
  const map = new Map<number, GpuSample[]>()
  for (const s of samples) {
    const list = map.get(s.gpu) ?? []
    list.push(s)
    map.set(s.gpu, list)
  }
  for (const list of map.values()) list.sort((a, b) => a.timestampMs - b.timestampMs)
  return map
}

/** Seconds during which every / some / none of `gpus` was at or above the threshold (sample-and-hold). */
export function busyAccounting(samples: readonly GpuSample[], gpus: readonly number[], thresholdPct: number): BusyAccounting {
  const wanted = new Set(gpus)
  const timeline = samples.filter((s) => wanted.has(s.gpu)).sort((a, b) => a.timestampMs - b.timestampMs)
  const busy = new Map<number, boolean>()
  const totals = { all: 0, some: 0, none: 0 }
  for (let i = 0; i < timeline.length; i++) {
    const s = timeline[i]
    if (s === undefined) continue
    busy.set(s.gpu, (s.utilisationPct ?? 0) >= thresholdPct)
    const next = timeline[i + 1]
    if (next === undefined || next.timestampMs === s.timestampMs) continue
    const dt = (next.timestampMs - s.timestampMs) / 1000
    const count = [...wanted].filter((g) => busy.get(g) === true).length
    if (count === wanted.size) totals.all += dt
    else if (count > 0) totals.some += dt
    else totals.none += dt
  }
  return { busyThresholdPercent: thresholdPct, allBusySeconds: totals.all, someBusySeconds: totals.some, noneBusySeconds: totals.none }
}

export function gpuWindowStats(gpu: number, samples: readonly GpuSample[], windowEndMs: number): GpuWindowStats | null {
  const util = distribution(present(samples.map((s) => s.utilisationPct)))
  if (util === null) return null
  const memory = present(samples.map((s) => s.memoryUsedMiB))
  const totals = present(samples.map((s) => s.memoryTotalMiB))
  return {
    gpu,
    samples: samples.length,
    utilisationPercent: util,
    memoryUsedMiB: { peak: memory.length ? Math.max(...memory) : 0, mean: memory.length ? memory.reduce((a, b) => a + b, 0) / memory.length : 0 },
    memoryTotalMiB: totals.length ? Math.max(...totals) : null,
    powerW: distribution(present(samples.map((s) => s.powerW))),
    energyJ: energyJoules(samples),
    smClockMHz: distribution(present(samples.map((s) => s.smClockMHz))),
    longestIdleSeconds: longestIdleSeconds(samples, windowEndMs),
  }
}

export interface WindowOptions {
  /** GPUs to report on (assigned ∪ busy). */
  gpus: readonly number[]
  /** GPUs the run was given; the mean utilisation and busy accounting are over these. */
  assignedGpus: readonly number[]
  busyThresholdPct: number
}

/** A window's statistics, or null when no sample of the reported GPUs falls inside it. */
export function summariseWindow(window: TimeWindow, samples: readonly GpuSample[], options: WindowOptions): GpuWindow | null {
  const inside = samples.filter((s) => s.timestampMs >= window.startMs && s.timestampMs <= window.endMs)
  const grouped = byGpu(inside)
  const perGpu = options.gpus
    .map((g) => gpuWindowStats(g, grouped.get(g) ?? [], window.endMs))
    .filter((s): s is GpuWindowStats => s !== null)
  if (perGpu.length === 0) return null
  const assigned = perGpu.filter((s) => options.assignedGpus.includes(s.gpu))
  const basis = assigned.length > 0 ? assigned : perGpu
  const energies = perGpu.map((s) => s.energyJ)
  const energyJ = energies.every((e) => e !== null) ? energies.reduce<number>((a, e) => a + (e ?? 0), 0) : null
  const sequences = window.sequences ?? null
  return {
    window: window.name,
    startMs: window.startMs,
    endMs: window.endMs,
    perGpu,
    meanUtilisationPercent: basis.reduce((a, s) => a + s.utilisationPercent.mean, 0) / basis.length,
    energyJ,
    energyPerSequenceJ: energyJ !== null && sequences !== null && sequences > 0 ? energyJ / sequences : null,
    busy: busyAccounting(inside, basis.map((s) => s.gpu), options.busyThresholdPct),
  }
}

/** GPUs whose utilisation reached the threshold or whose memory rose during the run: the ones that did the work. */
export function gpusThatWorked(samples: readonly GpuSample[], thresholdPct: number): number[] {
  const out: number[] = []
  for (const [gpu, list] of byGpu(samples)) {
    const util = present(list.map((s) => s.utilisationPct))
    const memory = present(list.map((s) => s.memoryUsedMiB))
    const rose = memory.length > 0 && Math.max(...memory) - (memory[0] ?? 0) > MEMORY_RISE_MIB
    if (rose || util.some((u) => u >= thresholdPct)) out.push(gpu)
  }
  return out.sort((a, b) => a - b)
}

export interface TelemetryInput {
  samples: readonly GpuSample[]
  run: TimeWindow
  stages: readonly TimeWindow[]
  /** DNABERT-S + ESM-2, when both ran. */
  embedding: TimeWindow | null
  assignedGpus: readonly number[]
  intervalMs: number
  source: string
  samplerCpuPercent: number | null
  timelinePath: string | null
  busyThresholdPct?: number
  /** The sampler ended before the run: samples are missing from then on. */
  samplingGap?: { fromMs: number; reason: string } | null
}

export function summariseTelemetry(input: TelemetryInput): GpuTelemetry {
  const threshold = input.busyThresholdPct ?? IDLE_UTILISATION_PCT
  const inRun = input.samples.filter((s) => s.timestampMs >= input.run.startMs && s.timestampMs <= input.run.endMs)
  const busyGpus = gpusThatWorked(inRun, threshold)
  const seen = [...byGpu(inRun).keys()]
  const gpus = [...new Set([...input.assignedGpus.filter((g) => seen.includes(g)), ...busyGpus])].sort((a, b) => a - b)
  const options: WindowOptions = { gpus: gpus.length > 0 ? gpus : seen.sort((a, b) => a - b), assignedGpus: input.assignedGpus, busyThresholdPct: threshold }
  const run = summariseWindow(input.run, inRun, options)
  if (run === null) return { status: 'unavailable', reason: input.samplingGap ? `no samples during the run: ${input.samplingGap.reason}` : 'nvidia-smi produced no samples during the run' }
  return {
    status: 'sampled',
    source: input.source,
    intervalMs: input.intervalMs,
    sampleCount: inRun.length,
    samplerCpuPercent: input.samplerCpuPercent,
    timelinePath: input.timelinePath,
    assignedGpus: [...input.assignedGpus],
    busyGpus,
    run,
    embedding: input.embedding === null ? null : summariseWindow(input.embedding, inRun, options),
    stages: input.stages.map((w) => summariseWindow(w, inRun, options)).filter((w): w is GpuWindow => w !== null),
    samplingGap: input.samplingGap ?? null,
  }
}
