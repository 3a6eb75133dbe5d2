// The payload schemas are a subpath of their own (`@gamebuddies/protocol/schemas`) so that clients, which need
// only the types, do not bundle the schema library.
export * from './request-schemas';
export * from './payload-bounds';
export * from './payload-issue';
