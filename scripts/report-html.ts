/**
 * npx tsx scripts/report-html.ts REPORT.md [OUT.html]
 * A report's markdown as one HTML page beside it (tables, headings, lists, code, embedded SVG charts by their
 * relative links), for a browser or a headless screenshot. A deliberately tiny renderer for the subset the
 * report formatter writes; GitHub renders the same markdown natively.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { runScript, UsageError } from './cli-support.ts'

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

function inline(text: string): string {
  return escapeHtml(text)
    .replace(/!\[([^\]]*)\]\(([^)]+)\)/g, '<img alt="$1" src="$2">')
    .replace(/\[([^\]]+)\]\(([^)]+)\)/g, '<a href="$2">$1</a>')
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/\*([^*]+)\*/g, '<em>$1</em>')
}

function cells(row: string): string[] {
  return row.trim().replace(/^\||\|$/g, '').split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, '|'))
}

export function markdownToHtml(markdown: string, title: string): string {
  const lines = markdown.split('\n')
  const out: string[] = []
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? ''
    if (line.startsWith('```')) {
      const code: string[] = []
      while (i + 1 < lines.length && !(lines[i + 1] ?? '').startsWith('```')) code.push(lines[++i] ?? '')
      i++
      out.push(`<pre>${escapeHtml(code.join('\n'))}</pre>`)
    } else if (/^#{1,4} /.test(line)) {
      const level = line.indexOf(' ')
      out.push(`<h${level}>${inline(line.slice(level + 1))}</h${level}>`)
    } else if (line.startsWith('|') && (lines[i + 1] ?? '').startsWith('| ---')) {
      const head = cells(line)
      i++
      const rows: string[][] = []
      while ((lines[i + 1] ?? '').startsWith('|')) rows.push(cells(lines[++i] ?? ''))
      out.push(`<table><thead><tr>${head.map((h) => `<th>${inline(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${inline(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`)
    } else if (line.startsWith('- ')) {
      const items = [line]
      while ((lines[i + 1] ?? '').startsWith('- ')) items.push(lines[++i] ?? '')
      out.push(`<ul>${items.map((item) => `<li>${inline(item.slice(2))}</li>`).join('')}</ul>`)
    } else if (line.trim() !== '') out.push(`<p>${inline(line)}</p>`)
  }
  const style =
    'body{font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;font-size:14px;max-width:1200px;margin:24px auto;color:#1f2328}' +
    'table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}th{background:#f6f8fa}' +
    'code,pre{font-family:ui-monospace,monospace;font-size:12px;background:#f6f8fa}pre{padding:8px;overflow:auto}h1,h2{border-bottom:1px solid #d0d7de;padding-bottom:4px}img{max-width:100%}'
  return `<!doctype html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${style}</style></head><body>\n${out.join('\n')}\n</body></html>\n`
}

runScript(
  'report-html',
  'usage: report-html REPORT.md [OUT.html]',
  (argv) => {
    const [input, output] = argv
    if (input === undefined || argv.length > 2) throw new UsageError('one REPORT.md (and optionally OUT.html)')
    return { input, output: output ?? input.replace(/\.md$/, '') + '.html' }
  },
  async ({ input, output }) => {
    await writeFile(output, markdownToHtml(await readFile(input, 'utf8'), input))
    console.log(output)
  },
)
