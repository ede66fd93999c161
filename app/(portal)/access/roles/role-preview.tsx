import { TriangleAlertIcon } from "lucide-react";

import { groupActions } from "@/lib/access/action-groups";
import { describeAction, effectiveActions, summariseActions } from "@/lib/access/actions";
import { count } from "@/lib/format/count";
import type { RoleDiff } from "@/lib/requests/role-drafts";
import { customRoleConcern, customRoleMixed } from "@/lib/sod/rules/roles";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";

/** Actions in words, in the vocabulary's order. */
const words = (actions: readonly string[]) =>
  groupActions(actions)
    .flatMap((group) => group.actions)
    .map(describeAction)
    .join(", ");
const capitalised = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;

/**
 * What the role being edited would allow, live: its actions summed up per group, a warning with
 * the separation-of-duties rule's own test when it mixes managing and using keys, and for an
 * existing role what the edit changes.
 */
export function RolePreview({
  dataActions,
  notDataActions,
  diff,
}: {
  dataActions: readonly string[];
  notDataActions: readonly string[];
  diff: RoleDiff | null;
}) {
  const actions = effectiveActions(dataActions, notDataActions);
  const summary = summariseActions(actions);
  const concern = customRoleConcern(dataActions, notDataActions);

  return (
    <section
      aria-labelledby="role-preview-title"
      className="flex flex-col gap-3 rounded-md border bg-muted/40 p-3 text-sm"
    >
      <h3 id="role-preview-title" className="font-medium">
        What the role would allow
      </h3>
      <div aria-live="polite">
        {actions.size === 0 ? (
          <p className="text-muted-foreground">Nothing yet: tick the data actions it allows.</p>
        ) : (
          <>
            <p>
              {capitalised(summary.join(", "))}: {count(actions.size, "data action")}.
            </p>
            <ul className="mt-1 text-xs text-muted-foreground">
              {groupActions(actions).map((group) => (
                <li key={group.id}>
                  {group.title}: {group.actions.map(describeAction).join(", ")}
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
      {concern ? (
        <Alert variant="warning">
          <TriangleAlertIcon aria-hidden />
          <AlertTitle className="line-clamp-none">
            {concern.everything ? "Grants every data action" : "Mixes key management and use"}
          </AlertTitle>
          <AlertDescription>
            <p>
              {concern.everything
                ? "Whoever holds this role can do everything on the keys it is assigned for: list only the actions its holders need."
                : `Whoever holds this role could both manage keys or access to them (${words(concern.manage)}) and use them (${words(concern.use)}): split it into a management role and a usage role.`}{" "}
              Separation of duties reports such a role as “{customRoleMixed.title}”.
            </p>
          </AlertDescription>
        </Alert>
      ) : null}
      {diff ? <RoleDiffList diff={diff} /> : null}
    </section>
  );
}

function RoleDiffList({ diff }: { diff: RoleDiff }) {
  const lines = [
    ...(diff.roleName ? [["Name", `${diff.roleName.from} → ${diff.roleName.to}`]] : []),
    ...(diff.description
      ? [
          [
            "Description",
            `${diff.description.from === null ? "(not read yet)" : diff.description.from || "(none)"} → ${diff.description.to || "(none)"}`,
          ],
        ]
      : []),
  ];
  const none = lines.length === 0 && diff.added.length === 0 && diff.removed.length === 0;
  return (
    <div>
      <h4 className="font-medium">Changes to the role</h4>
      {none ? (
        <p className="text-muted-foreground">No changes yet.</p>
      ) : (
        <ul className="mt-1 flex flex-col gap-1">
          {lines.map(([label, text]) => (
            <li key={label} className="[overflow-wrap:anywhere]">
              {label}: {text}
            </li>
          ))}
          {diff.added.map((action) => (
            <ChangedAction key={action} action={action} sign="+" verb="Adds" />
          ))}
          {diff.removed.map((action) => (
            <ChangedAction key={action} action={action} sign="−" verb="Removes" />
          ))}
        </ul>
      )}
    </div>
  );
}

function ChangedAction({ action, sign, verb }: { action: string; sign: string; verb: string }) {
  return (
    <li className="flex min-w-0 gap-2">
      <span aria-hidden className={sign === "+" ? "text-success" : "text-destructive"}>
        {sign}
      </span>
      <span className="min-w-0">
        {verb}: {describeAction(action)}{" "}
        <span className="font-mono text-xs [overflow-wrap:anywhere] text-muted-foreground">
          {action}
        </span>
      </span>
    </li>
  );
}
