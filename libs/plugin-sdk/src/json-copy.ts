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

/**
 * Freezes plain data all the way down, so code that is handed it cannot change it (a change throws in strict
 * mode). An object that is already frozen is taken to be frozen all the way down and is not walked again: a
 * room's state is frozen after every step, and only what the step made new is walked.
 */
export function freezePlainData<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  if (Array.isArray(value)) {
    for (const item of value) freezePlainData(item);
  } else {
    for (const key of Object.keys(value)) freezePlainData((value as Record<string, unknown>)[key]);
  }
  return value;
}
