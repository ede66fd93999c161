"use client";

import { Trash2Icon } from "lucide-react";

import { count } from "@/lib/format/count";
import { ActionDialog } from "@/components/requests/action-dialog";
import { RequestForm } from "@/components/requests/request-form";

/** A custom role's "Delete": the role's name typed to confirm; files role-definition.delete. */
export function DeleteRoleDialog({
  hsm,
  role,
  assigned,
  approvals,
}: {
  hsm: string;
  role: { id: string; roleName: string };
  /** Assignments that use the role, as of the last sync. */
  assigned: number;
  approvals: number;
}) {
  const use =
    assigned === 0
      ? "No assignment uses it."
      : `${count(assigned, "assignment uses", "assignments use")} it: Managed HSM refuses to delete a role that is still assigned, so the request fails unless they are removed first.`;
  return (
    <ActionDialog
      label="Delete"
      icon={<Trash2Icon aria-hidden />}
      title={`Delete ${role.roleName}`}
      description={`Deletes the custom role from ${hsm} for good. ${use} Needs ${count(approvals, "approval")}.`}
      variant="destructive"
    >
      <RequestForm<never>
        id="role-delete"
        kind="role-definition.delete"
        hsm={hsm}
        build={() => ({ item: { name: role.id } })}
        itemFieldOf={() => null}
        confirmName={role.roleName}
        destructive
        submitLabel="File the request"
      />
    </ActionDialog>
  );
}
