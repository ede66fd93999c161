import type { Metadata, Route } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { DownloadIcon } from "lucide-react";

import { requirePermission } from "@/lib/auth/current-session";
import { hasPermission } from "@/lib/auth/permissions";
import { formatRelative } from "@/lib/format/date";
import {
  inventoryContext,
  liveKeyVersions,
  mirroredKey,
  ownerGroupOptions,
  ownerLabels,
} from "@/lib/inventory/service";
import { approvalPolicies } from "@/lib/requests/service";
import { describePolicy, durationInWords } from "@/lib/rotation/policy";
import { keySelfService } from "@/lib/self-service/service";
import { Badge } from "@/components/ui/badge";
import { buttonVariants } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { GroupName } from "@/components/access/group-name";
import { GoneKeyInBackups, KeyInBackups } from "@/components/backups/restore-key-backups";
import { When } from "@/components/data-table/date-text";
import { FreshnessBanners } from "@/components/hsm/freshness-banners";
import { KeyStateBadge } from "@/components/hsm/key-state-badge";
import { keyTypeLabel } from "@/components/hsm/key-type";
import { SyncButton } from "@/components/hsm/sync-button";
import { Fact, FactList } from "@/components/layout/fact-list";
import { PageHeader } from "@/components/layout/page-header";
import { OpenChangesCard } from "@/components/out-of-band/open-changes-card";

import { KeyAccess } from "./key-access";
import { KeyActions } from "./key-actions";
import { RequesterActions } from "./requester-actions";
import { VersionsTable } from "./versions-table";

export async function generateMetadata({
  params,
}: PageProps<"/keys/[hsm]/[name]">): Promise<Metadata> {
  const { name } = await params;
  return { title: decodeURIComponent(name) };
}

