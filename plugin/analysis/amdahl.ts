/** Amdahl's law fitted to measured speedups, and projections for GPU counts nobody measured. Pure: no I/O. */
import type { AmdahlFit, ProjectedSpeedup } from './schema.ts'

export function amdahlSpeedup(serialFraction: number, gpus: number): number {
  return 1 / (serialFraction + (1 - serialFraction) / gpus)
}

export function amdahlBasis(serialFraction: number): string {
  return `projected (Amdahl fit, f=${serialFraction.toFixed(3)})`
}

export interface SpeedupPoint {
  gpus: number
  speedup: number
}

/**
 * Least-squares serial fraction f from (n, S(n)) points. Amdahl is linear in f once rewritten as
 * 1/S − 1/n = f·(1 − 1/n), so the fit is closed-form; f is clamped to [0, 1].
 * Returns null (with why) unless there is a 1-GPU baseline and at least one larger count.
 */
export function fitAmdahl(
  points: readonly SpeedupPoint[],
  oneGpuWallSeconds: number,
  projectTo: readonly number[],
): { fit: AmdahlFit; note: null } | { fit: null; note: string } {
  const hasBaseline = points.some((p) => p.gpus === 1)
  const larger = points.filter((p) => p.gpus > 1 && Number.isFinite(p.speedup) && p.speedup > 0)
  if (!hasBaseline) return { fit: null, note: 'no 1-GPU measurement to fit against' }
  if (larger.length === 0) return { fit: null, note: 'needs at least 2 GPU counts (1 and more), measured only 1 GPU' }
  let sxy = 0
  let sxx = 0
  for (const p of larger) {
    const x = 1 - 1 / p.gpus
    const y = 1 / p.speedup - 1 / p.gpus
    sxy += x * y
    sxx += x * x
  }
  const serialFraction = Math.min(1, Math.max(0, sxy / sxx))
  const fitted = points.filter((p) => p.gpus >= 1)
  const rmse = Math.sqrt(
    fitted.reduce((s, p) => s + (p.speedup - amdahlSpeedup(serialFraction, p.gpus)) ** 2, 0) / fitted.length,
  )
  const basis = amdahlBasis(serialFraction)
  const measured = new Set(points.map((p) => p.gpus))
  const projections: ProjectedSpeedup[] = [...new Set(projectTo)]
    .filter((n) => n >= 1 && !measured.has(n))
    .sort((a, b) => a - b)
    .map((gpus) => {
      const speedup = amdahlSpeedup(serialFraction, gpus)
      return { gpus, speedup, efficiency: speedup / gpus, wallSeconds: oneGpuWallSeconds / speedup, basis }
    })
  return {
    fit: { serialFraction, points: points.map((p) => ({ gpus: p.gpus, speedup: p.speedup })), rmse, basis, projections },
    note: null,
  }
}
