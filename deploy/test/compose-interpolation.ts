/**
 * Compose's variable interpolation for the forms the compose file uses: `${VAR}`, `${VAR:-default}`
 * (default when unset or empty) and `${VAR-default}` (default only when unset), over every string
 * of a parsed document.
 */
export function interpolate<T>(value: T, env: Record<string, string>): T {
  if (typeof value === 'string') {
    return value.replace(
      /\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*))?\}/g,
      (_match, name: string, op: string | undefined, fallback: string | undefined) => {
        const set = Object.prototype.hasOwnProperty.call(env, name);
        if (op === ':-') return set && env[name] !== '' ? env[name]! : fallback!;
        if (op === '-') return set ? env[name]! : fallback!;
        return set ? env[name]! : '';
      },
    ) as T;
  }
  if (Array.isArray(value)) return value.map((item) => interpolate(item, env)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, env)])) as T;
  }
  return value;
}
