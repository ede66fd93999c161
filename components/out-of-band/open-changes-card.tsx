import { hasPermission } from "@/lib/auth/permissions";
import { listOutOfBand, openCountsByHsm } from "@/lib/out-of-band/service";
import { cn } from "@/lib/utils";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";

import { OutOfBandTable } from "./out-of-band-table";

/*
 * The open out-of-band changes, for the overview (every HSM) and a key's page (that key and the
 * role assignments on it). Shown only to those who may read them; nothing when none are open.
 */

/** A page shows the newest this many; the API lists them all. */
const SHOWN = 50;

export async function OpenChangesCard({
  roles,
  now,
  hsm,
  keyName,
  className,
}: {
  className?: string;
  roles: readonly string[];
  now: number;
  hsm?: string;
  keyName?: string;
}) {
  if (!hasPermission(roles, "outOfBand.read")) return null;
  const changes = await listOutOfBand({ hsm, key: keyName, state: "open", limit: SHOWN });
  if (changes.length === 0) return null;
  // Counted per HSM only: a key's changes past the first page are said as "50+".
  const total =
    changes.length < SHOWN || keyName
      ? changes.length
      : [...(await openCountsByHsm()).entries()]
          .filter(([name]) => !hsm || name === hsm)
          .reduce((sum, [, count]) => sum + count, 0);
  const counted = changes.length === SHOWN && keyName ? `${SHOWN}+` : total.toLocaleString("en");
  return (
    <Card
      className={cn("border-destructive/40", className)}
      role="region"
      aria-labelledby="out-of-band-title"
    >
      <CardHeader>
        <CardTitle id="out-of-band-title">
          Out-of-band changes ({counted} open
          {total > changes.length ? `, the newest ${changes.length} shown` : ""})
        </CardTitle>
        <CardDescription>
          {keyName
            ? "Changes to this key or its role assignments that were made in the HSM, not through the portal."
            : "Changes a sync found in the HSMs that were not made through the portal. Each stays open until a key administrator explains it."}
        </CardDescription>
      </CardHeader>
      <CardContent>
        <OutOfBandTable
          changes={changes}
          now={now}
          canExplain={hasPermission(roles, "outOfBand.explain")}
          showHsm={!hsm}
        />
      </CardContent>
    </Card>
  );
}
