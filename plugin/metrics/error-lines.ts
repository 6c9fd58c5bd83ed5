/**
 * The first error lines of one log stream: ERROR/CRITICAL log lines, traceback headers and the exception line that
 * ends a traceback. Pure. The real tool's console handler writes its ERROR lines and tracebacks to stdout and its
 * workers to stderr, so a failed run's cause is read from both streams (contract §8).
 */
import { FINDING_RULES } from './log-findings.ts'

const LEVEL_ERROR = / - (?:ERROR|CRITICAL) - /
const TRACEBACK = /^Traceback \(most recent call last\):/
/** `RuntimeError: …`, `torch.cuda.OutOfMemoryError: …`, `virnucpro_ref: error: …`, Click's `Error: …`. */
const EXCEPTION = /^(?:[A-Za-z_][\w.]*(?:Error|Exception|Interrupt)\b.*|[\w.-]+: error: .*|Error: .*)$/

/** Warning-level findings that the tool logs at ERROR (e.g. `CRITICAL: Packing efficiency …` in a successful run). */
function isKnownWarning(line: string): boolean {
  return FINDING_RULES.some((rule) => rule.severity === 'warning' && rule.pattern.test(line))
}

export function firstErrorLines(text: string, max = 5): string[] {
  const out: string[] = []
  for (const raw of text.split(/\r\n|\r|\n/)) {
    const line = raw.trim()
    if (line === '' || out.includes(line.slice(0, 400))) continue
    const hit = (LEVEL_ERROR.test(line) && !isKnownWarning(line)) || TRACEBACK.test(line) || EXCEPTION.test(line)
    if (hit) out.push(line.slice(0, 400))
    if (out.length >= max) break
  }
  return out
}
