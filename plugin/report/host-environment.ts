/** A minimal Environment from Node's view of the host, for reports made before (or without) any run. */
import { cpus, hostname, totalmem } from 'node:os'
import { EnvironmentSchema, type Environment } from '../model/environment.ts'

export function hostEnvironment(now: Date = new Date()): Environment {
  const cpuList = cpus()
  return EnvironmentSchema.parse({
    capturedAt: now.toISOString(),
    host: hostname(),
    platform: `${process.platform}-${process.arch}`,
    cpuModel: cpuList[0]?.model ?? 'unknown',
    cpuCount: Math.max(1, cpuList.length),
    memoryBytes: totalmem(),
    node: process.version,
    python: null,
    gpus: [],
    driverVersion: null,
    cudaDriverVersion: null,
    git: null,
  })
}
