// The result views load with "newest wins": an older answer or error never replaces a newer one.
import { describe, expect, it } from 'vitest'
import { newestWins } from '../../src/renderer/src/components/results/lib/newest-wins'

/** A request the test answers (or fails) when it wants. */
function deferred<T>(): { promise: Promise<T>; resolve(value: T): void; reject(error: Error): void } {
  let resolve!: (value: T) => void
  let reject!: (error: Error) => void
  const promise = new Promise<T>((yes, no) => ((resolve = yes), (reject = no)))
  return { promise, resolve, reject }
}

function recorder() {
  const log: string[] = []
  const loader = newestWins<string>({
    answer: (value) => log.push(`answer ${value}`),
    failed: (message) => log.push(`failed ${message}`),
    busy: (on) => log.push(on ? 'busy' : 'idle')
  })
  return { log, loader }
}

/** An older request and a newer one, both still waiting for their answers. */
function twoRequests() {
  const { log, loader } = recorder()
  const old = deferred<string>()
  const fresh = deferred<string>()
  return { log, old, fresh, first: loader.run(() => old.promise), second: loader.run(() => fresh.promise) }
}

describe('newest wins', () => {
  it('passes on an answer and says when it is busy', async () => {
    const { log, loader } = recorder()
    await loader.run(async () => 'monday')
    expect(log).toEqual(['busy', 'answer monday', 'idle'])
  })

  it('drops an older answer that arrives after a newer one', async () => {
    const { log, old, fresh, first, second } = twoRequests()
    fresh.resolve('12:00 to 13:00')
    await second
    old.resolve('whole day')
    await first
    expect(log).toEqual(['busy', 'busy', 'answer 12:00 to 13:00', 'idle'])
  })

  it('drops an older error, and stays busy until the newest ends', async () => {
    const { log, old, fresh, first, second } = twoRequests()
    old.reject(new Error('stale failure'))
    await first
    expect(log).toEqual(['busy', 'busy'])
    fresh.reject(new Error('Monday has no footage between 15:00-16:00.'))
    await second
    expect(log).toEqual(['busy', 'busy', 'failed Monday has no footage between 15:00-16:00.', 'idle'])
  })
})
