// Statistics the accuracy tests share.

/** Mean of each cell x cell block: compares maps on a coarse grid, as the footage README asks. */
export function blockMeans(data: ArrayLike<number>, width: number, height: number, cell: number): Float64Array {
  const bw = Math.floor(width / cell)
  const bh = Math.floor(height / cell)
  const out = new Float64Array(bw * bh)
  for (let y = 0; y < bh * cell; y++) {
    for (let x = 0; x < bw * cell; x++) out[Math.floor(y / cell) * bw + Math.floor(x / cell)] += data[y * width + x]
  }
  return out.map((v) => v / (cell * cell))
}

export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length
  let ma = 0
  let mb = 0
  for (let i = 0; i < n; i++) {
    ma += a[i]
    mb += b[i]
  }
  ma /= n
  mb /= n
  let sab = 0
  let saa = 0
  let sbb = 0
  for (let i = 0; i < n; i++) {
    const da = a[i] - ma
    const db = b[i] - mb
    sab += da * db
    saa += da * da
    sbb += db * db
  }
  return sab / Math.sqrt(saa * sbb)
}
