import { invalidParam, resourceMissing } from './stripe-errors';

export interface ListParams {
  limit?: unknown;
  starting_after?: unknown;
  ending_before?: unknown;
}

export function parseLimit(raw: unknown): number {
  if (raw === undefined) return 10;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100)
    throw invalidParam('limit', 'This value must be greater than or equal to 1 and less than or equal to 100.');
  return limit;
}

/** Stripe's cursor pagination over items already ordered newest first. */
export function paginate<T extends { id: string }>(
  items: T[],
  params: ListParams,
  what: string,
): { data: T[]; has_more: boolean } {
  const limit = parseLimit(params.limit);
  const indexOf = (param: string, id: unknown) => {
    const index = items.findIndex((item) => item.id === id);
    if (index < 0) throw resourceMissing(what, String(id), param);
    return index;
  };
  if (params.starting_after !== undefined) {
    const from = indexOf('starting_after', params.starting_after) + 1;
    return { data: items.slice(from, from + limit), has_more: from + limit < items.length };
  }
  if (params.ending_before !== undefined) {
    const to = indexOf('ending_before', params.ending_before);
    const from = Math.max(0, to - limit);
    return { data: items.slice(from, to), has_more: from > 0 };
  }
  return { data: items.slice(0, limit), has_more: items.length > limit };
}
