/**
 * Polls the pipeline's state file during a run; missing or half-written files are simply tried again. Where the file
 * is comes from the target's output layout (OutputLayout.stateFile).
 */
import { readFile } from 'node:fs/promises'
import { parsePipelineState, type PipelineState } from './pipeline-state.ts'

export class StateFilePoller {
  private timer: NodeJS.Timeout | null = null
  private latest: PipelineState | null = null
  private reading: Promise<void> = Promise.resolve()

  constructor(
    readonly statePath: string,
    private readonly intervalMs = 1000,
    private readonly onChange?: (state: PipelineState) => void,
  ) {}

  get state(): PipelineState | null {
    return this.latest
  }

  start(): void {
    if (this.timer !== null) return
    this.timer = setInterval(() => void this.poll(), this.intervalMs)
    this.timer.unref()
  }

  /** One read now; resolves after it (and any read already running) finished. */
  poll(): Promise<void> {
    this.reading = this.reading.then(() => this.readOnce())
    return this.reading
  }

  /** Stops polling and takes one last reading, so the final state is never missed. */
  async stop(): Promise<PipelineState | null> {
    if (this.timer !== null) clearInterval(this.timer)
    this.timer = null
    await this.poll()
    return this.latest
  }

  private async readOnce(): Promise<void> {
    let text: string
    try {
      text = await readFile(this.statePath, 'utf8')
    } catch {
      return
    }
    const state = parsePipelineState(text)
    if (state === null) return
    const changed = this.latest === null || state.updatedAtMs !== this.latest.updatedAtMs || JSON.stringify(state.stages) !== JSON.stringify(this.latest.stages)
    this.latest = state
    if (changed) this.onChange?.(state)
  }
}
