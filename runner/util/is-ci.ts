/** CI services set CI=true (some CI=1); an explicit CI=false or CI=0 still counts as no CI. */
export function isCI(env: NodeJS.ProcessEnv): boolean {
  return env.CI !== undefined && !['', '0', 'false'].includes(env.CI.toLowerCase());
}
