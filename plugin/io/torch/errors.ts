/** Why a `.pt` file could not be read; lets callers (and `scripts/inspect.ts`) tell refusals from damage. */
export type PtErrorCode =
  | 'io' // the file could not be opened/read
  | 'not-zip' // no zip container at all
  | 'legacy' // pre-1.6 torch.save format (a bare pickle stream)
  | 'truncated' // the zip or one of its records ends early
  | 'missing-record' // no */data.pkl or a storage record is absent
  | 'byteorder' // storages not little-endian
  | 'pickle' // malformed or unsupported pickle content
  | 'refused' // a global outside the allow-list

/** One-line, typed error for any `.pt` read failure; the message always names the file. */
export class PtReadError extends Error {
  override readonly name = 'PtReadError'
  constructor(
    readonly code: PtErrorCode,
    readonly path: string,
    readonly detail: string,
  ) {
    super(`${path}: ${detail}`)
  }
}

/** Internal: thrown by the unpickler, which does not know the file name; re-thrown as PtReadError by the reader. */
export class PickleError extends Error {
  override readonly name = 'PickleError'
  constructor(
    readonly code: 'pickle' | 'refused' | 'truncated',
    message: string,
  ) {
    super(message)
  }
}
