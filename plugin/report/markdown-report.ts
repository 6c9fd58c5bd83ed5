/** The report for people: status first, then tables; every number says how it was obtained. */
import { duration, fixed, percent, times } from '../analysis/format-numbers.ts'
import type { ScalingAnalysis } from '../analysis/schema.ts'
import { STAGE_GROUP_TITLES, STAGE_TITLES } from '../model/stages.ts'
import type { RenderContext, RenderedFile, ReportFormatter } from './formatter.ts'
import type { Report, ReportCase } from './schema.ts'

const STATUS_LINE: Record<Report['summary']['status'], string> = {
  pass: '✅ pass',
  'pass-with-warnings': '⚠️ pass with warnings',
  fail: '❌ fail',
}

function cell(text: string | number): string {
  return String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ')
}

function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n')
}

function orDash(value: number | null | undefined, format: (v: number) => string): string {
  return value === null || value === undefined ? '—' : format(value)
}

export function environmentLine(report: Report): string {
  const env = report.environment
  const gpuNames = [...new Set(env.gpus.map((g) => g.name))]
  const gpus = env.gpus.length === 0 ? 'no GPUs' : `${env.gpus.length}× ${gpuNames.join(' + ')}`
  const parts = [
    env.host,
    gpus,
    env.driverVersion ? `driver ${env.driverVersion}` : null,
    env.cudaDriverVersion ? `CUDA ${env.cudaDriverVersion}` : null,
    env.python ? `Python ${env.python.version}, torch ${env.python.torch}` : null,
    `Node ${env.node}`,
    `${env.cpuCount}× ${env.cpuModel}`,
    env.git ? `commit ${env.git.commit}${env.git.dirty ? ' (dirty)' : ''}` : null,
  ]
  return parts.filter((p) => p !== null).join(' · ')
}

function speedupStatus(report: Report, gpus: number, speedup: number | null): string {
  const band = report.thresholds.speedup[String(gpus)]
  if (band === undefined || speedup === null) return '—'
  return speedup >= band.min ? `✅ ≥ ${times(band.min)}` : `⚠️ < ${times(band.min)}`
}

function scalingSection(report: Report, scaling: ScalingAnalysis): string[] {
  const rows = scaling.points.map((p) => [
    p.gpus,
    `${duration(p.wallSeconds.value)}${p.wallSeconds.flag ? ` (${p.wallSeconds.flag})` : ''}`,
    orDash(p.speedup, times),
    orDash(p.efficiency, (e) => percent(e)),
    `measured (${p.runs} run${p.runs === 1 ? '' : 's'})`,
    speedupStatus(report, p.gpus, p.speedup),
  ])
  for (const p of scaling.amdahl?.projections ?? []) {
    rows.push([`${p.gpus} *(projected)*`, duration(p.wallSeconds), times(p.speedup), percent(p.efficiency), p.basis, speedupStatus(report, p.gpus, p.speedup)])
  }
  const lines = [`### Scaling: ${scaling.caseId}`, '', table(['GPUs', 'Wall time', 'Speedup', 'Efficiency', 'Basis', 'Status'], rows), '']
  if (scaling.amdahlNote) lines.push(`No Amdahl projection: ${scaling.amdahlNote}.`, '')
  const groups = scaling.groupSpeedups.filter((g) => g.gpus > 1)
  if (groups.length > 0) {
    lines.push(
      table(['Stage group', 'GPUs', 'Time', '1-GPU time', 'Speedup'], groups.map((g) => [STAGE_GROUP_TITLES[g.group], g.gpus, duration(g.seconds), duration(g.baselineSeconds), orDash(g.speedup, times)])),
      '',
    )
  }
  return lines
}

function stageSection(c: ReportCase): string[] {
  const scaling = c.analysis.scaling
  if (scaling === null || scaling.points.length === 0) return []
  const rows = scaling.points.flatMap((p) => {
    const total = p.stages.reduce((t, s) => t + s.seconds.value, 0)
    return p.stages.map((s) => [
      STAGE_TITLES[s.stage],
      p.gpus,
      duration(s.seconds.value),
      orDash(s.seconds.spread, (v) => percent(v, 1)),
      orDash(s.records, (v) => String(Math.round(v))),
      orDash(s.recordsPerSecond, (v) => fixed(v, 1)),
      total > 0 ? percent(s.seconds.value / total, 1) : '—',
      orDash(s.modelLoadSeconds, duration),
    ])
  })
  return [`### Per-stage breakdown: ${c.id}`, '', table(['Stage', 'GPUs', 'Time (median)', 'Spread', 'Records in', 'Throughput (records/s)', 'Share', 'Model load'], rows), '']
}

