/**
 * The feed's window: from the first day of last month (so this month's calendar grid, which can
 * start in last month, is always covered) to 13 months ahead, so a year ahead always is too.
 */
export function feedWindow(now: number): { from: number; to: number } {
  const d = new Date(now);
  return {
    from: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1),
    to: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 13, 1),
  };
}
