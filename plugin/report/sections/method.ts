/** How every number in the report was obtained. */
import type { Report } from '../schema.ts'
import type { MarkdownSection } from './section.ts'

function methodSection(report: Report): string[] {
  const intervals = [...new Set(report.cases.flatMap((c) => c.runs).flatMap((r) => (r.gpu.status === 'sampled' ? [`${r.gpu.intervalMs} ms (${r.gpu.source})`] : [])))]
  return [
    '## How these numbers were obtained',
    '',
    '- **Wall time** is measured outside the pipeline, from process spawn to exit; stage times come from the pipeline\'s state file (its log as fallback). Repeats are summarised by their median (warm-up runs excluded, shown apart); with ≥ 3 runs the spread (min–max, MAD, IQR) is given and outliers by hyperfine\'s modified z-score rule (|x − median| / MAD > 14.826) are flagged, not removed; with fewer than 3 the single value is shown, flagged `n=1`/`n=2`.',
    intervals.length > 0
      ? `- **GPU metrics** were sampled by nvidia-smi every ${intervals.join(', ')}; utilisation is "percent of time a kernel was running", averaged over the embedding stages (DNABERT-S + ESM-2).`
      : '- **GPU metrics**: no GPU samples in this report.',
    '- **Speedup** S(n) = T(1)/T(n) of median wall times; efficiency S(n)/n. Rows marked *projected* use Amdahl\'s law with the serial fraction f fitted by least squares (on 1/S) to the measured speedups.',
    '- **Real-sample projections** use a per-stage cost model (fixed + per-record + padded FLOPs with the attention term + per-batch, NNLS-fitted to the measured runs; model load and start-up measured) applied to the work the manifest describes (frames and their length distribution under the target\'s batching); data-parallel stages divided over N GPUs with the measured (or Amdahl-fitted) efficiency; the interval comes from the leave-one-out errors, split into a fixed part (seconds) and a proportional part, and the repeat spread, and the verdict needs the whole interval on one side of the target; each row names its basis and assumptions.',
    `- **Thresholds** are soft: a miss is a warning${report.strict ? ' (strict mode: warnings fail the suite)' : ''}; a failed case is a failure.`,
    '',
  ]
}

export const methodSections: MarkdownSection = (report) => methodSection(report)
