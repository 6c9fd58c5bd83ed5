// The generated batch script, run by bash here with the variables Slurm would set (no cluster needed): what it
// records, the GPUs it lets the pipeline see, and its lifeline.
import { execFile } from 'node:child_process'
import { chmodSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { parseJobRecord } from './job-record.ts'
import { renderJobScript, shellQuote, type JobScriptInput } from './job-script.ts'
import { sbatchDirectives } from './sbatch-args.ts'

const run = promisify(execFile)
const dir = mkdtempSync(path.join(tmpdir(), 'job-script-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function input(name: string, command: string[], extra: Partial<JobScriptInput> = {}): JobScriptInput {
  const at = (f: string): string => path.join(dir, `${name}.${f}`)
  writeFileSync(at('heartbeat'), '')
  return {
    directives: ['--job-name=t', '--gres=gpu:2'],
    command,
    env: { CUDA_VISIBLE_DEVICES: '7', ODD_VALUE: "it's $HOME" },
    cwd: dir,
    gpuCount: 2,
    stdout: at('stdout'),
    stderr: at('stderr'),
    record: at('record'),
    gpuSamples: at('gpu.csv'),
    gpuInventory: at('inventory.csv'),
    samplerLog: at('sampler.log'),
    sampler: { command: '/nonexistent/nvidia-smi', fields: ['timestamp', 'index'], intervalMs: 500 },
    heartbeat: { path: at('heartbeat'), staleSeconds: 120, checkSeconds: 1 },
    ...extra,
  }
}

async function runScript(name: string, spec: JobScriptInput, env: Record<string, string> = {}) {
  const script = path.join(dir, `${name}.sh`)
  writeFileSync(script, renderJobScript(spec))
  chmodSync(script, 0o755)
  const slurmEnv = { SLURM_JOB_ID: '41', SLURM_JOB_PARTITION: 'debug', SLURM_JOB_GPUS: '0,1,2,3', CUDA_VISIBLE_DEVICES: '0,1,2,3' }
  const status = await run('bash', [script], { env: { ...process.env, ...slurmEnv, ...env } }).then(
    () => 0,
    (e: { code?: number }) => e.code ?? -1,
  )
  return { status, record: parseJobRecord(readFileSync(spec.record, 'utf8')), stdout: readFileSync(spec.stdout, 'utf8') }
}

describe('job script', () => {
  it('starts with the #SBATCH directives, and quotes every word it passes to the shell', () => {
    const text = renderJobScript(input('text', ['python3', "-c", "print('a b')"]))
    expect(text.split('\n').slice(0, 3)).toEqual(['#!/bin/bash', '#SBATCH --job-name=t', '#SBATCH --gres=gpu:2'])
    expect(shellQuote("it's")).toBe(`'it'\\''s'`)
    expect(text).toContain(`python3 -c 'print('\\''a b'\\'')'`)
  })

  it('runs the command with the first N allocated GPUs visible, the env it was given, and records start, end and exit', async () => {
    const spec = input('ok', ['bash', '-c', 'echo "CVD=$CUDA_VISIBLE_DEVICES ODD=$ODD_VALUE"; exit 3'])
    const { status, record, stdout } = await runScript('ok', spec)
    expect(status).toBe(3)
    expect(stdout.trim()).toBe("CVD=0,1 ODD=it's $HOME")
    expect(record).toMatchObject({ jobId: '41', partition: 'debug', allocatedGpus: [0, 1, 2, 3], allocatedCudaVisibleDevices: '0,1,2,3', cudaVisibleDevices: '0,1', exitCode: 3, lifelineLost: null })
    expect(record.sampler).toMatch(/^unavailable: \/nonexistent\/nvidia-smi not found on /)
    expect(record.endedAtMs ?? 0).toBeGreaterThanOrEqual(record.startedAtMs ?? Infinity)
    expect(record.cpuCount).toBeGreaterThan(0)
    expect(record.memoryBytes).toBeGreaterThan(0)
  })

  it('hides every GPU from a CPU run', async () => {
    const { stdout } = await runScript('cpu', input('cpu', ['bash', '-c', 'echo "CVD=[$CUDA_VISIBLE_DEVICES]"'], { gpuCount: 0 }))
    expect(stdout.trim()).toBe('CVD=[]')
  })

  it('cancels its own job when the harness stops renewing the heartbeat', async () => {
    const spec = input('lifeline', ['sleep', '4'], { heartbeat: { path: path.join(dir, 'lifeline.heartbeat'), staleSeconds: 1, checkSeconds: 1 } })
    const bin = path.join(dir, 'bin')
    const calls = path.join(dir, 'scancel.calls')
    await run('mkdir', ['-p', bin])
    writeFileSync(path.join(bin, 'scancel'), `#!/bin/sh\necho "$@" >> ${shellQuote(calls)}\n`)
    chmodSync(path.join(bin, 'scancel'), 0o755)
    writeFileSync(spec.heartbeat.path, '')
    const old = new Date(Date.now() - 60_000)
    utimesSync(spec.heartbeat.path, old, old)
    const { record } = await runScript('lifeline', spec, { PATH: `${bin}:${process.env.PATH ?? ''}` })
    expect(record.lifelineLost).toBe('no harness heartbeat for 1 s')
    expect(readFileSync(calls, 'utf8').trim()).toBe('41')
  })
})

describe('sbatch directives', () => {
  it('ask for the GPUs and a whole node by default, then the user options', () => {
    const d = sbatchDirectives({ kind: 'slurm', exclusive: true, extraArgs: ['--constraint=h200'], concurrent: false, partition: 'gpu', account: 'lab', qos: 'high', timeLimit: '12:00:00' }, { jobName: 'j', gpuCount: 4, slurmOutput: '/r/slurm-%j.out', workDir: '/r' })
    expect(d).toEqual(['--job-name=j', '--output=/r/slurm-%j.out', '--chdir=/r', '--nodes=1', '--ntasks=1', '--gres=gpu:4', '--exclusive', '--partition=gpu', '--account=lab', '--qos=high', '--time=12:00:00', '--no-requeue', '--constraint=h200'])
    expect(sbatchDirectives({ kind: 'slurm', exclusive: false, extraArgs: [], concurrent: false }, { jobName: 'j', gpuCount: 0, slurmOutput: 'o', workDir: 'w' })).not.toContain('--exclusive')
  })
})
