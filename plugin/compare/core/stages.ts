import type { TensorStats } from '../../model/validation.ts'

/** The three embedding stages a comparison streams (the zod enum in model/validation.ts is the source). */
export type TensorStage = TensorStats['stage']

/** Embedding widths fixed by the models (contract §2.2). */
export const STAGE_WIDTH: Readonly<Record<TensorStage, number>> = { dnabert: 768, esm: 2560, merged: 3328 }

export const STAGE_LABEL: Readonly<Record<TensorStage, string>> = { dnabert: 'DNABERT-S', esm: 'ESM-2', merged: 'merged' }
