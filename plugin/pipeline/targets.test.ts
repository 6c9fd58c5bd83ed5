import { describe, expect, it } from 'vitest'
import { resolveConfig } from '../config/resolve-config.ts'
import type { PythonInfo } from '../model/environment.ts'
import { classifyExit } from './exit-outcome.ts'
import { createTarget } from './create-target.ts'
import { REFERENCE_PIPELINE_DIR } from './reference-target.ts'
import type { PlacedRequest } from './target.ts'

const PY: PythonInfo = { executable: '/usr/bin/python3', version: '3.11', torch: '2.11', cudaAvailable: true, cudaVersion: '12.8', deviceCount: 4 }

function req(over: Partial<PlacedRequest> = {}): PlacedRequest {
  return { sample: { name: 's', path: '/data/s.fa' }, outputDir: '/runs/x/out', mode: 'optimised', gpus: [2, 3], chunkLength: 500, seed: 7, inject: [], keepIntermediate: true, extraArgs: [], ...over }
}

describe('reference target', () => {
  it('pins physical GPUs with CUDA_VISIBLE_DEVICES and lists 0..N-1 to the pipeline', () => {
    const target = createTarget(resolveConfig({}, {}), true)
    expect(target.name).toBe('virnucpro_ref (full)')
    const cmd = target.buildCommand(req({ inject: ['crash-at:PREDICTION'] }), PY)
    expect(cmd.file).toBe('/usr/bin/python3')
    expect(cmd.args).toEqual(['-m', 'virnucpro_ref', 'predict', '/data/s.fa', '-m', '500', '-o', '/runs/x/out', '--model-size', 'full', '--seed', '7', '--device', 'cuda', '--force', '-k', '--gpus', '0,1', '--parallel', '--inject', 'crash-at:PREDICTION'])
    expect(cmd.env).toMatchObject({ CUDA_VISIBLE_DEVICES: '2,3', PYTHONPATH: REFERENCE_PIPELINE_DIR })
  })

  it('runs tiny on CPU, and vanilla without --gpus', () => {
    const target = createTarget(resolveConfig({}, {}), false)
    const cpu = target.buildCommand(req({ gpus: [], mode: 'vanilla', keepIntermediate: false }), PY)
    expect(cpu.args).toContain('tiny')
    expect(cpu.args).toEqual(expect.arrayContaining(['--device', 'cpu', '--vanilla']))
    expect(cpu.args).not.toContain('--gpus')
    expect(cpu.args).not.toContain('-k')
    expect(cpu.env.CUDA_VISIBLE_DEVICES).toBe('')
  })

  it('appends configured extra arguments after its own, before the run request\'s', () => {
    const target = createTarget(resolveConfig({ target: { kind: 'reference', extraArgs: ['--preload', 'off'] } }, {}), true)
    const args = target.buildCommand(req({ extraArgs: ['--batch-tokens', '8192'] }), PY).args
    expect(args.slice(-4)).toEqual(['--preload', 'off', '--batch-tokens', '8192'])
  })

  it('knows both DNABERT file names and the output paths', () => {
    const layout = createTarget(resolveConfig({}, {})).outputLayout('/o', '/in/reads.fa')
    expect(layout.dnabertGlobs).toEqual(['reads_nucleotide/output_*_DNABERT_S.pt', 'reads_nucleotide/output_*_DNABERT.pt'])
    expect(layout.predictions).toBe('/o/reads_merged/prediction_results.txt')
    expect(layout.consensus).toBe('/o/reads_merged/prediction_results_highestscore.csv')
    expect(layout.chunkedFasta).toBe('/o/reads_chunked500.fa')
  })
})

describe('virnucpro target', () => {
  const config = resolveConfig({ target: { kind: 'virnucpro', repoDir: '/opt/virnucpro', modelType: '300' } }, {})

  it('runs python -m virnucpro from the repo root with the parallel v2 path', () => {
    const cmd = createTarget(config).buildCommand(req(), PY)
    expect(cmd.cwd).toBe('/opt/virnucpro')
    expect(cmd.args).toEqual(['-m', 'virnucpro', 'predict', '/data/s.fa', '-o', '/runs/x/out', '-m', '500', '--force', '--no-progress', '-k', '--parallel', '--gpus', '0,1'])
    expect(cmd.env.CUDA_VISIBLE_DEVICES).toBe('2,3')
    expect(createTarget(config).chunkLength).toBe(300)
  })

  it('vanilla sees one GPU and no --parallel; faults are refused', () => {
    const cmd = createTarget(config).buildCommand(req({ mode: 'vanilla' }), PY)
    expect(cmd.env.CUDA_VISIBLE_DEVICES).toBe('2')
    expect(cmd.args).not.toContain('--parallel')
    expect(() => createTarget(config).buildCommand(req({ inject: ['drop-rows'] }), PY)).toThrow(/cannot inject faults/)
  })

  it('uses a configured vanilla command', () => {
    const custom = resolveConfig({ target: { kind: 'virnucpro', repoDir: '/opt/v', vanillaCommand: ['python', 'prediction.py', '{input}', '500', 'model.pth'] } }, {})
    expect(createTarget(custom).buildCommand(req({ mode: 'vanilla' }), PY)).toMatchObject({ file: 'python', args: ['prediction.py', '/data/s.fa', '500', 'model.pth'] })
  })
})

describe('exit codes in words', () => {
  const base = { exitCode: 0, signal: null, stoppedBy: null, timeoutSeconds: 10, errorFindings: [], usageError: false }
  it('maps the contract codes', () => {
    expect(classifyExit(base)).toEqual({ outcome: 'succeeded', description: 'exit 0: succeeded' })
    expect(classifyExit({ ...base, errorFindings: ['duplicate-sequence-id'] }).outcome).toBe('partial')
    expect(classifyExit({ ...base, exitCode: null, signal: 'SIGKILL' })).toEqual({ outcome: 'terminated', description: 'killed by SIGKILL (not by the harness)' })
    expect(classifyExit({ ...base, exitCode: null, signal: 'SIGTERM', stoppedBy: 'timeout' }).outcome).toBe('timed-out')
    expect(classifyExit({ ...base, exitCode: 143, stoppedBy: 'signal' }).outcome).toBe('interrupted')
    expect(classifyExit({ ...base, exitCode: null, spawnError: 'spawn python9 ENOENT' })).toEqual({ outcome: 'failed', description: 'could not start the pipeline: spawn python9 ENOENT' })
  })
})
