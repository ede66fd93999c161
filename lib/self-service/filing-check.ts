import "server-only";

import { AppError } from "@/lib/errors";
import type { AnyItem, RequestKind } from "@/lib/requests/kinds";
import {
  REQUESTER_KINDS_WORDS,
  requesterRefusal,
  requestTemplateApprovals,
  SELF_SERVICE_KINDS,
} from "@/lib/self-service/requester-rules";
import { itemSubjects, type SubjectReads } from "@/lib/self-service/subjects";
import type { KeyTemplate } from "@/lib/templates/template";

/*
 * The self-service step of filing: a requester (who may file only for their groups' keys) is
 * held to the requester rules, and any request that stays inside its key template's limits
 * needs the template's approvals rather than the kind's policy.
 */

export interface SelfServiceFiling {
  kind: RequestKind;
  hsm: string | null;
  items: readonly AnyItem[];
  /** key.create: the template the items were made from. */
  fromTemplate: KeyTemplate | null;
  /** The filer's groups when they may file only for their own keys; absent for the key team. */
  ownGroupsOnly?: ReadonlySet<string> | undefined;
  now: number;
}

export interface SelfServiceTerms {
  /** Approvals from the template, or null: the kind's policy decides. */
  templateApprovals: number | null;
  /** The template behind the items (the one they are made from, or their keys'), if any. */
  template: string | null;
}

export async function selfServiceTerms(
  reads: SubjectReads,
  filing: SelfServiceFiling,
): Promise<SelfServiceTerms> {
  const { kind, hsm, items, ownGroupsOnly, now } = filing;
  if (!SELF_SERVICE_KINDS.has(kind) || !hsm) {
    if (ownGroupsOnly) throw new AppError("forbidden", REQUESTER_KINDS_WORDS);
    return { templateApprovals: null, template: null };
  }
  const subjects = await itemSubjects(reads, kind, hsm, items, filing.fromTemplate);
  if (ownGroupsOnly)
    subjects.forEach((subject, index) => {
      const refusal = requesterRefusal(kind, hsm, subject, ownGroupsOnly, now);
      if (!refusal) return;
      const where = items.length > 1 ? `Item ${index}: ` : "";
      const member = refusal.member;
      throw new AppError(refusal.code, `${where}${refusal.reason}`, {
        fieldErrors: [
          {
            in: "body",
            pointer: `/items/${index}${member ? `/${member}` : ""}`,
            detail: refusal.reason,
          },
        ],
      });
    });
  const template = filing.fromTemplate ?? subjects[0]?.key?.template ?? null;
  return {
    templateApprovals: requestTemplateApprovals(kind, subjects, now),
    template: template?.name ?? null,
  };
}
