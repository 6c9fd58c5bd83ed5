/** The timestamps the pipelines' logs carry (local time, optional milliseconds as the workers write them). */
const TIMESTAMP = /(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:,(\d{3}))?/

/** The log's local-time stamp (`2026-11-28 17:37:34` or worker `…,902`) → epoch ms. */
export function logTimestampMs(line: string): number | null {
  const m = TIMESTAMP.exec(line)
  if (m === null) return null
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number)
  return new Date(y ?? 0, (mo ?? 1) - 1, d ?? 1, h ?? 0, mi ?? 0, s ?? 0, Number(m[7] ?? 0)).getTime()
}
