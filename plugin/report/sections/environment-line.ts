/** The machine in one line: host, GPUs, driver, CUDA, Python/torch, Node, CPU, project commit. */
import type { Report } from '../schema.ts'

export function environmentLine(report: Report): string {
  const env = report.environment
  const gpuNames = [...new Set(env.gpus.map((g) => g.name))]
  const gpus = env.gpus.length === 0 ? 'no GPUs' : `${env.gpus.length}× ${gpuNames.join(' + ')}`
  const parts = [
    env.host,
    gpus,
    env.driverVersion ? `driver ${env.driverVersion}` : null,
    env.cudaDriverVersion ? `CUDA ${env.cudaDriverVersion}` : null,
    env.python ? `Python ${env.python.version}, torch ${env.python.torch}` : null,
    `Node ${env.node}`,
    `${env.cpuCount}× ${env.cpuModel}`,
    env.git ? `commit ${env.git.commit}${env.git.dirty ? ' (dirty)' : ''}` : null,
  ]
  return parts.filter((p) => p !== null).join(' · ')
}
