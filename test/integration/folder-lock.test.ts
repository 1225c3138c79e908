// One Dwellmap per projects folder (runtime/folder-lock.ts): a second process is refused with one
// line naming the owner, the lock goes when its owner exits (normally or by a signal), and a lock
// left by a process that died is taken over.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FolderLocked, LOCK_FILE, lockFolder } from '../../src/main/runtime/folder-lock'

const holder = resolve('test/helpers/hold-folder-lock.ts')
const children: ChildProcess[] = []
let folder: string

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'dwellmap-lock-'))
})

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  await rm(folder, { recursive: true, force: true })
})

interface Run {
  child: ChildProcess
  /** Settles with "locked" once the lock is held, or with the exit code and stderr on refusal. */
  started: Promise<{ locked: true } | { locked: false; code: number | null; stderr: string }>
  exited: Promise<number | null>
}

function hold(dir: string): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', holder, dir], { stdio: ['ignore', 'pipe', 'pipe'] })
  children.push(child)
  let stdout = ''
  let stderr = ''
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)))
  const started = new Promise<Awaited<Run['started']>>((done) => {
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString()
      if (stdout.includes('locked\n')) done({ locked: true })
    })
    void exited.then((code) => done({ locked: false, code, stderr }))
  })
  return { child, started, exited }
}

describe('the projects folder lock, between processes', () => {
  it('refuses a second process with one line naming the first, until the first has gone', async () => {
    const first = hold(folder)
    expect(await first.started).toEqual({ locked: true })
    expect((await readFile(join(folder, LOCK_FILE), 'utf8')).trim()).toBe(String(first.child.pid))

    const second = hold(folder)
    expect(await second.started).toEqual({
      locked: false,
      code: 1,
      stderr: `dwellmap: another Dwellmap is already using the projects folder ${folder} (pid ${first.child.pid})\n`
    })

    first.child.kill('SIGTERM')
    expect(await first.exited).toBe(0)
    expect(existsSync(join(folder, LOCK_FILE))).toBe(false)
    const third = hold(folder)
    expect(await third.started).toEqual({ locked: true })
    third.child.kill('SIGINT')
    expect(await third.exited).toBe(0)
    expect(existsSync(join(folder, LOCK_FILE))).toBe(false)
  })

  it('gives the lock to exactly one of several starting at the same moment', async () => {
    const runs = Array.from({ length: 4 }, () => hold(folder))
    const outcomes = await Promise.all(runs.map((r) => r.started))
    expect(outcomes.filter((o) => o.locked)).toHaveLength(1)
    const winner = runs[outcomes.findIndex((o) => o.locked)].child.pid
    for (const o of outcomes) if (!o.locked) expect(o.stderr).toContain(`(pid ${winner})`)
  })

  it('takes over a lock left by a process that was killed', async () => {
    const first = hold(folder)
    expect(await first.started).toEqual({ locked: true })
    first.child.kill('SIGKILL')
    await first.exited
    // SIGKILL runs no exit handler: the file is left behind, naming a dead pid.
    expect((await readFile(join(folder, LOCK_FILE), 'utf8')).trim()).toBe(String(first.child.pid))
    const second = hold(folder)
    expect(await second.started).toEqual({ locked: true })
    expect((await readFile(join(folder, LOCK_FILE), 'utf8')).trim()).toBe(String(second.child.pid))
  })
})

describe('the projects folder lock, in one process', () => {
  it('refuses a second lock on the same folder, and frees it on release', () => {
    const lock = lockFolder(folder)
    expect(() => lockFolder(folder)).toThrow(new FolderLocked(folder, process.pid))
    lock.release()
    lock.release()
    expect(existsSync(lock.file)).toBe(false)
    lockFolder(folder).release()
  })

  it('never removes a lock that is no longer its own', async () => {
    const lock = lockFolder(folder)
    await writeFile(lock.file, '1\n')
    lock.release()
    expect(await readFile(lock.file, 'utf8')).toBe('1\n')
  })

  it('takes over a lock naming its own pid that it does not hold (a pid reused after a restart)', async () => {
    await writeFile(join(folder, LOCK_FILE), `${process.pid}\n`)
    const lock = lockFolder(folder)
    expect(await readFile(lock.file, 'utf8')).toBe(`${process.pid}\n`)
    lock.release()
  })

  it('waits for an empty lock file while it is new, and takes it over once old', async () => {
    const file = join(folder, LOCK_FILE)
    await writeFile(file, '')
    expect(() => lockFolder(folder)).toThrow(`another Dwellmap is already using the projects folder ${folder}`)
    const aMinuteAgo = new Date(Date.now() - 60_000)
    await utimes(file, aMinuteAgo, aMinuteAgo)
    lockFolder(folder).release()
    expect(existsSync(file)).toBe(false)
  })
})

describe('the projects folder lock, on a folder it cannot write to', () => {
  it('says so in words', () => {
    const missing = join(folder, 'not-there')
    expect(() => lockFolder(missing)).toThrow(`the projects folder ${missing} cannot be written to (ENOENT)`)
  })
})
