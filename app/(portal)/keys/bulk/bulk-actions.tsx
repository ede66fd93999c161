"use client";

import { useState } from "react";
import dynamic from "next/dynamic";
import { CalendarClockIcon, RotateCwIcon, SlidersHorizontalIcon, Trash2Icon } from "lucide-react";

import { readProblem } from "@/lib/http/problem-text";
import {
  MATCHING_PAGE_SIZE,
  matchingPages,
  selectionTarget,
  type SelectedKey,
} from "@/lib/requests/bulk-drafts";
import type { RequestKind } from "@/lib/requests/kind-names";
import type { ApprovalPolicy } from "@/lib/requests/policy";
import { Button } from "@/components/ui/button";
import { ActionDialog } from "@/components/requests/action-dialog";

import { useKeySelection } from "./key-selection";

// The forms, and the request schemas (zod) they check their fields with, load when an action is
// chosen: in the page's first-load JavaScript they were a quarter of it.
const BulkRotationPolicyForm = dynamic(() =>
  import("./bulk-forms").then((forms) => forms.BulkRotationPolicyForm),
);
const BulkPropertiesForm = dynamic(() =>
  import("./bulk-forms").then((forms) => forms.BulkPropertiesForm),
);
const BulkRotateForm = dynamic(() => import("./bulk-forms").then((forms) => forms.BulkRotateForm));
const BulkDeleteForm = dynamic(() => import("./bulk-forms").then((forms) => forms.BulkDeleteForm));

/** What "select every matching key" needs: the filter's count and query, or why it is not offered. */
export interface MatchingKeys {
  total: number;
  /** The filter as a query string ("?hsm=…&q=…"), without paging. */
  query: string;
  /** Null when every match can be selected at once. */
  refusal: string | null;
}

const approvalsIn = (n: number) => (n === 1 ? "one approval" : `${n} approvals`);

/** Reads every key the filter matches through the keys API, a page of 100 at a time. */
async function readMatchingKeys(matching: MatchingKeys): Promise<SelectedKey[]> {
  const keys: SelectedKey[] = [];
  for (const page of matchingPages(matching.total)) {
    const params = new URLSearchParams(matching.query);
    params.set("pageSize", String(MATCHING_PAGE_SIZE));
    params.set("page", String(page));
    const response = await fetch(`/api/keys?${params}`);
    if (!response.ok) throw new Error((await readProblem(response)).text);
    const body = (await response.json()) as { items: SelectedKey[] };
    keys.push(...body.items.map(({ hsm, name, policyState }) => ({ hsm, name, policyState })));
  }
  return keys;
}

/**
 * The bar over the keys table once keys are ticked: how many, in which HSM, every matching key
 * at once, and the changes one request can make to all of them. Each ends in "Request filed".
 */
export function BulkActions({
  matching,
  policies,
  now,
}: {
  matching: MatchingKeys;
  policies: Record<RequestKind, ApprovalPolicy>;
  now: number;
}) {
  const { selected, set, clear } = useKeySelection();
  const [reading, setReading] = useState(false);
  const [readError, setReadError] = useState<string | null>(null);
  if (selected.size === 0) return null;

  const keys = [...selected.values()];
  const target = selectionTarget(keys);
  const count = keys.length === 1 ? "1 key" : `${keys.length} keys`;
  const needs = (kind: RequestKind) => `Needs ${approvalsIn(policies[kind].approvals)}.`;

  async function selectMatching() {
    setReading(true);
    setReadError(null);
    try {
      set(await readMatchingKeys(matching), true);
    } catch (error) {
      setReadError(
        `The matching keys could not be read (${error instanceof Error ? error.message : "no answer"}); the selection is unchanged.`,
      );
    } finally {
      setReading(false);
    }
  }

  const allMatchingSelected = keys.length >= matching.total;
  return (
    <section
      aria-label="Change the selected keys"
      className="mb-3 flex flex-col gap-2 rounded-lg border bg-card p-3"
    >
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm">
        <p aria-live="polite" className="font-medium">
          {count} selected{target.hsm ? ` in ${target.hsm}` : ""}
        </p>
        {!allMatchingSelected && matching.refusal === null ? (
          <Button
            variant="link"
            size="sm"
            className="h-auto p-0"
            disabled={reading}
            onClick={() => void selectMatching()}
          >
            {reading ? "Selecting…" : `Select all ${matching.total} matching keys`}
          </Button>
        ) : null}
        {!allMatchingSelected && matching.refusal !== null ? (
          <span className="text-muted-foreground">{matching.refusal}</span>
        ) : null}
        <Button variant="ghost" size="sm" onClick={clear}>
          Clear selection
        </Button>
      </div>
      {readError ? (
        <p role="alert" className="text-sm text-destructive">
          {readError}
        </p>
      ) : null}
      {target.hsm === null ? (
        <p className="text-sm text-warning">{target.problem}</p>
      ) : (
        <div className="flex flex-wrap gap-2">
          <ActionDialog
            label="Set rotation policy"
            icon={<CalendarClockIcon aria-hidden />}
            title={`Rotation policy for ${count}`}
            description={`One request sets the same policy on each key in ${target.hsm}. ${needs("key.rotation-policy")}`}
          >
            <BulkRotationPolicyForm hsm={target.hsm} keys={keys} now={now} />
          </ActionDialog>
          <ActionDialog
            label="Enable, disable or expire"
            icon={<SlidersHorizontalIcon aria-hidden />}
            title={`Properties of ${count}`}
            description={`Times are UTC. ${needs("key.update")}`}
          >
            <BulkPropertiesForm hsm={target.hsm} keys={keys} now={now} />
          </ActionDialog>
          <ActionDialog
            label="Rotate now"
            icon={<RotateCwIcon aria-hidden />}
            title={`Rotate ${count} now`}
            description={`Each key gets a new current version; old versions stay usable for decryption and verification. ${needs("key.rotate")}`}
          >
            <BulkRotateForm hsm={target.hsm} keys={keys} />
          </ActionDialog>
          <ActionDialog
            label="Delete"
            icon={<Trash2Icon aria-hidden />}
            title={`Delete ${count}`}
            description={`Soft-deletes each key: it stops working at once and can be recovered until its retention ends. ${needs("key.delete")}`}
            variant="destructive"
          >
            <BulkDeleteForm hsm={target.hsm} keys={keys} />
          </ActionDialog>
        </div>
      )}
    </section>
  );
}
