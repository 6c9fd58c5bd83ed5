/** GPU timelines for the charts: the sampler's Arrow file, with time relative to the run's start. */
import { readTimelineArrow } from '../metrics/gpu-timeline-arrow.ts'
import type { TimelinePoint } from './formatter.ts'

export async function loadTimeline(path: string, startMs?: number): Promise<TimelinePoint[]> {
  const samples = (await readTimelineArrow(path)).flatMap((s) =>
    s.utilisationPct === null ? [] : [{ tMs: s.timestampMs, gpu: s.gpu, utilisationPercent: s.utilisationPct, memoryUsedMiB: s.memoryUsedMiB }],
  )
  const origin = startMs ?? Math.min(...samples.map((s) => s.tMs))
  return samples.map((s) => ({ ...s, tMs: s.tMs - origin }))
}
