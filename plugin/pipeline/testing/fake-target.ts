/** A PipelineTarget that runs the stdlib fake pipeline (fixtures/fake_pipeline.py), for runner and fault tests. */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { PythonInfo } from '../../model/environment.ts'
import { contractOutputLayout } from '../output-layout.ts'
import type { CommandSpec, OutputLayout, PipelineTarget, PlacedRequest, RunRequest } from '../target.ts'

export const FIXTURES_DIR = fileURLToPath(new URL('../fixtures/', import.meta.url))
export const FAKE_PIPELINE = path.join(FIXTURES_DIR, 'fake_pipeline.py')
export const FAKE_NVIDIA_SMI = path.join(FIXTURES_DIR, 'fake_nvidia_smi.py')
export const TEST_PYTHON: PythonInfo = { executable: 'python3', version: '3', torch: 'none', cudaAvailable: false, cudaVersion: null, deviceCount: 0 }

export class FakeTarget implements PipelineTarget {
  readonly kind = 'reference'
  readonly name = 'fake'
  readonly chunkLength = 500
  readonly stopGraceSeconds = 2
  async version(): Promise<string | null> {
    return 'fake-1'
  }
  buildCommand(req: PlacedRequest, python: PythonInfo): CommandSpec {
    return { file: python.executable, args: [FAKE_PIPELINE, req.outputDir, ...req.extraArgs], env: { PYTHONUNBUFFERED: '1' }, cwd: FIXTURES_DIR }
  }
  outputLayout(outputDir: string, inputPath: string): OutputLayout {
    return contractOutputLayout(outputDir, inputPath, 500)
  }
}

export function fakeRequest(extraArgs: string[]): RunRequest {
  return { sample: { name: 'fake-sample', path: '/dev/null' }, outputDir: '', mode: 'optimised', gpus: [], chunkLength: 500, seed: 42, inject: [], keepIntermediate: true, extraArgs }
}
