// Where the built pieces sit relative to the CLI bundle (out/main/cli.js).
import { existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))

export const builtPaths = {
  worker: join(here, 'worker.js'),
  renderer: join(here, '..', 'renderer'),
  electronMain: join(here, 'index.js'),
  projectRoot: join(here, '..', '..')
}

/** Where `dwellmap serve` keeps projects unless told otherwise. */
export const DEFAULT_PROJECTS_DIR = join(homedir(), 'Dwellmap')

export function assertBuilt(): void {
  if (!existsSync(builtPaths.worker)) throw new Error('Dwellmap is not built: run `npm run setup` first')
}
