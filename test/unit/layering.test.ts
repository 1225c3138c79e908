// The architecture's import rules live in eslint.config.js; this proves they bite.
import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

const eslint = new ESLint({ cwd: process.cwd() })

async function ruleIds(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath })
  return result.messages.map((m) => m.ruleId ?? m.message)
}

describe('layering rules', () => {
  it('keeps src/shared free of our other layers and of Node', async () => {
    expect(await ruleIds('src/shared/x.ts', "import { a } from '../main/cli/paths'\nexport const b = a\n")).toContain('no-restricted-imports')
    expect(await ruleIds('src/shared/x.ts', "import { readFile } from 'node:fs'\nexport const b = readFile\n")).toContain('no-restricted-imports')
  })

  it('keeps the renderer away from main and Node', async () => {
    expect(await ruleIds('src/renderer/src/x.ts', "import { a } from '../../main/cli/paths'\nexport const b = a\n")).toContain('no-restricted-imports')
  })

  it('lets only src/main/electron import electron', async () => {
    expect(await ruleIds('src/main/analysis/x.ts', "import { app } from 'electron'\nexport const b = app\n")).toContain('no-restricted-imports')
    expect(await ruleIds('src/main/electron/x.ts', "import { app } from 'electron'\nexport const b = app\n")).not.toContain('no-restricted-imports')
  })
})
