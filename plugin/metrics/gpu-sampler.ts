/**
 * Streams `nvidia-smi --query-gpu=… -lms N` for the duration of a run. Without nvidia-smi (CPU machines, CI) the
 * sampler reports unavailable once per process and the run goes on. Its own CPU cost is measured: the nvidia-smi
 * child's utime+stime from /proc, plus the CPU our parser spent.
 */
import { once } from 'node:events'
import { readFile } from 'node:fs/promises'
import { execa, type ResultPromise } from 'execa'
import { NVIDIA_SMI_FIELDS, type GpuSample } from './gpu-sample.ts'
import { LineSplitter, NvidiaSmiParser } from './nvidia-smi-parser.ts'

/** Linux USER_HZ; /proc/<pid>/stat times are in these ticks. */
const CLOCK_TICKS_PER_SECOND = 100

let unavailableReported = false

/** Prints the unavailability reason once per process, not once per run. */
function reportUnavailable(reason: string): void {
  if (unavailableReported) return
  unavailableReported = true
  process.stderr.write(`GPU sampler unavailable: ${reason}\n`)
}

export interface SamplerOptions {
  intervalMs: number
  /** The stage running now, to tag each sample. */
  stageAt?: () => string | null
  /** For tests: a stand-in for nvidia-smi. */
  command?: string
}

export type SamplerResult =
  | { status: 'unavailable'; reason: string }
  | {
      status: 'sampled'
      samples: GpuSample[]
      cpuPercent: number | null
      source: string
      rejectedLines: number
      /** nvidia-smi ended on its own before stop(): samples are missing from then on. */
      gap: { fromMs: number; reason: string } | null
    }

/** utime + stime of a live process in ms, or null when /proc cannot tell. */
export async function processCpuMs(pid: number): Promise<number | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8')
    // Fields after the `(comm)` part; comm may contain spaces, so split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const ticks = Number(fields[11]) + Number(fields[12])
    return Number.isFinite(ticks) ? (ticks * 1000) / CLOCK_TICKS_PER_SECOND : null
  } catch {
    return null
  }
}

export class GpuSampler {
  readonly samples: GpuSample[] = []
  private readonly parser = new NvidiaSmiParser()
  private readonly splitter = new LineSplitter()
  private parserCpuMicros = 0
  private stderr = ''
  private readonly startedAt = Date.now()
  private stopping = false
  private died: { fromMs: number; reason: string } | null = null

  private constructor(
    private readonly child: ResultPromise | null,
    private readonly unavailable: string | null,
    private readonly options: SamplerOptions,
  ) {
    if (child === null) return
    child.stdout?.setEncoding('utf8')
    child.stdout?.on('data', (chunk: string) => this.consume(chunk))
    child.stderr?.setEncoding('utf8')
    child.stderr?.on('data', (chunk: string) => (this.stderr = (this.stderr + chunk).slice(-2000)))
    // A sampler that dies (driver reset, OOM killer, a stray kill) must not end the run: note when, carry on.
    child.on('exit', (code, signal) => {
      if (this.stopping) return
      const last = this.samples.at(-1)?.timestampMs
      const how = signal !== null ? `killed by ${signal}` : `exited ${code ?? '?'}`
      this.died = { fromMs: last ?? Date.now(), reason: `nvidia-smi ${how} during the run${this.stderr.trim() ? `: ${this.stderr.trim().split('\n')[0] ?? ''}` : ''}` }
      process.stderr.write(`GPU sampler stopped early (${this.died.reason}); GPU samples are missing from ${new Date(this.died.fromMs).toISOString()}\n`)
    })
  }

  static async start(options: SamplerOptions): Promise<GpuSampler> {
    const command = options.command ?? 'nvidia-smi'
    const args = [`--query-gpu=${NVIDIA_SMI_FIELDS.join(',')}`, '--format=csv,noheader,nounits', '-lms', String(Math.round(options.intervalMs))]
    const child = execa(command, args, { reject: false, buffer: false, stdin: 'ignore' })
    // events.once rejects with the 'error' event's error when spawning fails: that rejection is the answer.
    const outcome = await once(child, 'spawn').then(
      () => null,
      (e: unknown) => e,
    )
    if (outcome !== null) {
      await child.catch(() => undefined)
      const code = (outcome as { code?: unknown }).code
      const reason = code === 'ENOENT' ? `${command} not found (no NVIDIA driver on this machine)` : String(outcome)
      reportUnavailable(reason)
      return new GpuSampler(null, reason, options)
    }
    return new GpuSampler(child, null, options)
  }

  private consume(chunk: string): void {
    const before = process.cpuUsage()
    const stage = this.options.stageAt?.() ?? null
    for (const line of this.splitter.push(chunk)) {
      const sample = this.parser.parseLine(line)
      if (sample !== null) this.samples.push({ ...sample, stage })
    }
    const used = process.cpuUsage(before)
    this.parserCpuMicros += used.user + used.system
  }

  async stop(): Promise<SamplerResult> {
    if (this.child === null) return { status: 'unavailable', reason: this.unavailable ?? 'not started' }
    const pid = this.child.pid
    const childCpuMs = pid === undefined || this.died !== null ? null : await processCpuMs(pid)
    this.stopping = true
    this.child.kill('SIGTERM')
    const result = await this.child
    for (const line of this.splitter.flush()) {
      const sample = this.parser.parseLine(line)
      if (sample !== null) this.samples.push({ ...sample, stage: this.options.stageAt?.() ?? null })
    }
    if (this.samples.length === 0) {
      const why = this.stderr.trim() || `${result.command} exited ${result.exitCode ?? result.signal ?? ''}`
      const reason = `nvidia-smi gave no samples: ${why.split('\n')[0] ?? why}`
      reportUnavailable(reason)
      return { status: 'unavailable', reason }
    }
    const wallMs = Math.max(1, Date.now() - this.startedAt)
    const cpuPercent = childCpuMs === null ? null : ((childCpuMs + this.parserCpuMicros / 1000) / wallMs) * 100
    return { status: 'sampled', samples: this.samples, cpuPercent, source: 'nvidia-smi', rejectedLines: this.parser.rejected, gap: this.died }
  }
}
