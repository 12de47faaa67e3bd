/** UTC day and clock-hour windows of the user and global scopes, with the time left in each. */
export interface BudgetWindows {
  day: string;
  hour: string;
  msToDayEnd: number;
  msToHourEnd: number;
}

export function budgetWindows(nowMs: number): BudgetWindows {
  const now = new Date(nowMs);
  const iso = now.toISOString();
  const dayEnd = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
  const hourEnd = Math.floor(nowMs / 3_600_000) * 3_600_000 + 3_600_000;
  return {
    day: iso.slice(0, 10),
    hour: iso.slice(0, 13),
    msToDayEnd: dayEnd - nowMs,
    msToHourEnd: hourEnd - nowMs,
  };
}
