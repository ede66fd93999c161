import type { KeyHealthRow } from "@/lib/calendar/load";
import type { HealthKind } from "@/lib/rotation/schedule";
import { KeyNameLink } from "@/components/hsm/key-href";

const LABELS: Record<HealthKind, string> = {
  expired: "Expired",
  "rotation-overdue": "Rotation overdue",
  "expires-before-rotation": "Expires before its next rotation",
  "invalid-policy": "Policy breaks Managed HSM's rules",
  "no-policy": "No rotation policy",
  "no-expiry": "No expiry",
};
const ORDER = Object.keys(LABELS) as HealthKind[];
/** Kinds the keys page can list in full. */
const KEYS_FILTER: Partial<Record<HealthKind, string>> = {
  expired: "expiry=expired",
  "no-policy": "policy=none",
  "no-expiry": "expiry=none",
};
const SHOWN = 8;

/** The rotation and expiry findings per kind, each key linked; the worst kinds first. */
export function HealthPanel({ rows }: { rows: readonly KeyHealthRow[] }) {
  return (
    <div className="flex flex-col gap-4 text-sm">
      {ORDER.map((kind) => {
        const ofKind = rows.filter((row) => row.finding.kind === kind);
        if (ofKind.length === 0) return null;
        return (
          <section key={kind} aria-labelledby={`health-${kind}`}>
            <h3 id={`health-${kind}`} className="mb-1 font-medium">
              {LABELS[kind]} ({ofKind.length})
            </h3>
            <ul className="flex flex-col gap-0.5">
              {ofKind.slice(0, SHOWN).map((row) => (
                <li key={`${row.hsm}/${row.name}`} title={row.finding.detail} className="truncate">
                  <KeyNameLink hsm={row.hsm} name={row.name} />{" "}
                  <span className="text-xs text-muted-foreground">{row.hsm}</span>
                </li>
              ))}
            </ul>
            {ofKind.length > SHOWN ? (
              <p className="text-xs text-muted-foreground">
                and {ofKind.length - SHOWN} more
                {KEYS_FILTER[kind] ? (
                  <>
                    {" "}
                    —{" "}
                    <a href={`/keys?${KEYS_FILTER[kind]}`} className="underline underline-offset-4">
                      list them
                    </a>
                  </>
                ) : null}
              </p>
            ) : null}
          </section>
        );
      })}
      {rows.length === 0 ? (
        <p className="text-muted-foreground">No rotation or expiry findings.</p>
      ) : null}
    </div>
  );
}
