import type { HarnessConfig } from '../config/harness-options.ts'
import { ReferenceTarget } from './reference-target.ts'
import type { PipelineTarget } from './target.ts'
import { VirnucproTarget } from './virnucpro-target.ts'

/** The configured target. `hasGpus` settles the reference pipeline's 'auto' model size: full on GPUs, tiny on CPU. */
export function createTarget(config: HarnessConfig, hasGpus = false): PipelineTarget {
  const target = config.target
  if (target.kind === 'virnucpro') {
    return new VirnucproTarget({
      repoDir: target.repoDir,
      python: target.python ?? config.python,
      modelType: target.modelType,
      extraArgs: target.extraArgs,
      ...(target.vanillaCommand ? { vanillaCommand: target.vanillaCommand } : {}),
    })
  }
  const modelSize = target.modelSize === 'auto' ? (hasGpus ? 'full' : 'tiny') : target.modelSize
  return new ReferenceTarget({ modelSize, device: target.device, extraArgs: target.extraArgs })
}
