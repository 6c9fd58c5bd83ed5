/**
 * The report for people: status first, then what ran, what went wrong, and the measurements; every number says
 * how it was obtained. Each section is its own pure function (sections/*.ts), so new sections plug in here.
 */
import { type RenderContext, SingleTextFormatter } from './formatter.ts'
import type { Report } from './schema.ts'
import { whatRanSection, skippedSection } from './sections/cases.ts'
import { chartsSection } from './sections/charts.ts'
import { clusterJobsSections } from './sections/cluster-jobs.ts'
import { failuresSection, findingsSection } from './sections/findings.ts'
import { gpuSections } from './sections/gpu.ts'
import { methodSections } from './sections/method.ts'
import { outputChecksSection } from './sections/output-checks.ts'
import { bottleneckSections } from './sections/bottlenecks.ts'
import { overheadSections, repeatsSections } from './sections/repeats.ts'
import { projectionSections } from './sections/projection.ts'
import { projectionChecksSections } from './sections/projection-checks.ts'
import { scalingSections } from './sections/scaling.ts'
import type { MarkdownSection } from './sections/section.ts'
import { headSection, summarySection } from './sections/summary.ts'
import { interruptionSections } from './sections/interruption.ts'
import { validationSections } from './sections/validations.ts'
import { warningSections } from './sections/warnings.ts'

/** In reading order: verdict, what ran, what went wrong, the charts, then the measurements and how they were made. */
export const MARKDOWN_SECTIONS: readonly MarkdownSection[] = [
  headSection,
  summarySection,
  interruptionSections,
  whatRanSection,
  failuresSection,
  findingsSection,
  outputChecksSection,
  skippedSection,
  chartsSection,
  scalingSections,
  clusterJobsSections,
  gpuSections,
  bottleneckSections,
  repeatsSections,
  overheadSections,
  projectionSections,
  projectionChecksSections,
  warningSections,
  validationSections,
  methodSections,
]

export class MarkdownReport extends SingleTextFormatter {
  readonly name = 'markdown'

  protected text(report: Report, context: RenderContext): string {
    return renderMarkdown(report, context)
  }
}

export function renderMarkdown(report: Report, context: RenderContext, sections: readonly MarkdownSection[] = MARKDOWN_SECTIONS): string {
  return sections.flatMap((section) => section(report, context)).join('\n')
}
