"use client";

import { RotateCwIcon, Trash2Icon, Undo2Icon } from "lucide-react";

import type { RequestKind } from "@/lib/requests/kind-names";

import { ActionDialog } from "./action-dialog";
import { RequestForm } from "./request-form";

const ICONS = {
  rotate: <RotateCwIcon aria-hidden />,
  delete: <Trash2Icon aria-hidden />,
  recover: <Undo2Icon aria-hidden />,
} as const;

/**
 * A change whose item is the key alone (rotate now, delete, recover, purge): a justification,
 * and for destructive ones the key's name typed to confirm.
 */
export function KeyOnlyAction({
  kind,
  hsm,
  keyName,
  label,
  icon,
  title,
  description,
  destructive = false,
}: {
  kind: Extract<RequestKind, "key.rotate" | "key.delete" | "key.recover" | "key.purge">;
  hsm: string;
  keyName: string;
  label: string;
  icon?: keyof typeof ICONS;
  title: string;
  description: string;
  destructive?: boolean;
}) {
  return (
    <ActionDialog
      label={label}
      icon={icon ? ICONS[icon] : undefined}
      title={title}
      description={description}
      variant={destructive ? "destructive" : "outline"}
    >
      <RequestForm<never>
        id={kind.replace(".", "-")}
        kind={kind}
        hsm={hsm}
        build={() => ({ item: { key: keyName } })}
        itemFieldOf={() => null}
        confirmName={destructive ? keyName : undefined}
        destructive={destructive}
        submitLabel="File the request"
      />
    </ActionDialog>
  );
}
