"use client";

import { useState } from "react";
import { PencilIcon, PlusIcon } from "lucide-react";

import { describeAction, effectiveActions } from "@/lib/access/actions";
import { count } from "@/lib/format/count";
import { fieldByMember } from "@/lib/requests/field-errors";
import {
  dataActionsOf,
  diffRole,
  draftFromRole,
  keptActions,
  roleItem,
  type CurrentRole,
  type RoleDraft,
  type RoleField,
} from "@/lib/requests/role-drafts";
import { Field, FieldDescription, FieldError, FieldLabel } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import { ActionDialog } from "@/components/requests/action-dialog";
import { RequestForm } from "@/components/requests/request-form";

import { ActionChecklist } from "./action-checklist";
import { RolePreview } from "./role-preview";

/** The server's messages, by the item's member; a refusal of the whole role is the form's. */
const itemFieldOf = fieldByMember<RoleField>({
  roleName: "roleName",
  description: "description",
  dataActions: "dataActions",
  notDataActions: "dataActions",
});

interface EditorProps {
  hsm: string;
  /** Null: a new custom role. */
  role: CurrentRole | null;
  approvals: number;
}

/** "New custom role" or a custom role's "Edit": files a role-definition.upsert request. */
export function RoleEditorDialog(props: EditorProps) {
  const { hsm, role, approvals } = props;
  return (
    <ActionDialog
      label={role ? "Edit" : "New custom role"}
      icon={role ? <PencilIcon aria-hidden /> : <PlusIcon aria-hidden />}
      title={role ? `Edit ${role.roleName}` : `New custom role in ${hsm}`}
      description={`Custom roles are defined for the whole HSM and assigned at /, /keys or one key. Needs ${count(approvals, "approval")}.`}
      variant={role ? "outline" : "default"}
      wide
    >
      <RoleEditorForm {...props} />
    </ActionDialog>
  );
}

function RoleEditorForm({ hsm, role }: EditorProps) {
  const [draft, setDraft] = useState<RoleDraft>(() => draftFromRole(role));
  const set = (change: Partial<RoleDraft>) => setDraft((d) => ({ ...d, ...change }));
  const kept = keptActions(role?.dataActions ?? []);
  const notDataActions = role?.notDataActions ?? [];
  const dataActions = dataActionsOf(draft, role);
  const diff = role ? diffRole(role, { ...draft, dataActions }) : null;

  return (
    <RequestForm<RoleField>
      id="role-editor"
      kind="role-definition.upsert"
      hsm={hsm}
      build={() => roleItem(role, draft)}
      itemFieldOf={itemFieldOf}
      submitLabel="File the request"
    >
      {(errors) => (
        <>
          <Field>
            <FieldLabel htmlFor="role-editor-name">Role name</FieldLabel>
            <Input
              id="role-editor-name"
              value={draft.roleName}
              maxLength={200}
              autoComplete="off"
              aria-invalid={errors.roleName ? true : undefined}
              aria-describedby="role-editor-name-error"
              onChange={(event) => set({ roleName: event.target.value })}
            />
            <FieldError id="role-editor-name-error">{errors.roleName}</FieldError>
          </Field>
          <Field>
            <FieldLabel htmlFor="role-editor-description">Description</FieldLabel>
            <Textarea
              id="role-editor-description"
              value={draft.description}
              maxLength={1000}
              aria-invalid={errors.description ? true : undefined}
              aria-describedby="role-editor-description-hint role-editor-description-error"
              onChange={(event) => set({ description: event.target.value })}
            />
            <FieldDescription id="role-editor-description-hint">
              {role && role.description === null
                ? `Keyward has not read this role's description yet (it does at the next sync of ${hsm}): what you give here replaces it.`
                : "Who the role is for and why; optional."}
            </FieldDescription>
            <FieldError id="role-editor-description-error">{errors.description}</FieldError>
          </Field>
          <ActionChecklist
            id="role-editor-actions"
            selected={draft.selected}
            granted={effectiveActions(kept, [])}
            excluded={effectiveActions(notDataActions, [])}
            error={errors.dataActions}
            onChange={(selected) => set({ selected })}
          />
          {kept.length > 0 || notDataActions.length > 0 ? (
            <KeptActions kept={kept} notDataActions={notDataActions} />
          ) : null}
          <RolePreview dataActions={dataActions} notDataActions={notDataActions} diff={diff} />
        </>
      )}
    </RequestForm>
  );
}

/** What the checklist cannot show is filed as it is, never dropped. */
function KeptActions({ kept, notDataActions }: { kept: string[]; notDataActions: string[] }) {
  const list = (actions: string[]) => (
    <ul className="list-disc pl-5">
      {actions.map((action) => (
        <li key={action}>
          {describeAction(action)}{" "}
          <span className="font-mono text-xs [overflow-wrap:anywhere] text-muted-foreground">
            {action}
          </span>
        </li>
      ))}
    </ul>
  );
  return (
    <section aria-labelledby="role-editor-kept" className="flex flex-col gap-1 text-sm">
      <h3 id="role-editor-kept" className="font-medium">
        Kept as they are
      </h3>
      {kept.length > 0 ? (
        <>
          <p className="text-xs text-muted-foreground">
            Data actions the checklist cannot show (wildcards, actions Keyward has no words for):
          </p>
          {list(kept)}
        </>
      ) : null}
      {notDataActions.length > 0 ? (
        <>
          <p className="text-xs text-muted-foreground">
            Excluded by the role (not-data actions), whatever is ticked above:
          </p>
          {list(notDataActions)}
        </>
      ) : null}
    </section>
  );
}
