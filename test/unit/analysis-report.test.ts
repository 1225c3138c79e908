// The report's words for how the empty scene came about.
import { describe, expect, it } from 'vitest'
import { emptySceneWords } from '../../src/main/results/analysis-report'

describe('the empty scene in the report', () => {
  it('says how an automatic one was built, and names a chosen one as the summary does', () => {
    expect(emptySceneWords('auto: median of 31 frames spread over the day (exact seeks), ghosts removed'))
      .toBe('built automatically from the footage: median of 31 frames spread over the day (exact seeks), ghosts removed')
    // Results written before the summary said how.
    expect(emptySceneWords('auto')).toBe('built automatically from the footage')
    expect(emptySceneWords('time:3.5')).toBe('time:3.5')
    expect(emptySceneWords('/footage/empty.png')).toBe('/footage/empty.png')
  })
})
