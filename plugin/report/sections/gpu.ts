/** GPU utilisation and memory per GPU, and efficiency against the calibrated ceiling with GPU-idle accounting. */
import { fixed, percent } from '../../analysis/format-numbers.ts'
import { STAGE_TITLES } from '../../model/stages.ts'
import type { Report } from '../schema.ts'
import { orDash, table } from './markdown.ts'
import type { MarkdownSection } from './section.ts'
import { gpusCell } from './what-ran.ts'

function gpuSection(report: Report): string[] {
  const rows = report.cases.flatMap((c) =>
    (c.analysis.scaling?.points ?? []).flatMap((p) =>
      p.perGpu.length === 0
        ? [[c.title, gpusCell(p.gpus), '—', orDash(p.embeddingUtilisationPercent, (v) => fixed(v, 1)), '—', '—', '—', p.utilisationNote ?? '']]
        : p.perGpu.map((g) => [
            c.title,
            gpusCell(p.gpus),
            g.gpu,
            fixed(g.utilisationPercent, 1),
            Math.round(g.memoryPeakMiB),
            Math.round(g.memoryMeanMiB),
            orDash(g.memoryTotalMiB, (v) => String(Math.round(v))),
            orDash(p.energyJPerSequence, (v) => `${fixed(v, 3)} J/seq`),
          ]),
    ),
  )
  if (rows.length === 0) return []
  return ['## GPU utilisation and memory', '', table(['Case', 'GPUs in run', 'GPU', 'Embedding util %', 'Memory peak MiB', 'Memory mean MiB', 'Memory total MiB', 'Energy / note'], rows), '']
}

function efficiencySection(report: Report): string[] {
  const effRows: (string | number)[][] = []
  const idleRows: (string | number)[][] = []
  for (const c of report.cases) {
    for (const run of c.runs) {
      for (const e of run.efficiency) {
        effRows.push([
          `${c.title} (${run.mode})`,
          gpusCell(run.gpuCount),
          STAGE_TITLES[e.stage],
          e.precision,
          fixed(e.flops.total / 1e12, 1),
          orDash(e.seconds.inference, (v) => `${fixed(v, 1)} s${e.seconds.inferenceSource === null ? '' : ` (${e.seconds.inferenceSource})`}`),
          orDash(e.achievedTflops.overInference ?? e.achievedTflops.overStage, (v) => fixed(v, 1)),
          orDash(e.ceilings.calibrated?.tflopsPerGpu, (v) => fixed(v, 0)),
          orDash(e.ratios.calibrated?.overInference ?? e.ratios.calibrated?.overStage, (v) => percent(v)),
          orDash(e.ratios.vendorPeak?.overInference ?? e.ratios.vendorPeak?.overStage, (v) => percent(v)),
        ])
      }
      if (run.gpu.status === 'sampled' && run.gpu.embedding !== null) {
        const b = run.gpu.embedding.busy
        const total = b.allBusySeconds + b.someBusySeconds + b.noneBusySeconds
        idleRows.push([`${c.title} (${run.mode})`, gpusCell(run.gpuCount), fixed(total, 1), `${fixed(b.allBusySeconds, 1)} s`, `${fixed(b.someBusySeconds, 1)} s`, `${fixed(b.noneBusySeconds, 1)} s`, fixed(run.gpu.embedding.meanUtilisationPercent, 1)])
      }
    }
  }
  if (effRows.length === 0 && idleRows.length === 0) return []
  const lines = ['## Efficiency against the hardware limit', '']
  const calibration = report.cases.flatMap((c) => c.runs).map((r) => r.calibration).find((cal) => cal !== null && cal.status === 'calibrated')
  if (calibration !== undefined && calibration !== null && calibration.status === 'calibrated') {
    lines.push(`Calibrated ceiling on ${calibration.gpu.name}: ${fixed(calibration.bf16Tflops, 0)} TFLOP/s bf16 matmul, ${fixed(calibration.memoryBandwidthGBs, 0)} GB/s copy bandwidth (${calibration.method}; measured ${calibration.measuredAt}).`, '')
  }
  if (effRows.length > 0) {
    lines.push(table(['Case', 'GPUs', 'Stage', 'Precision', 'Model TFLOPs', 'Inference time', 'Achieved TFLOP/s', 'Ceiling TFLOP/s per GPU', 'Of calibrated ceiling', 'Of vendor peak'], effRows), '')
    lines.push('Model FLOPs from the model shape × tokens processed (2·params·tokens plus attention); achieved = FLOPs ÷ inference time (the stage’s inference phase where its log or GPU samples mark it, otherwise stage time minus logged model load; the column says which), per GPU count × ceiling.', '')
  }
  if (idleRows.length > 0) {
    lines.push('GPU-idle accounting over the embedding stages (from the nvidia-smi samples; busy = utilisation ≥ threshold):', '')
    lines.push(table(['Case', 'GPUs', 'Window s', 'All GPUs busy', 'Some busy', 'None busy', 'Mean util %'], idleRows), '')
  }
  return lines
}

export const gpuSections: MarkdownSection = (report) => [...gpuSection(report), ...efficiencySection(report)]
