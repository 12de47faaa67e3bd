/**
 * Sorts a tool's collection by the contract's `order_by` (`-score,doc_id`: score descending, then
 * doc_id), so the model sees the same order whichever replica answered (invariant 8). The
 * collection is the data itself when it is an array, else its first array-valued field.
 */
export function orderCollection(data: unknown, orderBy: string | undefined): unknown {
  if (!orderBy) return data;
  const keys = orderBy.split(',').map((raw) => {
    const key = raw.trim();
    return key.startsWith('-') ? { field: key.slice(1), direction: -1 } : { field: key, direction: 1 };
  });
  const sort = (items: unknown[]) => [...items].sort((a, b) => compareBy(a, b, keys));
  if (Array.isArray(data)) return sort(data);
  if (typeof data !== 'object' || data === null) return data;
  const entries = Object.entries(data as Record<string, unknown>);
  const collection = entries.find(([, value]) => Array.isArray(value));
  if (!collection) return data;
  return { ...(data as Record<string, unknown>), [collection[0]]: sort(collection[1] as unknown[]) };
}

function compareBy(a: unknown, b: unknown, keys: { field: string; direction: number }[]): number {
  for (const { field, direction } of keys) {
    const left = fieldOf(a, field);
    const right = fieldOf(b, field);
    if (left === right) continue;
    if (left === undefined) return 1;
    if (right === undefined) return -1;
    return (left < right ? -1 : 1) * direction;
  }
  return 0;
}

function fieldOf(item: unknown, field: string): string | number | undefined {
  if (typeof item !== 'object' || item === null) return undefined;
  const value = (item as Record<string, unknown>)[field];
  return typeof value === 'string' || typeof value === 'number' ? value : undefined;
}
