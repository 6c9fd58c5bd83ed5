/** GPU inventory from nvidia-smi; an empty list when there is none (CPU machines, CI). */
import { execa } from 'execa'
import type { GpuDevice } from '../model/environment.ts'

const QUERY = ['--query-gpu=index,name,uuid,memory.total,driver_version', '--format=csv,noheader,nounits']

export interface GpuInventory {
  gpus: GpuDevice[]
  driverVersion: string | null
}

function numberOrNull(text: string | undefined): number | null {
  const value = Number((text ?? '').trim())
  return (text ?? '').trim() === '' || !Number.isFinite(value) ? null : value
}

/** Parses `index, name, uuid, memory.total, driver_version` lines; skips lines it cannot read. */
export function parseGpuInventory(stdout: string): GpuInventory {
  const gpus: GpuDevice[] = []
  let driverVersion: string | null = null
  for (const line of stdout.split('\n')) {
    const fields = line.split(',').map((f) => f.trim())
    const index = numberOrNull(fields[0])
    if (fields.length < 5 || index === null) continue
    gpus.push({ index, name: fields[1] ?? 'unknown', uuid: fields[2] || null, memoryTotalMiB: numberOrNull(fields[3]) })
    driverVersion ??= fields[4] || null
  }
  return { gpus, driverVersion }
}

export async function queryGpuInventory(command = 'nvidia-smi'): Promise<GpuInventory | null> {
  const result = await execa(command, QUERY, { reject: false, timeout: 30_000, stdin: 'ignore' })
  if (result.exitCode !== 0) return null
  return parseGpuInventory(result.stdout)
}

/** Physical GPUs on this machine (all of them, whatever CUDA_VISIBLE_DEVICES says). */
export async function detectGpus(command = 'nvidia-smi'): Promise<GpuDevice[]> {
  return (await queryGpuInventory(command))?.gpus ?? []
}

/** "CUDA Version: 12.8" from nvidia-smi's banner: the newest CUDA the driver supports. */
export function parseCudaDriverVersion(banner: string): string | null {
  return /CUDA Version:\s*([\d.]+)/.exec(banner)?.[1] ?? null
}
