/**
 * A deep copy of plain data (arrays and plain objects; other values are kept as they are). Unlike
 * `structuredClone`, the copies are made in the caller's realm, so they keep passing plain-object checks in
 * sandboxes such as Jest's.
 */
export function copyPlainData<T>(value: T): T {
  if (Array.isArray(value)) return value.map(copyPlainData) as T;
  if (typeof value !== 'object' || value === null) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    // An own "__proto__" key (JSON.parse makes those) must stay a key, not become the copy's prototype.
    Object.defineProperty(copy, key, { value: copyPlainData(item), enumerable: true, writable: true, configurable: true });
  }
  return copy as T;
}