export default async function KeyPage({ params }: PageProps<"/keys/[hsm]/[name]">) {
  const session = await requirePermission("inventory.read");
  const { hsm, name } = await params;
  const hsmName = decodeURIComponent(hsm);
  const keyName = decodeURIComponent(name);
  const context = await inventoryContext(session);
  const key = await mirroredKey(context, hsmName, keyName);
  // A purged key is no longer in the inventory: its page is where backups that hold it are.
  if (!key)
    return context.visibility.all ? (
      <GoneKeyInBackups session={session} hsm={hsmName} keyName={keyName} now={context.now} />
    ) : (
      notFound()
    );
  // Only those who may file change requests are shown the changes (and their menus' data).
  const canFile = hasPermission(session.roles, "requests.file");
  const [versions, owners, filing, selfService] = await Promise.all([
    liveKeyVersions(key),
    ownerLabels(key.owner ? [key.owner] : []),
    canFile
      ? Promise.all([approvalPolicies(), ownerGroupOptions(key.tags.owner ? [key.tags.owner] : [])])
      : null,
    keySelfService(session, key.tags),
  ]);
  const owner = key.owner ? owners.get(key.owner) : undefined;
  const canSync = hasPermission(session.roles, "inventory.sync");
  const now = context.now;
  const rotate = key.policy?.lifetimeActions.find((a) => a.action.toLowerCase() === "rotate");
  const publicKeyHref = (format: "pem" | "jwk") =>
    `/api/hsms/${encodeURIComponent(hsmName)}/keys/${encodeURIComponent(key.name)}/public-key?format=${format}` as Route;

  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-muted-foreground">
        <Link href="/keys" className="underline-offset-4 hover:underline">
          Keys
        </Link>{" "}
        / {hsmName}
      </nav>
      <PageHeader title={key.name} description={`${keyTypeLabel(key)} in ${hsmName}`}>
        <div className="flex flex-wrap items-start gap-2">
          {key.family === "RSA" || key.family === "EC" ? (
            key.deletedAt === null ? (
              <>
                <Link
                  href={publicKeyHref("pem")}
                  prefetch={false}
                  download
                  className={buttonVariants({ variant: "outline", size: "sm" })}
                >
                  <DownloadIcon aria-hidden />
                  Public key (PEM)
                </Link>
                <Link
                  href={publicKeyHref("jwk")}
                  prefetch={false}
                  download
                  className={buttonVariants({ variant: "outline", size: "sm" })}
                >
                  <DownloadIcon aria-hidden />
                  Public key (JWK)
                </Link>
              </>
            ) : null
          ) : null}
          {canSync ? <SyncButton hsm={hsmName} keyName={key.name} label="Sync this key" /> : null}
        </div>
      </PageHeader>
      <FreshnessBanners freshness={context.freshness.filter((f) => f.hsm === hsmName)} />
      {selfService ? (
        <RequesterActions hsm={hsmName} keyRecord={key} selfService={selfService} now={now} />
      ) : null}
      {filing ? (
        <KeyActions
          hsm={hsmName}
          keyRecord={key}
          policies={filing[0]}
          owners={filing[1]}
          now={now}
        />
      ) : null}
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle>Attributes</CardTitle>
            <CardDescription>
              The current version, as of the last sync
              {key.detailSyncedAt ? ` (${formatRelative(key.detailSyncedAt, now)})` : ""}.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <FactList>
              <Fact term="State">
                <KeyStateBadge
                  enabled={key.enabled}
                  expiresAt={key.expiresAt}
                  notBefore={key.notBefore}
                  deletedAt={key.deletedAt}
                  now={now}
                />
              </Fact>
              <Fact term="Type">{key.kty ?? "not read yet"}</Fact>
              <Fact term="Size or curve">
                {key.keySize
                  ? `${key.keySize} bits`
                  : (key.curve ?? (key.family === "oct" ? "not reported by Managed HSM" : "—"))}
              </Fact>
              <Fact term="Current version">
                <span className="font-mono text-xs">{key.version || "—"}</span>
              </Fact>
              <Fact term="Created">
                <When value={key.createdAt} now={now} empty="—" withTime relative="inline" />
              </Fact>
              <Fact term="Updated">
                <When value={key.updatedAt} now={now} empty="—" withTime relative="inline" />
              </Fact>
              <Fact term="Valid from">
                <When
                  value={key.notBefore}
                  now={now}
                  empty="Immediately"
                  withTime
                  relative="inline"
                />
              </Fact>
              <Fact term="Expires">
                <When value={key.expiresAt} now={now} empty="Never" withTime relative="inline" />
              </Fact>
              <Fact term="Allowed operations">
                <span className="flex flex-wrap gap-1">
                  {key.keyOps.length > 0
                    ? key.keyOps.map((op) => (
                        <Badge key={op} variant="outline">
                          {op}
                        </Badge>
                      ))
                    : "—"}
                </span>
              </Fact>
              <Fact term="Exportable">{key.exportable ? "Yes (release policy)" : "No"}</Fact>
              <Fact term="Recovery level">{key.recoveryLevel ?? "—"}</Fact>
              {key.deletedAt !== null ? (
                <>
                  <Fact term="Deleted">
                    <When value={key.deletedAt} now={now} empty="—" withTime relative="inline" />
                  </Fact>
                  <Fact
                    term={
                      key.scheduledPurgeAt !== null && key.scheduledPurgeAt <= now
                        ? "Purged"
                        : "Purge scheduled"
                    }
                  >
                    <When
                      value={key.scheduledPurgeAt}
                      now={now}
                      empty="—"
                      withTime
                      relative="inline"
                    />
                  </Fact>
                </>
              ) : null}
            </FactList>
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Rotation</CardTitle>
            <CardDescription>
              {key.policyState === "unknown"
                ? "The rotation policy has not been read yet."
                : describePolicy(key.policy)}
            </CardDescription>
          </CardHeader>
          <CardContent>
            <FactList>
              <Fact term="Next rotation">
                <When
                  value={key.nextRotationAt}
                  now={now}
                  empty="Not scheduled"
                  withTime
                  relative="inline"
                />
              </Fact>
              <Fact term="Current version expires">
                <When value={key.expiresAt} now={now} empty="Never" withTime relative="inline" />
              </Fact>
              <Fact term="Trigger">
                {rotate?.timeAfterCreate
                  ? `${durationInWords(rotate.timeAfterCreate)} after creation (${rotate.timeAfterCreate})`
                  : rotate?.timeBeforeExpiry
                    ? `${durationInWords(rotate.timeBeforeExpiry)} before expiry (${rotate.timeBeforeExpiry})`
                    : "—"}
              </Fact>
              <Fact term="New versions expire after">
                {key.policy?.expiresIn
                  ? `${durationInWords(key.policy.expiresIn)} (${key.policy.expiresIn})`
                  : "—"}
              </Fact>
            </FactList>
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Tags</CardTitle>
          </CardHeader>
          <CardContent>
            {Object.keys(key.tags).length === 0 ? (
              <p className="text-sm text-muted-foreground">No tags.</p>
            ) : (
              <FactList>
                {Object.entries(key.tags).map(([tag, value]) => (
                  <Fact key={tag} term={tag}>
                    {tag === "owner" && owner ? (
                      <GroupName label={owner} />
                    ) : (
                      <span className="font-mono text-xs">{value}</span>
                    )}
                  </Fact>
                ))}
              </FactList>
            )}
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Versions</CardTitle>
            <CardDescription>
              Read live from the HSM
              {key.versionCount !== null ? `; ${key.versionCount} as of the last sync` : ""}.
            </CardDescription>
          </CardHeader>
          <CardContent>
            {"error" in versions ? (
              <p role="status" className="text-sm text-muted-foreground">
                {versions.error}
              </p>
            ) : (
              <VersionsTable versions={versions.versions} current={key.version} now={now} />
            )}
          </CardContent>
        </Card>
        <KeyAccess
          hsm={hsmName}
          keyName={key.name}
          showFindings={hasPermission(session.roles, "access.read")}
          policies={filing ? filing[0] : null}
        />
        <OpenChangesCard roles={session.roles} now={now} hsm={hsmName} keyName={key.name} />
        {hasPermission(session.roles, "backups.read") ? (
          <KeyInBackups hsm={hsmName} keyName={key.name} now={now} />
        ) : null}
      </div>
    </>
  );
}
