/** Markdown building blocks shared by the report's sections: one table algorithm, escaping, dashes for missing values. */

export function cell(text: string | number): string {
  return String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ')
}

export function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n')
}

export function orDash(value: number | null | undefined, format: (v: number) => string): string {
  return value === null || value === undefined ? '—' : format(value)
}

/** A fenced block that a log line cannot break out of. */
export function codeBlock(lines: readonly string[]): string[] {
  return ['```text', ...lines.map((l) => l.replace(/```/g, "'''")), '```']
}
