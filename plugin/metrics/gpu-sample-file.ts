/**
 * GPU samples that an nvidia-smi on another machine (a cluster's compute node) writes into a CSV in the run folder:
 * followed as they arrive, so the live progress shows GPU use, and read to the end when the run is over.
 */
import type { GpuSample } from './gpu-sample.ts'
import type { SamplerResult } from './gpu-sampler.ts'
import { LogFollower } from './log-follower.ts'
import { NvidiaSmiParser } from './nvidia-smi-parser.ts'

export class GpuSampleFileFollower {
  readonly samples: GpuSample[] = []
  private readonly parser = new NvidiaSmiParser()
  private readonly follower: LogFollower

  constructor(
    path: string,
    private readonly stageAt: () => string | null,
    /** Why there are no samples, when the job said so (e.g. no nvidia-smi on the node); read at stop. */
    private readonly unavailableReason: () => string | null,
  ) {
    this.follower = new LogFollower(path, (line) => {
      const sample = this.parser.parseLine(line)
      if (sample !== null) this.samples.push({ ...sample, stage: this.stageAt() })
    }, 1000)
    this.follower.start()
  }

  async stop(): Promise<SamplerResult> {
    await this.follower.stop()
    if (this.samples.length > 0) return { status: 'sampled', samples: this.samples, cpuPercent: null, source: 'nvidia-smi (compute node)', rejectedLines: this.parser.rejected, gap: null }
    return { status: 'unavailable', reason: this.unavailableReason() ?? 'the job wrote no GPU samples' }
  }
}
