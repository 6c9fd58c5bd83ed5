/** Tiny SVG building blocks for hand-written charts: escaping, scales, ticks, axes, legend. */

export const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#17becf']

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

export interface Frame {
  width: number
  height: number
  left: number
  right: number
  top: number
  bottom: number
}

export type Scale = (value: number) => number

export function linearScale(domain: readonly [number, number], range: readonly [number, number]): Scale {
  const [d0, d1] = domain
  const [r0, r1] = range
  const span = d1 - d0 || 1
  return (value) => r0 + ((value - d0) / span) * (r1 - r0)
}

/** About `count` round tick values covering [lo, hi] (steps of 1, 2 or 5 × 10^k). */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  const span = hi - lo
  if (!(span > 0)) return [lo]
  const raw = span / count
  const magnitude = 10 ** Math.floor(Math.log10(raw))
  const step = ([1, 2, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude
  const ticks: number[] = []
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(Number(v.toFixed(10)))
  return ticks
}

export function tickLabel(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(Math.abs(value) < 1 ? 2 : 1)
}

export function axes(frame: Frame, x: Scale, y: Scale, xTicks: readonly number[], yTicks: readonly number[], xLabel: string, yLabel: string): string {
  const x0 = frame.left
  const x1 = frame.width - frame.right
  const y0 = frame.height - frame.bottom
  const y1 = frame.top
  const parts = [
    `<line class="axis" x1="${x0}" y1="${y0}" x2="${x1}" y2="${y0}" stroke="#333"/>`,
    `<line class="axis" x1="${x0}" y1="${y0}" x2="${x0}" y2="${y1}" stroke="#333"/>`,
  ]
  for (const t of xTicks) {
    const px = x(t).toFixed(1)
    parts.push(`<line x1="${px}" y1="${y0}" x2="${px}" y2="${y0 + 5}" stroke="#333"/>`)
    parts.push(`<text x="${px}" y="${y0 + 18}" text-anchor="middle" font-size="11">${tickLabel(t)}</text>`)
  }
  for (const t of yTicks) {
    const py = y(t).toFixed(1)
    parts.push(`<line x1="${x0}" y1="${py}" x2="${x1}" y2="${py}" stroke="#eee"/>`)
    parts.push(`<text x="${x0 - 8}" y="${py}" text-anchor="end" dominant-baseline="middle" font-size="11">${tickLabel(t)}</text>`)
  }
  parts.push(`<text class="x-label" x="${(x0 + x1) / 2}" y="${frame.height - 10}" text-anchor="middle" font-size="12">${escapeXml(xLabel)}</text>`)
  parts.push(
    `<text class="y-label" x="14" y="${(y0 + y1) / 2}" text-anchor="middle" font-size="12" transform="rotate(-90 14 ${(y0 + y1) / 2})">${escapeXml(yLabel)}</text>`,
  )
  return parts.join('\n')
}

export interface LegendEntry {
  label: string
  color: string
  /** 'line', 'dashed', 'dot' (filled marker) or 'hollow' (open marker). */
  mark: 'line' | 'dashed' | 'dot' | 'hollow'
}

export function legend(frame: Frame, entries: readonly LegendEntry[]): string {
  const x = frame.width - frame.right + 16
  const rows = entries.map((e, i) => {
    const y = frame.top + 10 + i * 20
    const mark =
      e.mark === 'line' || e.mark === 'dashed'
        ? `<line x1="${x}" y1="${y}" x2="${x + 22}" y2="${y}" stroke="${e.color}" stroke-width="2"${e.mark === 'dashed' ? ' stroke-dasharray="5 4"' : ''}/>`
        : `<circle cx="${x + 11}" cy="${y}" r="4.5" stroke="${e.color}" stroke-width="2" fill="${e.mark === 'dot' ? e.color : '#fff'}"/>`
    return `${mark}<text x="${x + 28}" y="${y}" dominant-baseline="middle" font-size="11">${escapeXml(e.label)}</text>`
  })
  return `<g class="legend">${rows.join('')}</g>`
}

/** About how many characters of the 14 px bold title fit across the frame; longer titles end in "…". */
function fitTitle(frame: Frame, title: string): string {
  const max = Math.floor((frame.width - 20) / 8)
  return title.length > max ? `${title.slice(0, max - 1)}…` : title
}

export function svgDocument(frame: Frame, title: string, body: string): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${frame.width}" height="${frame.height}" viewBox="0 0 ${frame.width} ${frame.height}" font-family="sans-serif">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text class="chart-title" x="${frame.width / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${escapeXml(fitTitle(frame, title))}</text>`,
    body,
    '</svg>',
    '',
  ].join('\n')
}
