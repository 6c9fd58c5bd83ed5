/** The sample timeline as an Arrow IPC file (`gpu-timeline.arrow`), for charts and re-analysis without re-running. */
import { rename, writeFile } from 'node:fs/promises'
import { Float32, Float64, Int32, Table, tableToIPC, Utf8, vectorFromArray } from 'apache-arrow'
import type { GpuSample } from './gpu-sample.ts'

/** Metrics a GPU did not report stay null (not 0): a missing power reading is not 0 W. */
export function timelineTable(samples: readonly GpuSample[]): Table {
  return new Table({
    timestamp_ms: vectorFromArray(samples.map((s) => s.timestampMs), new Float64()),
    gpu: vectorFromArray(samples.map((s) => s.gpu), new Int32()),
    utilisation_pct: vectorFromArray(samples.map((s) => s.utilisationPct), new Float32()),
    memory_used_mib: vectorFromArray(samples.map((s) => s.memoryUsedMiB), new Float32()),
    memory_total_mib: vectorFromArray(samples.map((s) => s.memoryTotalMiB), new Float32()),
    power_w: vectorFromArray(samples.map((s) => s.powerW), new Float32()),
    sm_clock_mhz: vectorFromArray(samples.map((s) => s.smClockMHz), new Float32()),
    stage: vectorFromArray(samples.map((s) => s.stage), new Utf8()),
  })
}

export async function writeTimelineArrow(path: string, samples: readonly GpuSample[]): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`
  await writeFile(tmp, tableToIPC(timelineTable(samples), 'file'))
  await rename(tmp, path)
}

/** Reads a timeline written by `writeTimelineArrow` back into samples (the one place that knows its columns). */
export async function readTimelineArrow(path: string): Promise<GpuSample[]> {
  const { readFile } = await import('node:fs/promises')
  const { tableFromIPC } = await import('apache-arrow')
  const table = tableFromIPC(await readFile(path))
  const expected = ['timestamp_ms', 'gpu', 'utilisation_pct', 'memory_used_mib', 'memory_total_mib', 'power_w', 'sm_clock_mhz', 'stage']
  const present = new Set(table.schema.fields.map((f) => f.name))
  const missing = expected.filter((name) => !present.has(name))
  if (missing.length > 0) throw new Error(`${path}: not a GPU timeline (missing column(s) ${missing.join(', ')})`)
  const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null)
  const samples: GpuSample[] = []
  for (const row of table) {
    const r = row.toJSON() as Record<string, unknown>
    const timestampMs = num(r.timestamp_ms)
    const gpu = num(r.gpu)
    if (timestampMs === null || gpu === null) continue
    samples.push({
      timestampMs,
      gpu,
      uuid: null,
      utilisationPct: num(r.utilisation_pct),
      memoryUsedMiB: num(r.memory_used_mib),
      memoryTotalMiB: num(r.memory_total_mib),
      powerW: num(r.power_w),
      smClockMHz: num(r.sm_clock_mhz),
      stage: typeof r.stage === 'string' ? r.stage : null,
    })
  }
  return samples
}
