// Lint keeps each environment in its room (DESIGN.md "Layers"): electron only in main/electron/ and preload/,
// no database, HTTP or services in drivers, and no Node code in the renderer.
import tseslint from 'typescript-eslint';

const noElectron = { name: 'electron', message: 'Only main/electron/ (and preload/) may import electron; the control plane runs under plain Node.' };

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'renderer/dist/**', 'release/**', 'test-results/**', 'playwright-report/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['main/**/*.ts'],
    ignores: ['main/electron/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [noElectron] }] },
  },
  {
    files: ['main/drivers/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron, { name: 'better-sqlite3', message: 'Drivers know nothing of the database.' }, { name: 'fastify', message: 'Drivers know nothing of HTTP.' }],
          patterns: [
            { group: ['**/core/db', '**/core/migrations/**', '**/core/tasks'], message: 'Drivers know nothing of the database or tasks: they receive specs and return facts.' },
            { group: ['**/control-plane', '**/api/**', '**/identity/**', '**/compute/**', '**/image/**', '**/network/**', '**/hosts/**', '**/scheduler/**'], message: 'Drivers do not reach up into services.' },
            { group: ['../fake/**', '../libvirt/**'], message: 'A driver never imports another driver.' },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    ignores: ['renderer/vite.config.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron],
          patterns: [
            { group: ['node:*', 'better-sqlite3', 'fastify'], message: 'The renderer never reaches Node: it sees only the contract.' },
            // Types only from main/; contract/rules (plain, import-free checks) is shared by value with the contract.
            { regex: '(^|/)main/(?!api/contract/rules$)', message: 'The renderer uses only the contract (type imports, and contract/rules by value).', allowTypeImports: true },
          ],
        },
      ],
    },
  },
);
