/** The JSON report: the Report itself, already schema-validated by buildReport. */
import { type RenderContext, SingleTextFormatter } from './formatter.ts'
import type { Report } from './schema.ts'

export class JsonReport extends SingleTextFormatter {
  readonly name = 'json'

  protected text(report: Report, _context: RenderContext): string {
    return `${JSON.stringify(report, null, 2)}\n`
  }
}
