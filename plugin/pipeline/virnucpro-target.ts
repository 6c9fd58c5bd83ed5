/**
 * A real VirNucPro install (broadinstitute/virnucpro-broad). `python -m virnucpro` must run from the repository root
 * (contract caveat 1: model paths resolve against the working directory).
 *
 * "Vanilla" here is the tool's own least-optimised path: single GPU, no `--parallel`, which selects
 * `Architecture: v1.0 (single-GPU or non-parallel mode)` (FP32 DNABERT-S, v1 ESM-2). It is not the original
 * pre-refactor `prediction.py`; point `vanillaCommand` at that (for example a pinned v1 checkout) when the
 * comparison must be against the original.
 */
import { execa } from 'execa'
import type { PythonInfo } from '../model/environment.ts'
import { contractOutputLayout } from './output-layout.ts'
import { gpuEnvironment } from './reference-target.ts'
import type { CommandSpec, OutputLayout, PipelineTarget, PlacedRequest } from './target.ts'

export interface VirnucproTargetOptions {
  repoDir: string
  python?: string
  modelType: '300' | '500'
  extraArgs: string[]
  /** argv replacing the vanilla run; `{input}` and `{output}` are substituted. */
  vanillaCommand?: string[]
}

/** The tool's own 30 s (§6.18) plus 5 s for it to write its checkpoints out and exit. */
export const VIRNUCPRO_STOP_GRACE_SECONDS = 35

export class VirnucproTarget implements PipelineTarget {
  readonly kind = 'virnucpro'
  readonly name = 'VirNucPro'
  /** Contract §6.18: after SIGTERM the v2 parent waits about 30 s for worker emergency checkpoints, then exits 143. */
  readonly stopGraceSeconds = VIRNUCPRO_STOP_GRACE_SECONDS
  readonly chunkLength: 300 | 500

  constructor(private readonly options: VirnucproTargetOptions) {
    this.chunkLength = options.modelType === '300' ? 300 : 500
  }

  private pythonFor(python: PythonInfo): string {
    return this.options.python ?? python.executable
  }

  async version(): Promise<string | null> {
    const result = await execa(this.options.python ?? 'python3', ['-m', 'virnucpro', '--version'], { cwd: this.options.repoDir, reject: false, timeout: 120_000, stdin: 'ignore' })
    const version = /version\s+(\S+)/.exec(result.stdout)?.[1] ?? null
    // The package version does not change between commits of the tool; the checkout's commit says what ran.
    const git = await execa('git', ['-C', this.options.repoDir, 'rev-parse', '--short', 'HEAD'], { reject: false, timeout: 10_000, stdin: 'ignore' })
    const commit = git.exitCode === 0 && /^[0-9a-f]{7,40}$/.test(git.stdout.trim()) ? git.stdout.trim() : null
    return version === null && commit === null ? null : [version, commit === null ? null : `(commit ${commit})`].filter((p) => p !== null).join(' ')
  }

  buildCommand(req: PlacedRequest, python: PythonInfo): CommandSpec {
    if (req.inject.length > 0) throw new Error(`VirNucPro cannot inject faults (${req.inject.join(', ')}); use the reference target`)
    // Vanilla sees one GPU only: with more visible and no --gpus the tool auto-enables parallel mode (v2).
    const visible = req.mode === 'vanilla' ? req.gpus.slice(0, 1) : req.gpus
    const env = { ...gpuEnvironment(visible), PYTHONUNBUFFERED: '1' }
    if (req.mode === 'vanilla' && this.options.vanillaCommand !== undefined) {
      const [file, ...rest] = this.options.vanillaCommand.map((a) => a.replaceAll('{input}', req.sample.path).replaceAll('{output}', req.outputDir))
      if (file === undefined) throw new Error('target.vanillaCommand is empty')
      return { file, args: rest, env, cwd: this.options.repoDir }
    }
    const args = ['-m', 'virnucpro', 'predict', req.sample.path, '-o', req.outputDir, '-m', String(req.chunkLength), '--force', '--no-progress']
    if (req.keepIntermediate) args.push('-k')
    if (req.gpus.length === 0) args.push('--device', 'cpu')
    else if (req.mode === 'optimised') {
      // After the CUDA_VISIBLE_DEVICES remap the tool sees 0..N-1. --parallel selects the v2 ESM-2 path, on one GPU
      // too (as in the tool's own Phase 10 runs), so 1-GPU and N-GPU runs measure the same code.
      args.push('--parallel', '--gpus', req.gpus.map((_, i) => i).join(','))
    }
    args.push(...this.options.extraArgs, ...req.extraArgs)
    return { file: this.pythonFor(python), args, env, cwd: this.options.repoDir }
  }

  outputLayout(outputDir: string, inputPath: string): OutputLayout {
    return contractOutputLayout(outputDir, inputPath, this.chunkLength)
  }
}
