import { InvalidArgumentError } from '@gamebuddies/core';

/**
 * Where the client keeps its session token between connections, so a reconnect (or a page reload, with
 * {@link browserTokenStore}) restores the same player. The token is a secret: keep it out of logs and URLs.
 */
export interface TokenStore {
  /** The saved token, or null when there is none. */
  load(): string | null;
  /** Replaces the saved token. */
  save(token: string): void;
  /** Forgets the saved token. */
  clear(): void;
}

/** The part of the Web Storage API (`localStorage`, `sessionStorage`) that {@link browserTokenStore} uses. */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** A token store that lives as long as the object: the default, and what Node programs and tests want. */
export function memoryTokenStore(initial: string | null = null): TokenStore {
  let token = initial;
  return {
    load: () => token,
    save: (next) => {
      token = next;
    },
    clear: () => {
      token = null;
    },
  };
}

/**
 * A token store in Web Storage under `key`, so a reloaded page comes back as the same player. Storage that
 * refuses to work (private browsing, a full quota, cookies blocked) is treated as empty: the session then
 * lasts as long as the page, which is better than failing the game.
 * @throws InvalidArgumentError when no storage is given and `globalThis.localStorage` does not exist.
 */
export function browserTokenStore(
  key: string,
  storage: StorageLike | undefined = defaultStorage(),
): TokenStore {
  if (storage === undefined) {
    throw new InvalidArgumentError(
      'browserTokenStore: there is no globalThis.localStorage here; pass a storage',
      {
        key,
      },
    );
  }
  return {
    load: () => {
      try {
        return storage.getItem(key);
      } catch {
        return null;
      }
    },
    save: (token) => {
      try {
        storage.setItem(key, token);
      } catch {
        // Best effort: see above.
      }
    },
    clear: () => {
      try {
        storage.removeItem(key);
      } catch {
        // Best effort: see above.
      }
    },
  };
}

function defaultStorage(): StorageLike | undefined {
  try {
    return (globalThis as { localStorage?: StorageLike }).localStorage;
  } catch {
    // Some browsers throw on the mere access when storage is blocked.
    return undefined;
  }
}
