import type { InventoryKeyDetail } from "@/lib/inventory/keys";
import type { KeySelfService } from "@/lib/self-service/service";
import { approvalsInWords } from "@/lib/templates/describe";
import { latestExpiry } from "@/lib/templates/template";
import { KeyOnlyAction } from "@/components/requests/key-only-action";

import { ExtendExpiry } from "./extend-expiry";
import { GrantAppAccess } from "./grant-app-access";

/**
 * What an application team may ask for its own key (rendered for requesters): access for an
 * application, a rotation, and — for a key from a template — a later expiry within its limits.
 */
export function RequesterActions({
  hsm,
  keyRecord: key,
  selfService,
  now,
}: {
  hsm: string;
  keyRecord: InventoryKeyDetail;
  selfService: KeySelfService;
  now: number;
}) {
  const { template, approvals } = selfService;
  if (key.deletedAt !== null) return null;
  return (
    <section
      aria-labelledby="requester-actions-title"
      className="mb-6 flex flex-col gap-2 rounded-lg border bg-card p-3"
    >
      <div className="flex flex-wrap items-center gap-2">
        <h2
          id="requester-actions-title"
          className="mr-1 basis-full text-sm font-medium sm:basis-auto"
        >
          Ask for
        </h2>
        <GrantAppAccess
          hsm={hsm}
          keyName={key.name}
          roles={selfService.roles}
          approvals={{
            permanent: approvals.permanentGrant,
            timeLimited: approvals.timeLimitedGrant,
          }}
        />
        {key.policy !== null || key.policyState === "unknown" ? (
          <KeyOnlyAction
            kind="key.rotate"
            hsm={hsm}
            keyName={key.name}
            label="Rotate now"
            icon="rotate"
            title={`Rotate ${key.name} now`}
            description={`Makes a new version the current one; the old versions stay usable for decryption and verification. Needs ${approvalsInWords(approvals.rotate)}.`}
          />
        ) : null}
        {template && approvals.extend !== null ? (
          <ExtendExpiry
            hsm={hsm}
            keyName={key.name}
            expiresAt={key.expiresAt}
            latest={latestExpiry(template, now)}
            approvals={approvals.extend}
          />
        ) : null}
      </div>
      <p className="text-xs text-muted-foreground">
        {template
          ? `Made from the key template “${template.title}”.`
          : "Not made from a key template: its expiry and other properties are the key team's to change."}
      </p>
    </section>
  );
}
