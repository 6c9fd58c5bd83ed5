/** What machine a run happened on. Every part that cannot be read becomes null: capturing never fails a run. */
import os from 'node:os'
import { execa } from 'execa'
import { EnvironmentSchema, type Environment, type PythonInfo } from '../model/environment.ts'
import { parseCudaDriverVersion, queryGpuInventory } from './detect-gpus.ts'

async function quiet<T>(work: () => Promise<T>): Promise<T | null> {
  try {
    return await work()
  } catch {
    return null
  }
}

async function gitState(cwd: string): Promise<Environment['git']> {
  const head = await execa('git', ['rev-parse', 'HEAD'], { cwd, reject: false, stdin: 'ignore' })
  if (head.exitCode !== 0) return null
  const status = await execa('git', ['status', '--porcelain'], { cwd, reject: false, stdin: 'ignore' })
  return { commit: head.stdout.trim(), dirty: status.exitCode === 0 ? status.stdout.trim() !== '' : true }
}

async function cudaDriverVersion(): Promise<string | null> {
  const banner = await execa('nvidia-smi', [], { reject: false, timeout: 30_000, stdin: 'ignore' })
  return banner.exitCode === 0 ? parseCudaDriverVersion(banner.stdout) : null
}

export async function captureEnvironment(python: PythonInfo | null, cwd: string = process.cwd()): Promise<Environment> {
  const [inventory, cudaDriver, git] = await Promise.all([
    quiet(() => queryGpuInventory()),
    quiet(cudaDriverVersion),
    quiet(() => gitState(cwd)),
  ])
  const cpus = os.cpus()
  return EnvironmentSchema.parse({
    capturedAt: new Date().toISOString(),
    host: os.hostname(),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cpuCount: Math.max(1, cpus.length),
    memoryBytes: os.totalmem(),
    node: process.version,
    python,
    gpus: inventory?.gpus ?? [],
    driverVersion: inventory?.driverVersion ?? null,
    cudaDriverVersion: cudaDriver,
    git,
  })
}
