import { RotateCwIcon } from "lucide-react";

import { formatUtc } from "@/lib/format/date";
import type { InventoryKeyDetail } from "@/lib/inventory/keys";
import type { RequestKind } from "@/lib/requests/kind-names";
import type { ApprovalPolicy } from "@/lib/requests/policy";
import { Button } from "@/components/ui/button";
import { KeyOnlyAction } from "@/components/requests/key-only-action";

import { KeyPropertiesDialog } from "./key-properties-dialog";
import { RotationPolicyDialog } from "./rotation-policy-dialog";

const approvalsIn = (n: number) => (n === 1 ? "one approval" : `${n} approvals`);

/**
 * The changes a filer may request for this key (rendered only for those with `requests.file`).
 * Each opens a form that files a change request; the key changes only once it is approved and
 * executed, so the page keeps showing its current values.
 */
export function KeyActions({
  hsm,
  keyRecord: key,
  policies,
  owners,
  now,
}: {
  hsm: string;
  keyRecord: InventoryKeyDetail;
  policies: Record<RequestKind, ApprovalPolicy>;
  owners: [string, string][];
  now: number;
}) {
  const needs = (kind: RequestKind) => approvalsIn(policies[kind].approvals);
  // "unknown": the policy was not read yet; the filing reads it live and says if it is missing.
  const rotatable = key.policy !== null || key.policyState === "unknown";
  const purgeable = /Purgeable/.test(key.recoveryLevel ?? "");
  const deleted = key.deletedAt !== null;

  return (
    <section
      aria-labelledby="key-actions-title"
      className="mb-6 flex flex-col gap-2 rounded-lg border bg-card p-3"
    >
      <div className="flex flex-wrap items-center gap-2">
        <h2 id="key-actions-title" className="mr-1 basis-full text-sm font-medium sm:basis-auto">
          Request a change
        </h2>
        {deleted ? (
          <>
            <KeyOnlyAction
              kind="key.recover"
              hsm={hsm}
              keyName={key.name}
              label="Recover"
              icon="recover"
              title={`Recover ${key.name}`}
              description={`Restores the deleted key with all its versions. Needs ${needs("key.recover")}.`}
            />
            {purgeable ? (
              <KeyOnlyAction
                kind="key.purge"
                hsm={hsm}
                keyName={key.name}
                label="Purge"
                icon="delete"
                title={`Purge ${key.name}`}
                description={`Destroys the key and every version for good: it cannot be recovered afterwards. Needs ${needs("key.purge")}.`}
                destructive
              />
            ) : null}
          </>
        ) : (
          <>
            {rotatable ? (
              <KeyOnlyAction
                kind="key.rotate"
                hsm={hsm}
                keyName={key.name}
                label="Rotate now"
                icon="rotate"
                title={`Rotate ${key.name} now`}
                description={`Makes a new version the current one; the old versions stay usable for decryption and verification. Needs ${needs("key.rotate")}.`}
              />
            ) : (
              <Button variant="outline" size="sm" disabled aria-describedby="rotate-reason">
                <RotateCwIcon aria-hidden />
                Rotate now
              </Button>
            )}
            <RotationPolicyDialog
              hsm={hsm}
              keyName={key.name}
              policy={key.policy}
              current={{ createdAt: key.createdAt, expiresAt: key.expiresAt }}
              now={now}
            />
            <KeyPropertiesDialog
              hsm={hsm}
              keyName={key.name}
              current={{
                enabled: key.enabled,
                notBefore: key.notBefore,
                expiresAt: key.expiresAt,
                tags: key.tags,
              }}
              owners={owners}
            />
            <KeyOnlyAction
              kind="key.delete"
              hsm={hsm}
              keyName={key.name}
              label="Delete"
              icon="delete"
              title={`Delete ${key.name}`}
              description={`Soft-deletes the key: it stops working at once and can be recovered until its retention ends. Needs ${needs("key.delete")}.`}
              destructive
            />
          </>
        )}
      </div>
      <p className="text-xs text-muted-foreground">
        Each change is filed as a request: the HSM changes only once it is approved and executed.
        {!deleted && !rotatable ? (
          <span id="rotate-reason">
            {" "}
            Rotate now needs a rotation policy (Managed HSM rotates on demand only a key that has
            one): set a rotation policy first.
          </span>
        ) : null}
        {deleted && !purgeable ? (
          <span>
            {" "}
            Purge protection is on in {hsm} (recovery level {key.recoveryLevel ?? "unknown"}): the
            key cannot be purged; it is removed when its retention ends
            {key.scheduledPurgeAt !== null ? `, ${formatUtc(key.scheduledPurgeAt)}` : ""}.
          </span>
        ) : null}
      </p>
    </section>
  );
}
