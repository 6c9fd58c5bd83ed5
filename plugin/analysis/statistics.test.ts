import { describe, expect, it } from 'vitest'
import { iqr, mad, max, mean, median, min, modifiedZScores, outlierIndices, percentile, spread, summarise } from './statistics.ts'

describe('percentile', () => {
  it('interpolates linearly between closest ranks like numpy', () => {
    expect(percentile([1, 2, 3, 4], 25)).toBeCloseTo(1.75)
    expect(percentile([4, 1, 3, 2], 0)).toBe(1)
    expect(percentile([4, 1, 3, 2], 100)).toBe(4)
    expect(percentile([10], 90)).toBe(10)
  })
  it('names the bad input', () => {
    expect(() => percentile([], 50)).toThrow(/percentile: needs at least one value/)
    expect(() => percentile([1, Number.NaN], 50)).toThrow(/finite/)
    expect(() => percentile([1], 101)).toThrow(/0\.\.100, got 101/)
  })
})

describe('descriptive statistics', () => {
  it('median, min, max, mean', () => {
    expect(median([3, 1, 2])).toBe(2)
    expect(median([1, 2, 3, 4])).toBe(2.5)
    expect(min([3, 1, 2])).toBe(1)
    expect(max([3, 1, 2])).toBe(3)
    expect(mean([1, 2, 3, 6])).toBe(3)
  })
  it('MAD is robust to one outlier', () => {
    expect(mad([1, 1, 2, 2, 4, 6, 9])).toBe(1)
    expect(mad([10, 10, 10, 10, 1000])).toBe(0)
  })
  it('spread is (max − min) / median, null at a zero median', () => {
    expect(spread([90, 100, 110])).toBeCloseTo(0.2)
    expect(spread([0, 0, 0])).toBeNull()
  })
})

describe('summarise', () => {
  it('reports median/min/max/spread with ≥ 3 repeats', () => {
    expect(summarise([12, 10, 11])).toEqual({ n: 3, value: 11, min: 10, max: 12, spread: 2 / 11, mad: 1, iqr: 1, outliers: [], flag: null })
  })
  it('flags a single value as n=1 with no spread', () => {
    expect(summarise([42])).toEqual({ n: 1, value: 42, min: null, max: null, spread: null, mad: null, iqr: null, outliers: [], flag: 'n=1' })
  })
  it('flags two repeats as n=2 and reports their median', () => {
    expect(summarise([10, 20])).toMatchObject({ n: 2, value: 15, spread: null, flag: 'n=2' })
  })
})

describe('spread and outliers (hyperfine\'s modified z-score rule)', () => {
  it('IQR is p75 − p25 with linear interpolation', () => {
    expect(iqr([1, 2, 3, 4])).toBeCloseTo(1.5)
    expect(iqr([5, 5, 5])).toBe(0)
  })
  it('modified z-score is (x − median) / MAD', () => {
    expect(modifiedZScores([10, 11, 12, 13, 14])).toEqual([-2, -1, 0, 1, 2])
  })
  it('flags a value more than 1.4826 × 10 MADs from the median, keeps ordinary scatter', () => {
    const runs = [10.0, 10.1, 9.9, 10.2, 9.8, 10.05]
    expect(outlierIndices(runs)).toEqual([])
    expect(outlierIndices([...runs, 14])).toEqual([6])
    const summary = summarise([...runs, 14])
    expect(summary.outliers).toEqual([14])
    expect(summary.flag).toBe('1 outlier')
    expect(summary.value).toBe(10.05) // flagged, not removed: the median is robust anyway
  })
  it('with MAD 0 only values more than 1 % off the median are outliers', () => {
    expect(outlierIndices([2, 2, 2, 2.01])).toEqual([])
    expect(outlierIndices([2, 2, 2, 3])).toEqual([3])
  })
})
