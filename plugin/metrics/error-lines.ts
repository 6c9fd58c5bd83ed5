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

export function isErrorLine(line: string): boolean {
  return (LEVEL_ERROR.test(line) && !isKnownWarning(line)) || TRACEBACK.test(line) || EXCEPTION.test(line)
}

/**
 * Lines that differ only in numbers (worker rank, file index, time stamp) are one kind of error: the first stands
 * for the rest, so 18 per-file failures do not crowd out the traceback that follows them.
 */
export function errorLineKey(line: string): string {
  return line.replace(/\d+/g, '#')
}

/** Keeps the first line of each kind; returns whether the collection is full. */
export class ErrorLineCollector {
  readonly lines: string[] = []
  private readonly kinds = new Set<string>()
  private readonly max: number

  constructor(max = 5) {
    this.max = max
  }

  add(raw: string): boolean {
    const line = raw.trim()
    if (line !== '' && this.lines.length < this.max && isErrorLine(line) && !this.kinds.has(errorLineKey(line))) {
      this.kinds.add(errorLineKey(line))
      this.lines.push(line.slice(0, 400))
    }
    return this.lines.length >= this.max
  }
}

export function firstErrorLines(text: string, max = 5): string[] {
  const collector = new ErrorLineCollector(max)
  for (const raw of text.split(/\r\n|\r|\n/)) if (collector.add(raw)) break
  return collector.lines
}
