import type { HealthKind } from "@/lib/rotation/schedule";

/*
 * The rotation health panel's sections: the findings grouped by kind, worst first, each list cut
 * to a few keys unless it is the one the viewer asked to see in full. Pure.
 */

/** Every kind's heading, worst first: the panel's order. */
export const HEALTH_LABELS = {
  expired: "Expired",
  "rotation-overdue": "Rotation overdue",
  "expires-before-rotation": "Expires before its next rotation",
  "invalid-policy": "Policy breaks Managed HSM's rules",
  "no-policy": "No rotation policy",
  "no-expiry": "No expiry",
} as const satisfies Record<HealthKind, string>;

/** The kinds in the panel's order, also the values of the calendar's `health` URL parameter. */
export const HEALTH_KINDS = Object.keys(HEALTH_LABELS) as [HealthKind, ...HealthKind[]];

/** Keys shown per kind before the list is cut. */
export const HEALTH_SHOWN = 8;

export interface HealthSection<Row> {
  kind: HealthKind;
  /** The rows to show: all of them when expanded, else the first HEALTH_SHOWN. */
  rows: Row[];
  total: number;
  /** How many rows were left out; 0 when the list is complete. */
  hidden: number;
  /** Shown in full on request, and longer than the cut: it can be cut again. */
  expanded: boolean;
}

/** One pass over the findings, however many: only the rows shown are kept. */
export function healthSections<Row extends { finding: { kind: HealthKind } }>(
  rows: Iterable<Row>,
  expand?: HealthKind,
  shown = HEALTH_SHOWN,
): HealthSection<Row>[] {
  const byKind = new Map<HealthKind, { rows: Row[]; total: number }>();
  for (const row of rows) {
    const { kind } = row.finding;
    let section = byKind.get(kind);
    if (!section) byKind.set(kind, (section = { rows: [], total: 0 }));
    section.total += 1;
    if (kind === expand || section.rows.length < shown) section.rows.push(row);
  }
  return HEALTH_KINDS.flatMap((kind) => {
    const section = byKind.get(kind);
    if (!section) return [];
    return [
      {
        kind,
        rows: section.rows,
        total: section.total,
        hidden: section.total - section.rows.length,
        expanded: kind === expand && section.total > shown,
      },
    ];
  });
}
