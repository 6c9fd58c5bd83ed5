// Parsers of Slurm's command output, tested on outputs captured from Debian 12's Slurm 22.05.8 (the one-node cluster
// of scripts/slurm/start-local-cluster.sh) plus the object-valued shapes of newer squeue --json.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { isPending, isTerminal, neverStarts } from './job-status.ts'
import { parseJobRecord } from './job-record.ts'
import { parseSacct } from './sacct-output.ts'
import { classifySubmitRefusal, parseSbatchParsable } from './sbatch-output.ts'
import { parseScontrolShowJob, parseSlurmTime } from './scontrol-show-job.ts'
import { gpusInGres, maxGpusPerNode } from './sinfo-gres.ts'
import { parseSqueueJson, SlurmOutputError } from './squeue-json.ts'

const capture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')

describe('sbatch --parsable', () => {
  it('reads the job id, with or without a cluster name', () => {
    expect(parseSbatchParsable(capture('sbatch-parsable.txt'))).toBe('2')
    expect(parseSbatchParsable('1234;gpu-cluster\n')).toBe('1234')
    expect(parseSbatchParsable('Submitted batch job 12')).toBeNull()
  })

  it('tells a request the cluster can never satisfy from other refusals', () => {
    expect(classifySubmitRefusal(capture('sbatch-too-many-gpus.txt'))).toEqual({ kind: 'unsatisfiable', message: 'Batch job submission failed: Requested node configuration is not available' })
    expect(classifySubmitRefusal('sbatch: error: invalid partition specified: nope\nsbatch: error: Batch job submission failed: Invalid partition name specified').kind).toBe('unsatisfiable')
    expect(classifySubmitRefusal('sbatch: error: Batch job submission failed: Unable to contact slurm controller (connect failure)').kind).toBe('no-controller')
    expect(classifySubmitRefusal('').message).toBe('sbatch failed without a message')
  })
})

describe('squeue --json', () => {
  it('reads running, pending and completed jobs from 22.05', () => {
    const jobs = parseSqueueJson(capture('squeue-running-pending.json'))
    const byId = new Map(jobs.map((j) => [j.jobId, j]))
    expect(byId.get('2')).toMatchObject({ state: 'RUNNING', reason: null, nodes: 'vm', partition: 'debug', exitCode: 0 })
    expect(byId.get('2')?.startTimeMs).toBe(1796118230_000)
    expect(byId.get('3')).toMatchObject({ state: 'PENDING', reason: 'Resources', nodes: null, startTimeMs: null })
    expect(isPending(byId.get('3')?.state ?? '')).toBe(true)
    expect(isTerminal(byId.get('1')?.state ?? '')).toBe(true)
  })

  it('reads a refused request as failed with its reason', () => {
    const failed = parseSqueueJson(capture('squeue-all-states.json')).find((j) => j.jobId === '4')
    expect(failed).toMatchObject({ state: 'FAILED', reason: 'BadConstraints', nodes: null })
  })

  it('keeps ended jobs in 22.05 output (its --json ignores --jobs and --states), so callers pick by id and state', () => {
    const jobs = parseSqueueJson(capture('squeue-all-after-jobs-ended.json'))
    expect(jobs.length).toBeGreaterThan(0)
    expect(jobs.every((j) => isTerminal(j.state))).toBe(true)
  })

  it('reads the object-valued fields and state lists of newer versions', () => {
    const newer = JSON.stringify({
      jobs: [{ job_id: 77, job_state: ['RUNNING'], state_reason: 'None', nodes: 'gpu-07', partition: 'h200', start_time: { set: true, infinite: false, number: 1800000000 }, end_time: { set: false, infinite: false, number: 0 }, exit_code: { status: ['SUCCESS'], return_code: { set: true, number: 0 }, signal: { id: { set: false, number: 0 } } } }],
    })
    expect(parseSqueueJson(newer)[0]).toMatchObject({ jobId: '77', state: 'RUNNING', nodes: 'gpu-07', startTimeMs: 1800000000_000, endTimeMs: null, exitCode: 0, exitSignal: null })
  })

  it('says what it got when the output is not squeue JSON', () => {
    expect(() => parseSqueueJson('squeue: error: Invalid job id specified')).toThrow(SlurmOutputError)
    expect(() => parseSqueueJson('{"errors": []}')).toThrow(/no "jobs" list/)
  })
})

