/**
 * The embedded reference pipeline (fixtures/reference-pipeline, Python package `virnucpro_ref`): same CLI shape,
 * stages, logs and outputs as VirNucPro, with seeded weights, tiny or full-size models and fault injection.
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { PythonInfo } from '../model/environment.ts'
import { contractOutputLayout } from './output-layout.ts'
import type { CommandSpec, OutputLayout, PipelineTarget, PlacedRequest } from './target.ts'

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))
export const REFERENCE_PIPELINE_DIR = path.join(REPO_ROOT, 'fixtures', 'reference-pipeline')

export interface ReferenceTargetOptions {
  modelSize: 'tiny' | 'full'
  device: 'auto' | 'cpu' | 'cuda'
  chunkLength?: 300 | 500
  /** Appended to every command (after the harness's own arguments, so they win where argparse keeps the last). */
  extraArgs?: readonly string[]
  /** Override for tests: where `virnucpro_ref` lives. */
  packageDir?: string
}

/** CUDA_VISIBLE_DEVICES pins the physical GPUs; inside, they are 0..N-1, so the pipeline's own flag lists those. */
export function gpuEnvironment(gpus: readonly number[]): Record<string, string> {
  // An empty value hides every GPU, so a CPU run cannot touch one by accident.
  return { CUDA_VISIBLE_DEVICES: gpus.join(',') }
}

export class ReferenceTarget implements PipelineTarget {
  readonly kind = 'reference'
  readonly name: string
  readonly chunkLength: 300 | 500
  /** It exits 143 at once on SIGTERM (closing its worker pool first); 5 s covers a loaded machine. */
  readonly stopGraceSeconds = 5
  private readonly packageDir: string

  constructor(private readonly options: ReferenceTargetOptions) {
    this.chunkLength = options.chunkLength ?? 500
    this.packageDir = options.packageDir ?? REFERENCE_PIPELINE_DIR
    this.name = `virnucpro_ref (${options.modelSize})`
  }

  async version(): Promise<string | null> {
    try {
      const { readFile } = await import('node:fs/promises')
      const text = await readFile(path.join(this.packageDir, 'virnucpro_ref', '__init__.py'), 'utf8')
      return /__version__\s*=\s*["']([^"']+)["']/.exec(text)?.[1] ?? null
    } catch {
      return null
    }
  }

  buildCommand(req: PlacedRequest, python: PythonInfo): CommandSpec {
    const device = req.gpus.length === 0 ? 'cpu' : this.options.device === 'auto' ? 'cuda' : this.options.device
    const args = ['-m', 'virnucpro_ref', 'predict', req.sample.path, '-m', String(req.chunkLength), '-o', req.outputDir]
    args.push('--model-size', this.options.modelSize, '--seed', String(req.seed), '--device', device, '--force')
    if (req.keepIntermediate) args.push('-k')
    if (req.mode === 'vanilla') args.push('--vanilla')
    if (req.gpus.length > 0 && req.mode === 'optimised') {
      args.push('--gpus', req.gpus.map((_, i) => i).join(','))
      if (req.gpus.length > 1) args.push('--parallel')
    }
    for (const fault of req.inject) args.push('--inject', fault)
    args.push(...(this.options.extraArgs ?? []), ...req.extraArgs)
    return {
      file: python.executable,
      args,
      env: { ...gpuEnvironment(req.gpus), PYTHONPATH: this.packageDir, PYTHONUNBUFFERED: '1' },
      cwd: REPO_ROOT,
    }
  }

  outputLayout(outputDir: string, inputPath: string): OutputLayout {
    return contractOutputLayout(outputDir, inputPath, this.chunkLength)
  }
}
