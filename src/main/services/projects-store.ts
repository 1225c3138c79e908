// Projects on disk: one folder per project under the projects root, holding project.json (written
// atomically), the painted mask and each day's results:
//
//   <projectsRoot>/recent.json                       { "<projectId>": "<openedAt ISO>" }
//   <projectsRoot>/<projectId>/project.json
//   <projectsRoot>/<projectId>/mask.png              written when an analysis starts
//   <projectsRoot>/<projectId>/days/<dayId>/result/  the analysis's files (summary.json, ...)
//
// Every change to a project goes through update(), which runs one change at a time per project,
// so a progress update from a running analysis never overwrites a rename made a moment before.
//
// A project.json this version cannot use (damaged, or written by a newer Dwellmap) is listed as
// unreadable rather than hidden, and is never written: update() reads before it writes.
import { mkdir, readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { PROJECT_FORMAT, ProjectSchema, SlugSchema, type Project, type ProjectListItem } from '../../shared/project'
import { AppError, errorMessage, isMissing } from './app-error'
import { writeFileAtomic } from '../runtime/atomic-write'

const PROJECT_FILE = 'project.json'
const RECENT_FILE = 'recent.json'
/** Slugs are at most 64 characters; leave room for a "-NN" suffix. */
const SLUG_BASE_MAX = 56

/** A file-system safe id from a name: "Café Nord #2" -> "cafe-nord-2". */
export function slugify(name: string, fallback: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, SLUG_BASE_MAX)
    .replace(/-+$/, '')
  return slug || fallback
}

/** The slug itself when free, else slug-2, slug-3, ... */
export function uniqueSlug(base: string, isTaken: (candidate: string) => boolean): string {
  if (!isTaken(base)) return base
  for (let n = 2; ; n++) {
    const candidate = `${base}-${n}`
    if (!isTaken(candidate)) return candidate
  }
}

/** A project folder whose project.json cannot be used; `reason` is what the projects list shows. */
export class UnreadableProject extends AppError {
  constructor(
    readonly projectId: string,
    /** The project's name when the file still says it, else null. */
    readonly projectName: string | null,
    readonly reason: string,
    message: string
  ) {
    super('invalid', message)
  }
}

/** The name a project.json gives, if any, even when the rest of it cannot be read. */
function nameIn(json: unknown): string | null {
  const name = (json as { name?: unknown } | null)?.name
  return typeof name === 'string' && name.trim() !== '' ? name.slice(0, 80) : null
}

export class ProjectsStore {
  private readonly locks = new Map<string, Promise<unknown>>()

  constructor(readonly root: string) {}

  projectDir(id: string): string {
    return join(this.root, id)
  }

  dayDir(id: string, dayId: string): string {
    return join(this.root, id, 'days', dayId)
  }

  resultDir(id: string, dayId: string): string {
    return join(this.dayDir(id, dayId), 'result')
  }

  maskPath(id: string): string {
    return join(this.root, id, 'mask.png')
  }

  /**
   * Every project, most recently opened first. Projects that cannot be opened are listed too,
   * marked `unreadable`, so they do not seem to vanish; folders without a project.json are not
   * projects and are left out.
   */
  async list(): Promise<ProjectListItem[]> {
    let entries
    try {
      entries = await readdir(this.root, { withFileTypes: true })
    } catch (error) {
      if (isMissing(error)) return []
      throw error
    }
    const recent = await this.readRecent()
    const items: ProjectListItem[] = []
    for (const entry of entries) {
      if (!entry.isDirectory() || !SlugSchema.safeParse(entry.name).success) continue
      const id = entry.name
      try {
        const project = await this.read(id)
        items.push({ id, name: project.name, days: project.days.length, openedAt: recent[id] ?? null })
      } catch (error) {
        if (error instanceof AppError && error.code === 'not-found') continue
        const unreadable = error instanceof UnreadableProject ? error : null
        items.push({
          id,
          name: unreadable?.projectName ?? id,
          days: 0,
          openedAt: recent[id] ?? null,
          // Not damaged, not newer: the file could not be read at all (permissions, a folder).
          unreadable: unreadable?.reason ?? `project.json cannot be read (${errorMessage(error)})`
        })
      }
    }
    return items.sort((a, b) => (b.openedAt ?? '').localeCompare(a.openedAt ?? '') || a.name.localeCompare(b.name))
  }

