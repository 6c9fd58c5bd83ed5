/**
 * Reads a run's GPU sample timeline (Arrow IPC, written by the GPU sampler) into chart samples. Column names are
 * matched from a short list of spellings so the chart does not depend on one writer's naming.
 */
import { readFile } from 'node:fs/promises'
import { tableFromIPC, type Table } from 'apache-arrow'
import type { GpuSample } from './formatter.ts'

const TIME_COLUMNS = ['tMs', 'timeMs', 'timestampMs', 'timestamp_ms', 'timestamp', 't']
const GPU_COLUMNS = ['gpu', 'index', 'gpuIndex', 'gpu_index']
const UTIL_COLUMNS = ['utilisationPercent', 'utilizationPercent', 'utilisation', 'utilization', 'util', 'utilization_gpu']
const MEMORY_COLUMNS = ['memoryUsedMiB', 'memory_used_mib', 'memoryUsed', 'memory_used']

function column(table: Table, names: readonly string[]): string | undefined {
  const present = new Set(table.schema.fields.map((f) => f.name))
  return names.find((n) => present.has(n))
}

function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null
  if (typeof value === 'bigint') return Number(value)
  if (value instanceof Date) return value.getTime()
  return null
}

/** Samples with time relative to `startMs` (or to the first sample); throws naming the file and missing column. */
export async function loadTimeline(path: string, startMs?: number): Promise<GpuSample[]> {
  const table = tableFromIPC(await readFile(path))
  const time = column(table, TIME_COLUMNS)
  const gpu = column(table, GPU_COLUMNS)
  const util = column(table, UTIL_COLUMNS)
  const memory = column(table, MEMORY_COLUMNS)
  const missing = [time ? null : 'time', gpu ? null : 'gpu', util ? null : 'utilisation'].filter((m) => m !== null)
  if (time === undefined || gpu === undefined || util === undefined) {
    throw new Error(`${path}: GPU timeline lacks ${missing.join(', ')} column(s) (has ${table.schema.fields.map((f) => f.name).join(', ')})`)
  }
  const samples: GpuSample[] = []
  for (const row of table) {
    const record = row.toJSON() as Record<string, unknown>
    const t = toNumber(record[time])
    const g = toNumber(record[gpu])
    const u = toNumber(record[util])
    if (t === null || g === null || u === null) continue
    samples.push({ tMs: t, gpu: g, utilisationPercent: u, memoryUsedMiB: memory ? toNumber(record[memory]) : null })
  }
  const origin = startMs ?? Math.min(...samples.map((s) => s.tMs))
  return samples.map((s) => ({ ...s, tMs: s.tMs - origin }))
}
