import type { Metadata } from "next";
import Link from "next/link";
import { PlusIcon } from "lucide-react";

import { requirePermission } from "@/lib/auth/current-session";
import { groupLabelText } from "@/lib/directory/group-labels";
import { DUE_WINDOW_DAYS } from "@/lib/self-service/due";
import { myKeysView } from "@/lib/self-service/service";
import { buttonVariants } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { GrantCountdown } from "@/components/access/grant-countdown";
import { When } from "@/components/data-table/date-text";
import { KeyNameLink } from "@/components/hsm/key-href";
import { KeyStateBadge } from "@/components/hsm/key-state-badge";
import { keyTypeLabel } from "@/components/hsm/key-type";
import { PageHeader } from "@/components/layout/page-header";
import { RequestsTable } from "@/app/(portal)/requests/requests-table";

export const metadata: Metadata = { title: "My keys" };

const DUE_WORDS = { expired: "Expired", expires: "Expires", rotation: "Rotates" } as const;

/** An application team's home: its groups' keys, what is due on them, and its open requests. */
export default async function MyKeysPage() {
  const session = await requirePermission("requests.fileOwn");
  const view = await myKeysView(session);
  const now = view.now;
  const groups = view.groups.map(groupLabelText).join(", ");

  return (
    <>
      <PageHeader
        title="My keys"
        description={
          view.groups.length > 0
            ? `The keys your groups own: ${groups}.`
            : "You are in no group, so no key is yours yet."
        }
      >
        <Link href="/my-keys/new" className={buttonVariants({ size: "sm" })}>
          <PlusIcon aria-hidden />
          New key from a template
        </Link>
      </PageHeader>
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle>Due in the next {DUE_WINDOW_DAYS} days</CardTitle>
            <CardDescription>Expiries and rotations of your keys, soonest first.</CardDescription>
          </CardHeader>
          <CardContent>
            {view.due.length === 0 ? (
              <p className="text-sm text-muted-foreground">Nothing is due.</p>
            ) : (
              <ul className="flex flex-col gap-2 text-sm" aria-label="Due">
                {view.due.map((item) => (
                  <li
                    key={`${item.hsm}/${item.name}/${item.what}`}
                    className="flex flex-wrap gap-x-2"
                  >
                    <span
                      className={
                        item.what === "expired" ? "font-medium text-destructive" : "font-medium"
                      }
                    >
                      {DUE_WORDS[item.what]}
                    </span>
                    <KeyNameLink hsm={item.hsm} name={item.name} />
                    <When value={item.at} now={now} relative="inline" />
                  </li>
                ))}
              </ul>
            )}
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Your open requests</CardTitle>
            <CardDescription>
              Waiting for approval or being carried out.{" "}
              <Link href="/requests?mine=true" className="underline underline-offset-4">
                All your requests
              </Link>
            </CardDescription>
          </CardHeader>
          <CardContent>
            {view.openRequests.length === 0 ? (
              <p className="text-sm text-muted-foreground">No open requests.</p>
            ) : (
              <RequestsTable requests={view.openRequests} now={now} />
            )}
          </CardContent>
        </Card>
        <Card className="lg:col-span-2">
          <CardHeader>
            <CardTitle>Time-limited access</CardTitle>
            <CardDescription>
              Grants on your keys that are removed automatically when they end.
            </CardDescription>
          </CardHeader>
          <CardContent>
            {view.grants.length === 0 ? (
              <p className="text-sm text-muted-foreground">No time-limited grant is active.</p>
            ) : (
              <Table scrollLabel="Time-limited access">
                <TableHeader>
                  <TableRow>
                    <TableHead>Application</TableHead>
                    <TableHead>Role</TableHead>
                    <TableHead>Key</TableHead>
                    <TableHead>Ends</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {view.grants.map((grant) => (
                    <TableRow key={`${grant.hsm}/${grant.assignment}`}>
                      <TableCell className="min-w-40 whitespace-normal">
                        {grant.principalName ?? (
                          <span className="font-mono text-xs">{grant.principalId}</span>
                        )}
                      </TableCell>
                      <TableCell className="min-w-40 whitespace-normal">
                        {grant.roleName ?? grant.roleDefinitionId}
                      </TableCell>
                      <TableCell className="min-w-40 whitespace-normal">
                        {grant.key ? <KeyNameLink hsm={grant.hsm} name={grant.key} /> : grant.scope}
                      </TableCell>
                      <TableCell>
                        <GrantCountdown endsAt={grant.expiresAt} now={now} />
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            )}
          </CardContent>
        </Card>
        <Card className="lg:col-span-2">
          <CardHeader>
            <CardTitle>Keys</CardTitle>
            <CardDescription>
              {view.total === 0
                ? "Your groups own no key yet: make one from a template."
                : `${view.total} key${view.total === 1 ? "" : "s"}, soonest expiry first${view.total > view.keys.length ? `; the first ${view.keys.length} are shown` : ""}.`}
            </CardDescription>
          </CardHeader>
          {view.keys.length > 0 ? (
            <CardContent>
              <Table scrollLabel="Your keys">
                <TableHeader>
                  <TableRow>
                    <TableHead>Key</TableHead>
                    <TableHead>HSM</TableHead>
                    <TableHead>Type</TableHead>
                    <TableHead>State</TableHead>
                    <TableHead>Template</TableHead>
                    <TableHead>Expires</TableHead>
                    <TableHead>Next rotation</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {view.keys.map((key) => (
                    <TableRow key={`${key.hsm}/${key.name}`}>
                      <TableCell className="min-w-40 font-medium break-words whitespace-normal">
                        <KeyNameLink hsm={key.hsm} name={key.name} />
                      </TableCell>
                      <TableCell className="text-muted-foreground">{key.hsm}</TableCell>
                      <TableCell>{keyTypeLabel(key)}</TableCell>
                      <TableCell>
                        <KeyStateBadge
                          enabled={key.enabled}
                          expiresAt={key.expiresAt}
                          notBefore={key.notBefore}
                          deletedAt={key.deletedAt}
                          now={now}
                        />
                      </TableCell>
                      <TableCell>{key.tags.template ?? "—"}</TableCell>
                      <TableCell>
                        <When value={key.expiresAt} now={now} empty="Never" />
                      </TableCell>
                      <TableCell>
                        <When value={key.nextRotationAt} now={now} empty="Not scheduled" />
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </CardContent>
          ) : null}
        </Card>
      </div>
    </>
  );
}
