/** The configured launcher, and the GPUs a run may ask for through it (this machine's, or a compute node's). */
import type { HarnessConfig } from '../../config/harness-options.ts'
import { detectGpus } from '../../env/detect-gpus.ts'
import { gpusPerNode } from '../slurm/slurm-cli.ts'
import type { Launcher } from './launcher.ts'
import { LocalLauncher } from './local.ts'
import { SlurmLauncher, type SlurmLauncherOptions } from './slurm.ts'

export function createLauncher(config: HarnessConfig, options: SlurmLauncherOptions = {}): Launcher {
  return config.launcher.kind === 'slurm' ? new SlurmLauncher(config.launcher, options) : new LocalLauncher()
}

/**
 * GPU slots a run may use. In place: this machine's physical indices (or the `gpus` option). On Slurm the login
 * node's GPUs mean nothing: a run gets its GPUs from the allocation, so this is 0..N-1 for the N GPUs a compute
 * node offers (launcher.gpusPerNode, else sinfo), or as many slots as the `gpus` option lists.
 */
export async function availableGpus(config: Pick<HarnessConfig, 'gpus' | 'launcher'>): Promise<number[]> {
  if (config.launcher.kind === 'slurm') {
    const n = Array.isArray(config.gpus) ? config.gpus.length : (config.launcher.gpusPerNode ?? (await gpusPerNode(config.launcher.partition)))
    return Array.from({ length: n }, (_, i) => i)
  }
  return config.gpus === 'auto' ? (await detectGpus()).map((gpu) => gpu.index) : config.gpus
}
