import { readFileSync } from 'node:fs';
import type { RedisConnection } from './redis.ts';

export type LuaCommand = (
  keys: readonly string[],
  args: readonly (string | number | Buffer)[],
) => Promise<unknown>;

/**
 * Reads a Lua script from a `commands/` folder, prefixed by shared helper files, so each atomic
 * operation stays in one file of its own (as BullMQ keeps its `commands/*.lua`).
 */
export function readLuaScript(commandsDir: URL, name: string, helpers: readonly string[] = []): string {
  const parts = [...helpers, name].map((file) => readFileSync(new URL(`${file}.lua`, commandsDir), 'utf8'));
  return parts.join('\n');
}

/**
 * Registers a script once per connection with `defineCommand` (EVALSHA with a fallback to EVAL)
 * and returns a typed caller.
 */
export function defineLuaCommand(redis: RedisConnection, name: string, source: string): LuaCommand {
  if (typeof Reflect.get(redis, name) !== 'function') redis.defineCommand(name, { lua: source });
  const command = Reflect.get(redis, name) as (...args: (string | number | Buffer)[]) => Promise<unknown>;
  return (keys, args) => command.call(redis, keys.length, ...keys, ...args);
}
