import { rotationCompliance, type RotationCompliance } from "@/lib/evidence/key-files";
import type { RotationTerms } from "@/lib/rotation/policy";

/*
 * Rotation compliance for the assurance page: each HSM's keys now, and the share of keys on time
 * at each of the last months' ends. Pure: the keys and the clock are passed in.
 *
 * The inventory mirror keeps, per key, its current version's creation time, how many versions
 * it has and its rotation policy as of the last sync; not the older versions' times, nor past
 * policies. So a past month's end is judged exactly for a key whose current version already
 * existed then (it was the current version then too), with today's policy; a key rotated since
 * had a version then that the mirror does not know, and is counted as unknown, not guessed.
 */

export interface ComplianceKey {
  hsm: string;
  policy: RotationTerms | null;
  /** When the current version was created (epoch ms). */
  createdAt: number;
  expiresAt: number | null;
  /** Null until the key's details were read once. */
  versionCount: number | null;
  /** When the key was soft-deleted; null while it is live. */
  deletedAt: number | null;
}

export type HsmRotation = { hsm: string; total: number } & Record<RotationCompliance, number>;

const liveAt = (key: ComplianceKey, at: number) => key.deletedAt === null || key.deletedAt > at;

/** Each HSM's live keys by compliance now, in the order of `hsms`; HSMs without keys count zero. */
export function rotationByHsm(
  keys: readonly ComplianceKey[],
  hsms: readonly string[],
  now: number,
): HsmRotation[] {
  const rows = new Map<string, HsmRotation>(
    hsms.map((hsm) => [
      hsm,
      { hsm, total: 0, "on-time": 0, late: 0, "never-rotated": 0, "no-policy": 0 },
    ]),
  );
  for (const key of keys) {
    const row = rows.get(key.hsm);
    if (!row || !liveAt(key, now)) continue;
    row.total += 1;
    row[rotationCompliance(key, now).compliance] += 1;
  }
  return [...rows.values()];
}

export interface MonthCompliance {
  /** YYYY-MM (UTC). */
  month: string;
  /** The instant judged: the month's last millisecond, or now for the current month. */
  at: number;
  /** The current month, judged as of now. */
  toDate: boolean;
  onTime: number;
  /** Past their policy's rotation time (late or never rotated). */
  late: number;
  /** Keys with a policy rotated since, whose version then is not in the mirror. */
  unknown: number;
  /** onTime / (onTime + late); null when no key with a policy could be judged. */
  share: number | null;
}

type Judgement = "on-time" | "late" | "unknown" | "not-counted";

/** One key at one instant, with what the mirror holds (see the comment at the top). */
export function judgeAt(key: ComplianceKey, at: number): Judgement {
  if (!liveAt(key, at)) return "not-counted";
  if (key.createdAt > at)
    // Its only version came later: the key did not exist yet.
    return key.versionCount === 1 ? "not-counted" : "unknown";
  const { compliance } = rotationCompliance(key, at);
  if (compliance === "no-policy") return "not-counted";
  return compliance === "on-time" ? "on-time" : "late";
}

/** The ends of the `months` months up to and including the current one (oldest first, UTC). */
export function monthEnds(now: number, months = 12): { month: string; at: number }[] {
  const today = new Date(now);
  return Array.from({ length: months }, (_, index) => {
    const back = months - 1 - index;
    const start = Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - back, 1);
    const end = Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - back + 1, 1) - 1;
    return { month: new Date(start).toISOString().slice(0, 7), at: Math.min(end, now) };
  });
}

/** The share of keys with a rotation policy on time at each month's end, oldest month first. */
export function monthlyRotationCompliance(
  keys: readonly ComplianceKey[],
  now: number,
  months = 12,
): MonthCompliance[] {
  return monthEnds(now, months).map(({ month, at }) => {
    const counts = { "on-time": 0, late: 0, unknown: 0, "not-counted": 0 };
    for (const key of keys) counts[judgeAt(key, at)] += 1;
    const judged = counts["on-time"] + counts.late;
    return {
      month,
      at,
      toDate: at === now,
      onTime: counts["on-time"],
      late: counts.late,
      unknown: counts.unknown,
      share: judged === 0 ? null : counts["on-time"] / judged,
    };
  });
}
