// A tool (ffmpeg, ffprobe) behind a shell wrapper that logs each run's arguments, a line a run:
// tests see which runs an analysis made, and with what.
import { chmod, readFile, writeFile } from 'node:fs/promises'

export interface LoggedTool {
  /** The wrapper: give it where the tool's path goes. */
  path: string
  /** The runs since the start or the last clear, their arguments space-separated. */
  runs(): Promise<string[]>
  clear(): Promise<void>
}

/** Writes a wrapper at `path` that runs `target`; its log is `path`.log. */
export async function loggedTool(path: string, target: string): Promise<LoggedTool> {
  const log = `${path}.log`
  await writeFile(log, '')
  await writeFile(path, `#!/bin/sh\necho "$*" >> '${log}'\nexec '${target}' "$@"\n`)
  await chmod(path, 0o755)
  return {
    path,
    runs: async () => (await readFile(log, 'utf8')).split('\n').filter(Boolean),
    clear: () => writeFile(log, '')
  }
}
