import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The browser apps bundle what they import. Server code comes in as types only (esbuild drops
// `import type`): the API's response schemas, the domains' unions. The pure cores the editors run
// (routing, ivr, the dial plan's draft-test address) are the exception, bundled on purpose. A
// server folder is told from a web folder of the same name (config, reports…) by how far up the
// path climbs: from a file N folders below src/, N `../` leave src/web.
const SERVER_FOLDERS = 'api|acd|auth|calls|campaigns|config|db|directory|errors|media|network|platform|reports|runtime|staffing|supervisor|tls';
const browserImportRules = [1, 2, 3, 4, 5].map((depth) => ({
  files: [`src/web/${'*/'.repeat(depth - 1)}*.{ts,tsx}`],
  rules: {
    '@typescript-eslint/no-restricted-imports': ['error', {
      patterns: [{
        regex: `^(\\.\\./){${depth},}((${SERVER_FOLDERS})(/|$)|sip/(?!draft-test-address$))`,
        allowTypeImports: true,
        message: 'the browser apps may import server code as types only (import type): a value would bundle server modules into the page',
      }],
    }],
  },
}));

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'artifacts/**', 'public/**', '**/*.js', '**/*.cjs', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  ...browserImportRules,
  {
    // Tests and scripts print their own summaries; the rule guards src only.
    files: ['test/**', 'scripts/**', 'bench/**'],
    rules: {
      'no-console': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // HTTP response bodies in tests are untyped JSON by nature.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // A test waits for the result it wants (test/helpers/eventually.ts), never a guessed time; the few
    // deliberate pauses (a hold held for seconds, "nothing happens meanwhile") say why with quietPeriod().
    files: ['test/**'],
    ignores: ['test/helpers/eventually.ts'],
    rules: {
      // `new Promise((r) => setTimeout(r, ms))`: a sleep. A timer that gives up or acts (an arrow callback) is not one.
      'no-restricted-syntax': ['error', ...[
        'NewExpression[callee.name="Promise"] > ArrowFunctionExpression > CallExpression[callee.name="setTimeout"][arguments.0.type="Identifier"]',
        'NewExpression[callee.name="Promise"] > ArrowFunctionExpression > BlockStatement > ExpressionStatement > CallExpression[callee.name="setTimeout"][arguments.0.type="Identifier"]',
      ].map((selector) => ({
        selector,
        message: 'A fixed sleep: wait for the result (eventually/untilPasses), or name a deliberate pause with quietPeriod(ms, why).',
      }))],
    },
  },
);
