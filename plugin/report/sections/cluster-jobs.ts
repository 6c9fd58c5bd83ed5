/** The markdown report's "Cluster jobs" section: where each run ran when Slurm launched it, queue time apart. */
import { duration } from '../../analysis/format-numbers.ts'
import type { Report } from '../schema.ts'
import { cell } from './markdown.ts'
import { caseTitle, type MarkdownSection } from './section.ts'

/** Empty when no run went through a scheduler. */
export function clusterJobsSection(report: Report): string[] {
  const rows = report.cases.flatMap((c) =>
    c.runs.flatMap((run) => {
      const s = run.scheduler
      if (s === undefined) return []
      const gpus = s.usedGpus.length === 0 ? '—' : `${s.usedGpus.join(',')} of ${s.allocatedGpus.join(',')}`
      const together = s.concurrentWith.length === 0 ? '—' : `submitted together with job(s) ${s.concurrentWith.join(', ')}`
      return [[caseTitle(report, c.id), run.gpuCount, s.jobId ?? 'refused', s.nodeName ?? '—', s.partition ?? '—', s.queueSeconds === null ? '—' : duration(s.queueSeconds), duration(run.wallSeconds), `${s.state}${s.reason === null ? '' : ` (${s.reason})`}`, gpus, together]]
    }),
  )
  if (rows.length === 0) return []
  const header = ['Case', 'GPUs', 'Job', 'Node', 'Partition', 'Queued', 'Run', 'Slurm state', 'GPUs used of allocated', 'Concurrency']
  return [
    '## Cluster jobs',
    '',
    'Runs launched as Slurm jobs. "Queued" is submission to the pipeline\'s start on the node and is not part of any run time; "Run" is the pipeline command on the node, from the job\'s own records (sacct where the cluster keeps accounting).',
    '',
    [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n'),
    '',
  ]
}

export const clusterJobsSections: MarkdownSection = (report) => clusterJobsSection(report)
