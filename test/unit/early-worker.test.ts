// The CLI forks the analysis worker before it reads its options: the width it guesses from the
// raw arguments decides the worker's environment, and a worker whose environment does not suit
// the checked options is not used.
import { describe, expect, it } from 'vitest'
import { likelyWidth } from '../../src/main/cli/early-worker'
import { largeGridEnv } from '../../src/main/runtime/reuse-memory-env'

describe('the early worker\'s width, read from the raw arguments', () => {
  it('reads the width as commander does, the last one given', () => {
    expect(likelyWidth(['analyze', 'a.mp4', '--out', 'x'])).toBe(640)
    expect(likelyWidth(['analyze', 'a.mp4', '-w', '1920'])).toBe(1920)
    expect(likelyWidth(['analyze', 'a.mp4', '-w1920'])).toBe(1920)
    expect(likelyWidth(['analyze', 'a.mp4', '--width=native'])).toBe('native')
    expect(likelyWidth(['analyze', '--width', '320', 'a.mp4', '--width', '1600'])).toBe(1600)
  })

  it('takes the method\'s default: native for seed', () => {
    expect(likelyWidth(['analyze', 'a.mp4', '--method', 'seed'])).toBe('native')
    expect(likelyWidth(['analyze', 'a.mp4', '-mseed'])).toBe('native')
    expect(likelyWidth(['analyze', 'a.mp4', '--method=seed', '-w', '640'])).toBe(640)
    expect(likelyWidth(['analyze', 'a.mp4', '-m', 'occupancy'])).toBe(640)
  })

  it('stops at `--`, after which every word is a file', () => {
    expect(likelyWidth(['analyze', '--out', 'x', '--', '-w', '1920'])).toBe(640)
  })

  it('gives large grids (native, wider than 1280) the memory-reuse environment, others not', () => {
    expect(largeGridEnv('native')).toBe(true)
    expect(largeGridEnv(1920)).toBe(true)
    expect(largeGridEnv(1280)).toBe(false)
    expect(largeGridEnv(640)).toBe(false)
  })
})
