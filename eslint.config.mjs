// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const vscodeImport = {
  paths: [
    {
      name: 'vscode',
      message:
        "Only src/extension.ts, src/host, src/views and src/chat may import 'vscode' (see DESIGN.md, Layers). Reach the editor through the Host interface instead.",
    },
  ],
};

export default tseslint.config(
  {
    ignores: ['dist/**', 'out/**', 'test/fixtures/qa/**', 'test/fixtures/platform/golden/**', 'coverage/**', 'node_modules/**', '.cache/**', 'test-results/**', 'demo-workspace/**', '**/*.d.ts'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-imports': ['error', vscodeImport],
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    // The VS Code face of the extension: the only layers allowed to touch the editor API.
    files: ['src/extension.ts', 'src/host/**/*.ts', 'src/views/**/*.ts', 'src/chat/**/*.ts', 'test/integration/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    languageOptions: {
      globals: {
        process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly', setTimeout: 'readonly',
        clearTimeout: 'readonly', fetch: 'readonly', AbortController: 'readonly', __dirname: 'readonly', require: 'readonly', module: 'writable',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
