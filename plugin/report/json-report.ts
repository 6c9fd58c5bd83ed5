/** The JSON report: the Report itself, already schema-validated by buildReport. */
import type { RenderedFile, ReportFormatter, RenderContext } from './formatter.ts'
import type { Report } from './schema.ts'

export class JsonReport implements ReportFormatter {
  readonly name = 'json'
  readonly paths: readonly string[]

  /** Every path gets the same text, serialised once (e.g. the timestamped copy and latest.json). */
  constructor(...paths: [string, ...string[]]) {
    this.paths = paths
  }

  render(report: Report, _context: RenderContext): RenderedFile[] {
    const content = `${JSON.stringify(report, null, 2)}\n`
    return this.paths.map((path) => ({ path, content }))
  }
}
