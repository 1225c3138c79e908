// A small work queue: the decode tasks of a day, the probes of its clips.

/** Runs async jobs with at most `limit` at once, in order of submission. */
export async function runLimited<T>(items: T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await run(items[next++])
  })
  await Promise.all(lanes)
}
