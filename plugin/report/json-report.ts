/** The JSON report: the Report itself, already schema-validated by buildReport. */
import type { RenderedFile, ReportFormatter, RenderContext } from './formatter.ts'
import type { Report } from './schema.ts'

export class JsonReport implements ReportFormatter {
  readonly name = 'json'
  readonly path: string

  constructor(path: string) {
    this.path = path
  }

  render(report: Report, _context: RenderContext): RenderedFile[] {
    return [{ path: this.path, content: `${JSON.stringify(report, null, 2)}\n` }]
  }
}
