/** How every number in the report was obtained. */
import type { Report } from '../schema.ts'
import type { MarkdownSection } from './section.ts'

function methodSection(report: Report): string[] {
  const intervals = [...new Set(report.cases.flatMap((c) => c.runs).flatMap((r) => (r.gpu.status === 'sampled' ? [`${r.gpu.intervalMs} ms (${r.gpu.source})`] : [])))]
  return [
    '## How these numbers were obtained',
    '',
    '- **Wall time** is measured outside the pipeline, from process spawn to exit; stage times come from the pipeline\'s state file (its log as fallback). Repeats are summarised by their median; with fewer than 3 repeats the single value is shown, flagged `n=1`/`n=2`.',
    intervals.length > 0
      ? `- **GPU metrics** were sampled by nvidia-smi every ${intervals.join(', ')}; utilisation is "percent of time a kernel was running", averaged over the embedding stages (DNABERT-S + ESM-2).`
      : '- **GPU metrics**: no GPU samples in this report.',
    '- **Speedup** S(n) = T(1)/T(n) of median wall times; efficiency S(n)/n. Rows marked *projected* use Amdahl\'s law with the serial fraction f fitted by least squares (on 1/S) to the measured speedups.',
    '- **Real-sample projections** use the measured per-stage-group throughput (records/s, model load counted once) × the sample manifest\'s sequence count, plus the measured start-up overhead; each row names its basis and assumptions.',
    `- **Thresholds** are soft: a miss is a warning${report.strict ? ' (strict mode: warnings fail the suite)' : ''}; a failed case is a failure.`,
    '',
  ]
}

export const methodSections: MarkdownSection = (report) => methodSection(report)
