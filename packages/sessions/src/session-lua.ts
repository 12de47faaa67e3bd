import { readLuaScript } from '@agentops/core';

/**
 * The Lua helpers that append to a session's history (`appendMessages`) and event stream
 * (`emitEvents`), for scripts of other packages that must change a session in the same atomic step
 * as keys of their own (the escalation desk: a reply is on the record and in the user's history,
 * or in neither). Prepend it to such a script's source; the stream stays written one way only.
 */
export const SESSION_LUA_HELPERS: string = readLuaScript(
  new URL('./commands/', import.meta.url),
  'lib-events',
);
