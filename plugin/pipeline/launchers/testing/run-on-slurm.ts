/**
 * A harness in a process of its own that runs one command as a Slurm job through runPipeline, for tests that must
 * signal the harness (Ctrl-C) or kill it. Usage: `tsx run-on-slurm.ts <runsDir> <gpuCount> <file> [args…]`.
 * Prints `result <path>` when done; the job id is in the run folder's slurm-job.json as soon as it is submitted.
 */
import { captureEnvironment } from '../../../env/capture-environment.ts'
import type { PythonInfo } from '../../../model/environment.ts'
import { resolveConfig } from '../../../config/resolve-config.ts'
import { contractOutputLayout } from '../../output-layout.ts'
import { runPipeline } from '../../run-pipeline.ts'
import type { CommandSpec, PipelineTarget, RunRequest } from '../../target.ts'
import { SlurmLauncher } from '../slurm.ts'

const [runsDir, gpuCount, file, ...args] = process.argv.slice(2)
if (runsDir === undefined || gpuCount === undefined || file === undefined) {
  process.stderr.write('usage: run-on-slurm.ts <runsDir> <gpuCount> <file> [args…]\n')
  process.exit(2)
}

class CommandTarget implements PipelineTarget {
  readonly kind = 'reference'
  readonly name = 'command'
  readonly chunkLength = 500
  async version(): Promise<string | null> {
    return null
  }
  buildCommand(): CommandSpec {
    return { file: file ?? 'false', args, env: { PYTHONUNBUFFERED: '1' }, cwd: process.cwd() }
  }
  outputLayout(outputDir: string, inputPath: string) {
    return contractOutputLayout(outputDir, inputPath, 500)
  }
}

const config = resolveConfig({ launcher: { kind: 'slurm' } }, process.env)
if (config.launcher.kind !== 'slurm') throw new Error('BENCH_LAUNCHER must not be local here')
const python: PythonInfo = { executable: 'python3', version: '3', torch: 'none', cudaAvailable: false, cudaVersion: null, deviceCount: 0 }
const req: RunRequest = { sample: { name: 'probe', path: '/dev/null' }, outputDir: '', mode: 'optimised', gpus: Array.from({ length: Number(gpuCount) }, (_, i) => i), chunkLength: 500, seed: 42, inject: [], keepIntermediate: true, extraArgs: [] }
const result = await runPipeline(new CommandTarget(), req, {
  runsDir,
  timeoutSeconds: 600,
  sampleIntervalMs: 500,
  progress: 'plain',
  python,
  environment: await captureEnvironment(null),
  killGraceSeconds: Number(process.env.TEST_KILL_GRACE_S ?? 5),
  statePollMs: 200,
  launcher: new SlurmLauncher(config.launcher, { pollMs: 500, heartbeatStaleSeconds: Number(process.env.TEST_HEARTBEAT_STALE_S ?? 120) }),
})
process.stdout.write(`result ${result.runDir}/result.json\n`)
