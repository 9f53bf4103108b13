import type { ProfileValues } from '@customer-sync/contracts';

/**
 * Profile values as column values to write. The jsonb ones go as JSON text: node-postgres would
 * send a JavaScript array (preferred_locales) as a PostgreSQL array literal, which jsonb refuses.
 * Fields absent from `values` are absent from the result, so they keep their column value.
 */
export function profileColumns(values: Partial<ProfileValues>): Record<string, string | null> {
  const columns: Record<string, string | null> = {};
  for (const key of ['address', 'shipping', 'preferred_locales'] as const) {
    const value = values[key];
    if (value !== undefined) columns[key] = value === null ? null : JSON.stringify(value);
  }
  if (values.tax_exempt !== undefined) columns.tax_exempt = values.tax_exempt;
  return columns;
}

/** A row's profile values. */
export const profileOfRow = (row: ProfileValues): ProfileValues => ({
  address: row.address,
  shipping: row.shipping,
  preferred_locales: row.preferred_locales,
  tax_exempt: row.tax_exempt,
});
