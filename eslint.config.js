import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The layers, lowest first (ADR 0007): a folder imports only the folders before it. The dashboard
 * sits below the CLI because `vsa dashboard` serves it, while the dashboard runs the CLI as a
 * process and never imports it.
 */
const LAYERS = ['runner', 'modules', 'site', 'playbooks', 'dashboard', 'cli'];

/**
 * A relative import that climbs out of its folder into one of `above`. The top-level folder names
 * are not reused inside the layers, so the first named segment after the `../`s says where an
 * import lands. `\x2F` is `/`: selectors for no-restricted-syntax cannot hold a slash in a regex.
 */
const climbsInto = (above) => `^(\\.\\.\\x2F)+(${above.join('|')})(\\x2F|$)`;

const layerRules = LAYERS.slice(0, -1).map((folder, i) => {
  const above = LAYERS.slice(i + 1);
  const message = `${folder}/ must not import ${above.join(', ')}: imports point down the layers (docs/adr/0007-one-way-layers.md)`;
  return {
    files: [`${folder}/**/*.{ts,tsx,js,mjs}`],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: climbsInto(above), message }] }],
      // no-restricted-imports does not look at import(); the lazy loads of the CLI are import()s.
      'no-restricted-syntax': [
        'error',
        { selector: `ImportExpression[source.value=/${climbsInto(above)}/]`, message },
      ],
    },
  };
});

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.lab/', 'dashboard/web/dist/', 'bench/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['bin/**/*.js', 'scripts/**/*.js'],
    languageOptions: { globals: { process: 'readonly', URL: 'readonly', console: 'readonly' } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  ...layerRules,
);
