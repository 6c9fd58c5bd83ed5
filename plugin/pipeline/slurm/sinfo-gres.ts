/** `sinfo --noheader -o '%G'` → GPUs per node (the most any node of the partition offers). */

/** One Gres string, e.g. `gpu:4`, `gpu:h200:8(S:0-1)`, `gpu:a100:4,shard:8`, `(null)` → its GPU count. */
export function gpusInGres(gres: string): number {
  let total = 0
  for (const part of gres.split(/,(?![^(]*\))/)) {
    const m = /^gpu(?::[^:(\s]+)?:(\d+)/.exec(part.trim())
    if (m?.[1] !== undefined) total += Number(m[1])
  }
  return total
}

export function maxGpusPerNode(sinfoOutput: string): number {
  return sinfoOutput
    .split('\n')
    .map((line) => gpusInGres(line.trim()))
    .reduce((a, b) => Math.max(a, b), 0)
}
