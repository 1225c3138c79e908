// Lint rules, including the layering rules of the architecture (docs/architecture.md):
// shared imports nothing of ours, the renderer never imports main, only main/electron imports electron.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import svelte from 'eslint-plugin-svelte'
import globals from 'globals'

const noElectron = { name: 'electron', message: 'Only src/main/electron may import electron.' }

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.cache/**', 'test-output/**', 'dwellmap-demo/**', 'dwellmap-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser } }
  },
  { files: ['src/renderer/**'], languageOptions: { globals: globals.browser } },
  { files: ['src/main/**', 'test/**', 'scripts/**', 'bin/**', '*.config.*'], languageOptions: { globals: globals.node } },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }]
    }
  },
  {
    files: ['src/shared/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [noElectron], patterns: [{ group: ['**/main/**', '**/renderer/**', 'node:*'], message: 'src/shared imports nothing of ours and no Node modules.' }] }]
    }
  },
  {
    files: ['src/renderer/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [noElectron], patterns: [{ group: ['**/main/**', 'node:*'], message: 'The renderer talks to the app through the shared API only.' }] }]
    }
  },
  {
    files: ['src/main/**'],
    ignores: ['src/main/electron/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [noElectron] }] }
  }
)
