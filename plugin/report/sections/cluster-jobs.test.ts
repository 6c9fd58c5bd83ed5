import { describe, expect, it } from 'vitest'
import type { SlurmJobRecord } from '../../model/scheduler.ts'
import { clusterJobsSection } from './cluster-jobs.ts'
import { buildCase, buildRun } from '../../test-support/builders.ts'
import { buildTestReport } from '../../test-support/reports.ts'

function job(jobId: string, extra: Partial<SlurmJobRecord> = {}): SlurmJobRecord {
  return { kind: 'slurm', jobId, nodeName: 'gpu-07', partition: 'h200', request: ['--gres=gpu:2', '--exclusive'], allocatedGpus: [0, 1, 2, 3], usedGpus: [0, 1], cudaVisibleDevices: '0,1', submittedAtMs: 0, queueSeconds: 42, state: 'COMPLETED', reason: null, endSource: 'job-record', concurrentWith: [], jobScript: '/runs/x/job.sh', ...extra }
}

describe('cluster jobs section', () => {
  it('is absent when no run went through Slurm', () => {
    expect(clusterJobsSection(buildTestReport([buildCase({ runs: [buildRun()] })]))).toEqual([])
  })

  it('lists job, node, queue time apart from run time, the GPUs used of those allocated, and concurrency', () => {
    const runs = [{ ...buildRun({ gpuCount: 2 }), scheduler: job('812', { concurrentWith: ['813'] }) }, { ...buildRun({ gpuCount: 1 }), scheduler: job('813', { usedGpus: [0], queueSeconds: null, state: 'FAILED', reason: 'BadConstraints' }) }]
    const text = clusterJobsSection(buildTestReport([buildCase({ id: 'scaling-case', runs })])).join('\n')
    expect(text).toContain('## Cluster jobs')
    expect(text).toMatch(/\| [^|]+ \| 2 \| 812 \| gpu-07 \| h200 \| 42\.0 s \| [^|]+ \| COMPLETED \| 0,1 of 0,1,2,3 \| submitted together with job\(s\) 813 \|/)
    expect(text).toMatch(/\| 813 \| gpu-07 \| h200 \| — \| [^|]+ \| FAILED \(BadConstraints\) \| 0 of 0,1,2,3 \| — \|/)
  })
})
