/** A report section: a pure function of the report (and the planned charts) to markdown lines. */
import type { RenderContext } from '../formatter.ts'
import type { Report } from '../schema.ts'

export type MarkdownSection = (report: Report, context: RenderContext) => string[]

/** A case's title for headings and rows (ids are for machines). */
export function caseTitle(report: Report, caseId: string | null): string {
  return caseId === null ? '—' : (report.cases.find((c) => c.id === caseId)?.title ?? caseId)
}
