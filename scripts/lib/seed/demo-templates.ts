import { appendAuditEvent } from "@/lib/audit/record";
import type { AuditActor } from "@/lib/audit/types";
import type { Db } from "@/lib/db/client";
import { findTemplate, storeTemplate } from "@/lib/templates/store";
import { keyTemplate, type KeyTemplateInput } from "@/lib/templates/template";

/*
 * The demo's key templates, written as an approved template.upsert would write them and
 * audited. A template that exists is left alone (the key team may have changed it).
 */

const SEED_REQUEST = "seed";
const environment = {
  name: "environment",
  description: "Where the application runs",
  values: ["dev", "test", "prod"],
};
const app = { name: "app", description: "Your application's short name" };
/** Rotated yearly, each version valid two years, and no key living longer. */
const yearlyForTwoYears = {
  rotationPolicy: {
    lifetimeActions: [{ action: "Rotate" as const, timeAfterCreate: "P1Y" }],
    expiresIn: "P2Y",
  },
  maxExpiry: "P2Y",
};

export const DEMO_TEMPLATES: KeyTemplateInput[] = [
  {
    name: "storage-cmk",
    title: "Storage CMK (RSA-HSM 3072, rotate yearly)",
    purpose:
      "A customer-managed key for Azure Storage, SQL or Disk encryption: the service wraps its data keys with it.",
    kty: "RSA",
    size: 3072,
    keyOps: ["wrapKey", "unwrapKey"],
    ...yearlyForTwoYears,
    tags: [app, environment],
    namingRule: "{group}-{app}-{environment}-{nn}",
    hsms: ["keyward-weu", "keyward-neu"],
    approvals: 1,
  },
  {
    name: "signing-p256",
    title: "Signing (EC P-256, rotate every 90 days)",
    purpose: "Signs tokens, documents or releases; verifiers fetch the public key.",
    kty: "EC",
    curve: "P-256",
    keyOps: ["sign", "verify"],
    rotationPolicy: {
      lifetimeActions: [{ action: "Rotate", timeAfterCreate: "P90D" }],
      expiresIn: "P1Y",
    },
    maxExpiry: "P1Y",
    tags: [app, environment],
    namingRule: "{group}-{app}-sign-{environment}-{nn}",
    hsms: ["keyward-weu"],
    approvals: 1,
    timeLimitedGrantApprovals: 0,
  },
  {
    name: "data-key-wrap",
    title: "Data key wrap (oct-HSM 256)",
    purpose:
      "An AES key that wraps an application's own data keys (envelope encryption); low risk: it never leaves the HSM.",
    kty: "oct",
    size: 256,
    keyOps: ["wrapKey", "unwrapKey"],
    ...yearlyForTwoYears,
    tags: [app, environment],
    namingRule: "{group}-{app}-wrap-{environment}-{nn}",
    hsms: ["keyward-weu", "keyward-neu"],
    approvals: 0,
  },
];

export async function seedTemplates(db: Db, actor: AuditActor): Promise<string[]> {
  const seeded: string[] = [];
  for (const input of DEMO_TEMPLATES) {
    const template = keyTemplate.parse(input);
    if (await findTemplate(db, template.name)) continue;
    await db.transaction().execute(async (trx) => {
      const at = Date.now();
      await storeTemplate(trx, template, SEED_REQUEST, at);
      await appendAuditEvent(trx, {
        at,
        actor,
        action: "template.upsert",
        target: { template: template.name },
        outcome: "succeeded",
        detail: { seeded: true, title: template.title },
        requestId: null,
      });
    });
    seeded.push(template.name);
  }
  return seeded.length > 0 ? [`key templates: ${seeded.join(", ")}`] : [];
}