describe('scontrol show job', () => {
  it('reads a completed job, a pending one and a refused one', () => {
    const done = parseScontrolShowJob(capture('scontrol-completed.txt'))
    expect(done).toMatchObject({ jobId: '2', state: 'COMPLETED', nodes: 'vm', partition: 'debug', exitCode: 0, exitSignal: null })
    expect((done?.endTimeMs ?? 0) - (done?.startTimeMs ?? 0)).toBe(20_000)
    expect(parseScontrolShowJob(capture('scontrol-pending-resources.txt'))).toMatchObject({ state: 'PENDING', reason: 'Resources', nodes: null, startTimeMs: null })
    expect(parseScontrolShowJob(capture('scontrol-bad-constraints.txt'))).toMatchObject({ state: 'FAILED', reason: 'BadConstraints', exitCode: 0, exitSignal: 1 })
  })

  it('returns null for an error message and for unknown times', () => {
    expect(parseScontrolShowJob('slurm_load_jobs error: Invalid job id specified')).toBeNull()
    expect(parseSlurmTime('Unknown')).toBeNull()
  })
})

describe('sacct', () => {
  it('returns null when accounting is disabled (no slurmdbd), as on the one-node cluster', () => {
    expect(parseSacct(capture('sacct-no-accounting.txt'), '2')).toBeNull()
  })

  it('reads the job line of a cluster with accounting', () => {
    const out = '812|CANCELLED by 1000|0:15|73|2026-12-01T10:00:00|2026-12-01T10:01:13|gpu-03|h200|2026-12-01T09:58:00\n'
    expect(parseSacct(out, '812')).toMatchObject({ state: 'CANCELLED', exitCode: 0, exitSignal: 15, elapsedSeconds: 73, nodes: 'gpu-03', partition: 'h200' })
    expect(parseSacct(out, '813')).toBeNull()
  })
})

describe('sinfo gres', () => {
  it('counts GPUs per node across Gres spellings', () => {
    expect(gpusInGres('gpu:4')).toBe(4)
    expect(gpusInGres('gpu:h200:8(S:0-1)')).toBe(8)
    expect(gpusInGres('gpu:a100:4,gpu:v100:2,shard:8')).toBe(6)
    expect(gpusInGres('(null)')).toBe(0)
    expect(maxGpusPerNode('gpu:4\ngpu:h200:8(S:0-1)\n(null)\n')).toBe(8)
  })
})

describe("the job's own records", () => {
  it('reads what the job script appended, later lines winning', () => {
    const record = parseJobRecord('job_id=12\nnode=vm\npartition=debug\njob_gpus=0,1,2,3\nallocated_cuda_visible_devices=0,1,2,3\ncuda_visible_devices=0,1\nsampler=unavailable: nvidia-smi not found on vm\nstarted_ms=1796118230123\nexit_code=1\nexit_code=3\nended_ms=1796118231123\n')
    expect(record).toMatchObject({ jobId: '12', node: 'vm', allocatedGpus: [0, 1, 2, 3], cudaVisibleDevices: '0,1', startedAtMs: 1796118230123, endedAtMs: 1796118231123, exitCode: 3, signalReceived: null })
    expect(parseJobRecord('job_id=1\n')).toMatchObject({ startedAtMs: null, exitCode: null, cudaVisibleDevices: null })
  })
})

describe('pending reasons', () => {
  it('tell a job that will never start from one that waits', () => {
    expect(['BadConstraints', 'PartitionTimeLimit', 'QOSMaxGRESPerJob', 'AssocMaxWallDurationPerJobLimit'].map(neverStarts)).toEqual([true, true, true, true])
    expect(['Resources', 'Priority', 'ReqNodeNotAvail, UnavailableNodes:gpu-3', 'QOSGrpGRES', null].map(neverStarts)).toEqual([false, false, false, false, false])
  })
})
