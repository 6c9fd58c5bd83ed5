/** Number formatting shared by warnings and reports so the same value reads the same everywhere. Pure. */

export function fixed(value: number, digits = 2): string {
  return value.toFixed(digits)
}

export function times(value: number): string {
  return `${value.toFixed(2)}×`
}

export function percent(fraction: number, digits = 0): string {
  return `${(fraction * 100).toFixed(digits)} %`
}

export function duration(seconds: number): string {
  if (seconds >= 3600) return `${(seconds / 3600).toFixed(2)} h`
  if (seconds >= 60) return `${(seconds / 60).toFixed(1)} min`
  return `${seconds.toFixed(1)} s`
}
