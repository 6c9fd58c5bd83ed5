/**
 * One small interface behind every output format (like Vitest's reporters or hyperfine's exporters): the Report is
 * the model, a formatter only turns it into files. Formatters do no I/O; write-reports.ts writes what they return.
 */
import type { ChartSpec } from './chart-plan.ts'
import type { Report } from './schema.ts'

/** One point of a GPU utilisation chart, relative to the run's start (a thin view of metrics/gpu-sample.ts's GpuSample, the full nvidia-smi reading), from the run's Arrow timeline or handed in directly. */
export interface TimelinePoint {
  /** Milliseconds since the run started. */
  tMs: number
  gpu: number
  utilisationPercent: number
  memoryUsedMiB: number | null
}

export interface RenderContext {
  /** Charts to draw or link, planned once (chart-plan.ts) so every formatter agrees on names. */
  charts: ChartSpec[]
  /** Per run id, the GPU samples for its timeline chart. */
  timelines: ReadonlyMap<string, readonly TimelinePoint[]>
  /** Said instead of the charts when they are left out on purpose (e.g. the CI step summary, where links do not resolve). */
  chartsOmitted?: string
}

export interface RenderedFile {
  /** Path relative to the reports directory. */
  path: string
  content: string
}

export interface ReportFormatter {
  readonly name: string
  render(report: Report, context: RenderContext): RenderedFile[]
}

/** A format that is one text: rendered once, then written under every name it is given (a stamped copy and latest.*). */
export abstract class SingleTextFormatter implements ReportFormatter {
  abstract readonly name: string
  readonly paths: readonly string[]

  constructor(...paths: [string, ...string[]]) {
    this.paths = paths
  }

  protected abstract text(report: Report, context: RenderContext): string

  render(report: Report, context: RenderContext): RenderedFile[] {
    const content = this.text(report, context)
    return this.paths.map((path) => ({ path, content }))
  }
}