  /** Makes a new project folder; its id is a slug of the name, unique among the folders. */
  async create(name: string): Promise<Project> {
    await mkdir(this.root, { recursive: true })
    const existing = new Set(await readdir(this.root))
    const base = slugify(name, 'project')
    for (;;) {
      const id = uniqueSlug(base, (c) => existing.has(c))
      try {
        // Without `recursive`, mkdir fails if the folder appeared meanwhile: the id is ours.
        await mkdir(this.projectDir(id))
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
          existing.add(id)
          continue
        }
        throw error
      }
      const project: Project = { dwellmapProject: PROJECT_FORMAT, id, name, days: [], zones: [], mask: null }
      await this.write(project)
      return project
    }
  }

  async read(id: string): Promise<Project> {
    let text: string
    try {
      text = await readFile(join(this.projectDir(id), PROJECT_FILE), 'utf8')
    } catch (error) {
      if (isMissing(error)) throw new AppError('not-found', `There is no project "${id}" in ${this.root}.`)
      throw error
    }
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      throw this.damaged(id, null, 'it is not valid JSON')
    }
    const format = (json as { dwellmapProject?: unknown } | null)?.dwellmapProject
    if (typeof format === 'number' && Number.isInteger(format) && format > PROJECT_FORMAT) {
      const name = nameIn(json)
      throw new UnreadableProject(
        id,
        name,
        'made by a newer version of Dwellmap: update Dwellmap to open it',
        `Project "${name ?? id}" was made by a newer version of Dwellmap: update Dwellmap to open it.`
      )
    }
    const parsed = ProjectSchema.safeParse(json)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      throw this.damaged(id, nameIn(json), `${issue.path.join('.') || 'top level'}: ${issue.message}`)
    }
    if (parsed.data.id !== id) throw this.damaged(id, parsed.data.name, `it belongs to project "${parsed.data.id}"`)
    return parsed.data
  }

  private damaged(id: string, name: string | null, what: string): UnreadableProject {
    return new UnreadableProject(id, name, `project.json is damaged (${what})`, `The project file of "${id}" is damaged (${what}).`)
  }

  /**
   * Reads, changes and writes a project, one change at a time per project. `change` edits the
   * project in place (or returns a replacement); throwing leaves the file untouched.
   */
  update(id: string, change: (project: Project) => Project | void | Promise<Project | void>): Promise<Project> {
    return this.locked(id, async () => {
      const project = await this.read(id)
      const changed = (await change(project)) ?? project
      const valid = ProjectSchema.parse(changed)
      await this.write(valid)
      return valid
    })
  }

  /** Remembers that the project was opened now (for the recent list). */
  async touch(id: string): Promise<void> {
    await this.locked(RECENT_FILE, async () => {
      const recent = await this.readRecent()
      recent[id] = new Date().toISOString()
      await mkdir(this.root, { recursive: true })
      await writeFileAtomic(join(this.root, RECENT_FILE), JSON.stringify(recent, null, 2) + '\n')
    })
  }

  /** Ids of every project folder (for start-up checks). */
  async ids(): Promise<string[]> {
    try {
      const entries = await readdir(this.root, { withFileTypes: true })
      return entries.filter((e) => e.isDirectory() && SlugSchema.safeParse(e.name).success).map((e) => e.name)
    } catch (error) {
      if (isMissing(error)) return []
      throw error
    }
  }

  private async write(project: Project): Promise<void> {
    await writeFileAtomic(join(this.projectDir(project.id), PROJECT_FILE), JSON.stringify(project, null, 2) + '\n')
  }

  private async readRecent(): Promise<Record<string, string>> {
    try {
      const json: unknown = JSON.parse(await readFile(join(this.root, RECENT_FILE), 'utf8'))
      if (json && typeof json === 'object' && !Array.isArray(json)) {
        return Object.fromEntries(Object.entries(json).filter((e): e is [string, string] => typeof e[1] === 'string'))
      }
    } catch {
      // Missing or damaged: the recent list is a convenience, start it afresh.
    }
    return {}
  }

  private locked<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(key) ?? Promise.resolve()
    const next = previous.then(fn, fn)
    const settled = next.catch(() => undefined)
    this.locks.set(key, settled)
    void settled.then(() => {
      if (this.locks.get(key) === settled) this.locks.delete(key)
    })
    return next
  }
}

/** The day of a project, or a plain error naming both. */
export function findDay(project: Project, dayId: string): Project['days'][number] {
  const day = project.days.find((d) => d.id === dayId)
  if (!day) throw new AppError('not-found', `Project "${project.name}" has no day "${dayId}".`)
  return day
}