function gpuSection(report: Report): string[] {
  const rows = report.cases.flatMap((c) =>
    (c.analysis.scaling?.points ?? []).flatMap((p) =>
      p.perGpu.length === 0
        ? [[c.id, p.gpus, '—', orDash(p.embeddingUtilisationPercent, (v) => fixed(v, 1)), '—', '—', '—', p.utilisationNote ?? '']]
        : p.perGpu.map((g) => [
            c.id,
            p.gpus,
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
          c.id,
          run.gpuCount,
          STAGE_TITLES[e.stage],
          e.precision,
          fixed(e.flops.total / 1e12, 1),
          orDash(e.seconds.inference, (v) => `${fixed(v, 1)} s`),
          orDash(e.achievedTflops.overInference ?? e.achievedTflops.overStage, (v) => fixed(v, 1)),
          orDash(e.ceilings.calibrated?.tflopsPerGpu, (v) => fixed(v, 0)),
          orDash(e.ratios.calibrated?.overInference ?? e.ratios.calibrated?.overStage, (v) => percent(v)),
          orDash(e.ratios.vendorPeak?.overInference ?? e.ratios.vendorPeak?.overStage, (v) => percent(v)),
        ])
      }
      if (run.gpu.status === 'sampled' && run.gpu.embedding !== null) {
        const b = run.gpu.embedding.busy
        const total = b.allBusySeconds + b.someBusySeconds + b.noneBusySeconds
        idleRows.push([c.id, run.gpuCount, fixed(total, 1), `${fixed(b.allBusySeconds, 1)} s`, `${fixed(b.someBusySeconds, 1)} s`, `${fixed(b.noneBusySeconds, 1)} s`, fixed(run.gpu.embedding.meanUtilisationPercent, 1)])
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
    lines.push('Model FLOPs from the model shape × tokens processed (2·params·tokens plus attention); achieved = FLOPs ÷ inference time (stage time minus logged model load), per GPU count × ceiling.', '')
  }
  if (idleRows.length > 0) {
    lines.push('GPU-idle accounting over the embedding stages (from the nvidia-smi samples; busy = utilisation ≥ threshold):', '')
    lines.push(table(['Case', 'GPUs', 'Window s', 'All GPUs busy', 'Some busy', 'None busy', 'Mean util %'], idleRows), '')
  }
  return lines
}

function projectionSection(report: Report): string[] {
  if (report.projections.length === 0) return []
  const rows = report.projections.map((p) => [
    p.caseId,
    p.sample,
    p.sequenceCount,
    p.gpus,
    `${fixed(p.hours)} h`,
    p.measured ? `${fixed(p.measured.hours)} h` : '—',
    p.target ? `< ${p.target.hours} h ± ${percent(p.target.tolerance)} on ${p.target.gpus}` : '—',
    p.withinTarget === null ? '—' : p.withinTarget ? '✅ within' : '⚠️ over',
    p.basis,
  ])
  const first = report.projections[0]
  return [
    '## Real-sample projection',
    '',
    table(['Case', 'Sample', 'Sequences', 'GPUs', 'Projected', 'Measured', 'Target', 'Status', 'Basis'], rows),
    '',
    ...(first ? ['Assumptions:', '', ...first.assumptions.map((a) => `- ${a}`), ''] : []),
  ]
}

function warningsSection(report: Report): string[] {
  if (report.warnings.length === 0) return ['## Warnings', '', 'None.', '']
  return [
    '## Warnings',
    '',
    ...report.warnings.map((w) => `- ⚠ **${w.code}**${w.caseId ? ` (${w.caseId})` : ''}: ${w.message}. Measured ${orDash(w.measured, (v) => fixed(v))}, target ${w.target}, shortfall ${w.shortfall}; basis: ${w.basis}.`),
    '',
  ]
}

function notEvaluatedSection(report: Report): string[] {
  if (report.notEvaluated.length === 0) return []
  return ['## Not evaluated', '', 'Missing data is not a threshold miss; these checks could not be made:', '', table(['Check', 'Case', 'Reason'], report.notEvaluated.map((n) => [n.check, n.caseId ?? '—', n.reason])), '']
}

function validationsSection(report: Report): string[] {
  if (report.validations.length === 0) return []
  const lines = ['## Validations', '']
  for (const v of report.validations) {
    lines.push(`### ${v.title} (${v.caseId}): ${v.status}`, '')
    for (const comparison of v.comparisons) {
      lines.push(`**Verdict: ${comparison.verdict}** · candidate \`${comparison.candidate}\` vs reference \`${comparison.reference}\` · rtol ${comparison.tolerance.rtol}, atol ${comparison.tolerance.atol}`, '')
      if (comparison.tensors.length > 0) {
        lines.push(
          table(
            ['Stage', 'Vectors', 'Max abs diff', 'Max rel diff', 'Outside tol.', 'Min cosine', 'NaN/Inf'],
            comparison.tensors.map((t) => [t.stage, t.vectors, t.maxAbsDiff.toExponential(2), t.maxRelDiff.toExponential(2), `${t.outsideTolerance} (${fixed(t.outsidePercent, 3)} %)`, fixed(t.minCosine, 6), `${t.nanCount}/${t.infCount}`]),
          ),
          '',
        )
      }
      if (comparison.predictions) lines.push(`Predictions: ${comparison.predictions.rows} rows, label agreement ${percent(comparison.predictions.labelAgreement / 100, 2)} (${comparison.predictions.labelFlips} flips, ${comparison.predictions.borderlineFlips} borderline), max score diff ${comparison.predictions.maxScoreDiff.toExponential(2)}.`, '')
      if (comparison.consensus) lines.push(`Consensus: ${comparison.consensus.rows} rows, agreement ${percent(comparison.consensus.agreement / 100, 2)} (${comparison.consensus.disagreements} disagreements, ${comparison.consensus.borderlineDisagreements} on borderline chunks).`, '')
      if (comparison.firstDivergingStage) lines.push(`First diverging stage: ${comparison.firstDivergingStage}.`, '')
      for (const f of comparison.findings) lines.push(`- ${f.verdict}: **${f.code}**: ${f.message}`)
      if (comparison.findings.length > 0) lines.push('')
    }
  }
  return lines
}

/** Issue 16: each GPU count's measured runs with their spread and outliers, warm-up runs apart, and why repeating stopped. */
function repeatsSection(report: Report): string[] {
  const rows: (string | number)[][] = []
  const notes: string[] = []
  for (const c of report.cases) {
    for (const p of c.analysis.scaling?.points ?? []) {
      const w = p.wallSeconds
      const warmups = c.runs.filter((r) => r.warmup && r.gpuCount === p.gpus && r.outcome === 'succeeded')
      rows.push([
        c.id,
        p.gpus,
        w.n,
        duration(w.value),
        w.min === null || w.max === null ? `— (${w.flag ?? ''})` : `${fixed(w.min, 2)}–${fixed(w.max, 2)} s`,
        orDash(w.mad, (v) => `${fixed(v, 3)} s`),
        orDash(w.iqr, (v) => `${fixed(v, 3)} s`),
        w.outliers.length === 0 ? '—' : `⚠ ${w.outliers.map((v) => fixed(v, 2)).join(', ')} s`,
        warmups.length === 0 ? '—' : warmups.map((r) => `${fixed(r.wallSeconds, 2)} s`).join(', '),
      ])
    }
    for (const note of c.repeatNotes) notes.push(`- ${c.id}: ${note}`)
  }
  if (rows.length === 0) return []
  return [
    '## Repeats and noise',
    '',
    table(['Case', 'GPUs', 'Measured runs', 'Median', 'Min–max', 'MAD', 'IQR', 'Outliers (kept)', 'Warm-up (not in the median)'], rows),
    '',
    ...(notes.length > 0 ? ['Repeat policy decisions:', '', ...notes, ''] : []),
  ]
}

/** Issue 16: what the harness itself cost, per case (outside the pipeline) and in-run (its CPU while pipelines ran). */
function overheadSection(report: Report): string[] {
  const cases = report.cases.filter((c) => c.overhead !== null && c.runs.length > 0)
  if (cases.length === 0) return []
  const rows = cases.map((c) => {
    const o = c.overhead as NonNullable<ReportCase['overhead']>
    const top = [...o.spans].sort((a, b) => b.seconds - a.seconds).slice(0, 4)
    return [
      c.id,
      c.runs.length,
      `${fixed(o.caseSeconds, 1)} s`,
      `${fixed(o.runSeconds, 1)} s`,
      `${fixed(o.perCaseSeconds, 1)} s`,
      `${fixed(o.inRunCpuSeconds, 2)} s${o.inRunFraction === null ? '' : ` (${percent(o.inRunFraction, 1)})`}`,
      top.map((s) => `${s.name} ${fixed(s.seconds, 2)} s${s.count > 1 ? ` (×${s.count})` : ''}`).join('; '),
    ]
  })
  return [
    "## The harness's own overhead",
    '',
    table(['Case', 'Runs', 'Case wall', 'Pipeline runs (Σ wall)', 'Outside the pipeline', 'Harness CPU during runs', 'Largest spans'], rows),
    '',
    'Case wall is from the case being declared to its last persist; "outside the pipeline" is case wall − Σ run wall (preparing, reading finished runs, persisting). Harness CPU during runs is the worker\'s CPU time (GPU sampler, state poller, log follower, post-run reading) over Σ run wall. Spans are timed with the harness\'s clock; the last persist cannot time itself.',
    '',
  ]
}

function methodSection(report: Report): string[] {
  const intervals = [...new Set(report.cases.flatMap((c) => c.runs).flatMap((r) => (r.gpu.status === 'sampled' ? [`${r.gpu.intervalMs} ms (${r.gpu.source})`] : [])))]
  return [
    '## How these numbers were obtained',
    '',
    '- **Wall time** is measured outside the pipeline, from process spawn to exit; stage times come from the pipeline\'s state file (its log as fallback). Repeats are summarised by their median (warm-up runs excluded, shown apart); with ≥ 3 runs the spread (min–max, MAD, IQR) is given and outliers by hyperfine\'s modified z-score rule (|x − median| / MAD > 14.826) are flagged, not removed; with fewer than 3 the single value is shown, flagged `n=1`/`n=2`.',
    intervals.length > 0
      ? `- **GPU metrics** were sampled by nvidia-smi every ${intervals.join(', ')}; utilisation is "percent of time a kernel was running", averaged over the embedding stages (DNABERT-S + ESM-2).`
      : '- **GPU metrics**: no GPU samples in this report.',
    '- **Speedup** S(n) = T(1)/T(n) of median wall times; efficiency S(n)/n. Rows marked *projected* use Amdahl\'s law with the serial fraction f fitted by least squares (on 1/S) to the measured speedups.',
    '- **Real-sample projections** use the measured per-stage-group throughput (records/s, model load counted once) × the sample manifest\'s sequence count, plus the measured start-up overhead; each row names its basis and assumptions.',
    `- **Thresholds** are soft: a miss is a warning${report.strict ? ' (strict mode: warnings fail the suite)' : ''}; a failed case is a failure.`,
    '',
  ]
}

export class MarkdownReport implements ReportFormatter {
  readonly name = 'markdown'
  readonly path: string

  constructor(path: string) {
    this.path = path
  }

  render(report: Report, context: RenderContext): RenderedFile[] {
    return [{ path: this.path, content: renderMarkdown(report, context) }]
  }
}

export function renderMarkdown(report: Report, context: RenderContext): string {
  const s = report.summary
  const lines = [
    `# VirNucPro ${report.suite} report`,
    '',
    `**Status: ${STATUS_LINE[s.status]}**${report.complete ? '' : ' · ⏳ incomplete (still running, crashed or interrupted: cases so far)'}`,
    '',
    `Environment: ${environmentLine(report)}`,
    '',
    `Created ${report.createdAt}.`,
    '',
    '## Summary',
    '',
  ]
  if (report.cases.length === 0) {
    lines.push('Nothing ran: no benchmark or validation case finished.', '')
  } else {
    lines.push(table(['Cases', 'Failed', 'Warnings', 'Skipped', 'Not evaluated'], [[s.cases, s.failed, s.warnings, s.skipped, report.notEvaluated.length]]), '')
    lines.push(
      table(
        ['Case', 'Kind', 'Status', 'Runs', 'Wall time (median)', 'Note'],
        report.cases.map((c) => [c.id, c.kind, c.status, c.runs.length, c.analysis.wallSeconds ? duration(c.analysis.wallSeconds.value) : c.analysis.scaling && c.analysis.scaling.points.length > 1 ? 'see scaling' : '—', c.error ?? c.skipReasons.join('; ')]),
      ),
      '',
    )
  }
  if (report.scaling.length > 0) {
    lines.push('## Scaling', '')
    for (const scaling of report.scaling) lines.push(...scalingSection(report, scaling))
  }
  const stageLines = report.cases.flatMap(stageSection)
  if (stageLines.length > 0) lines.push('## Per-stage breakdown', '', ...stageLines)
  lines.push(...repeatsSection(report), ...overheadSection(report))
  lines.push(...gpuSection(report), ...efficiencySection(report), ...projectionSection(report), ...warningsSection(report), ...notEvaluatedSection(report), ...validationsSection(report))
  if (context.charts.length > 0) lines.push('## Charts', '', ...context.charts.map((c) => `- [${c.title}](${c.path})`), '')
  lines.push(...methodSection(report))
  return lines.join('\n')
}
