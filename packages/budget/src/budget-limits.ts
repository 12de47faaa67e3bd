import { readFileSync } from 'node:fs';
import { ConfigError, usdToMicros } from '@agentops/core';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

const BudgetsFile = z
  .object({
    session: z
      .object({
        tokens: z.number().int().positive(),
        warning_ratio: z.number().gt(0).lt(1),
        usd: z.number().positive(),
      })
      .strict(),
    user_daily_usd: z.number().positive(),
    global_hourly_usd: z.number().positive(),
  })
  .strict();

export interface BudgetLimits {
  sessionTokens: number;
  /** Share of `sessionTokens` past which older turns are summarised. */
  warningRatio: number;
  sessionMicros: number;
  userDailyMicros: number;
  globalHourlyMicros: number;
}

const positiveNumber = (name: string, value: string | undefined): number | undefined => {
  if (value === undefined || value.trim() === '') return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) throw new ConfigError(`${name}: must be a positive number`);
  return parsed;
};

/**
 * The limits of `contracts/budgets.yaml`, each overridable by its environment variable. Read by
 * the router (reservations), the budget service (breakers) and the API (what a session shows).
 */
export function loadBudgetLimits(contractsDir: URL, env: NodeJS.ProcessEnv = process.env): BudgetLimits {
  const path = new URL('budgets.yaml', contractsDir);
  let file: z.infer<typeof BudgetsFile>;
  try {
    file = BudgetsFile.parse(parseYaml(readFileSync(path, 'utf8')));
  } catch (error) {
    throw new ConfigError(
      `contracts/budgets.yaml: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const sessionTokens =
    positiveNumber('BUDGET_SESSION_TOKENS', env.BUDGET_SESSION_TOKENS) ?? file.session.tokens;
  return {
    sessionTokens: Math.floor(sessionTokens),
    warningRatio: file.session.warning_ratio,
    sessionMicros: usdToMicros(
      positiveNumber('BUDGET_SESSION_USD', env.BUDGET_SESSION_USD) ?? file.session.usd,
    ),
    userDailyMicros: usdToMicros(
      positiveNumber('BUDGET_USER_DAILY_USD', env.BUDGET_USER_DAILY_USD) ?? file.user_daily_usd,
    ),
    globalHourlyMicros: usdToMicros(
      positiveNumber('BUDGET_GLOBAL_HOURLY_USD', env.BUDGET_GLOBAL_HOURLY_USD) ?? file.global_hourly_usd,
    ),
  };
}
