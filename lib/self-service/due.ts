/*
 * What is due on an application team's keys: expiries and rotations within a window, soonest
 * first, and what has already passed. Pure: the keys and the clock are passed in.
 */

export interface DueKey {
  hsm: string;
  name: string;
  expiresAt: number | null;
  nextRotationAt: number | null;
}

export interface DueItem {
  hsm: string;
  name: string;
  what: "expired" | "expires" | "rotation";
  at: number;
}

export const DUE_WINDOW_DAYS = 30;

export function dueItems(keys: readonly DueKey[], now: number, days = DUE_WINDOW_DAYS): DueItem[] {
  const until = now + days * 86_400_000;
  const items: DueItem[] = [];
  for (const key of keys) {
    if (key.expiresAt !== null && key.expiresAt <= until)
      items.push({
        hsm: key.hsm,
        name: key.name,
        what: key.expiresAt <= now ? "expired" : "expires",
        at: key.expiresAt,
      });
    if (key.nextRotationAt !== null && key.nextRotationAt > now && key.nextRotationAt <= until)
      items.push({ hsm: key.hsm, name: key.name, what: "rotation", at: key.nextRotationAt });
  }
  return items.sort((a, b) => a.at - b.at || a.name.localeCompare(b.name, "en"));
}
