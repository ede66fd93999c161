/*
 * What the demo HSMs hold on first run: keys a key team would recognise, per application, owner
 * group and environment, with expiries (some already expired, some this month), several
 * versions, rotation policies (and keys without one), soft-deleted keys, and role assignments at
 * every scope, including deliberate separation-of-duties problems. Keys were created across the
 * past (up to HISTORY_DAYS ago), so their policies have rotated them and the rotation calendar has
 * something due this month. Deterministic: the same plan every time, so screenshots and tests can
 * rely on names. Pure; scripts/seed.ts applies it.
 */

/** How far back the oldest demo key was created. */
export const HISTORY_DAYS = 600;

export const DEMO_GROUPS = {
  payments: "3243182d-1727-4605-9abd-29ce37fe0480",
  identity: "7f3c2a91-5e64-4b0d-9c8e-2a1f6d4b7e10",
  dataPlatform: "b41e9d07-2c58-4f3a-8d16-5e7a9c0b2f43",
  cardIssuing: "e8a05c6d-91f2-47b3-a4de-0c3b8f1e5a29",
} as const;

export const DEMO_PRINCIPALS = {
  keyadmin: "6ec0599a-cfa8-4ec8-a150-82230c3f8ed6",
  approver: "9dabf05d-4089-46ce-a69a-854108a2d50c",
  dualRole: "2234a045-454d-4df0-a3bd-4824f0363248",
  paymentsApi: "eb0fa4b1-0557-4a2b-b8f8-964a48d6fabe",
  reportingJob: "1f1354cd-e903-4feb-9ed6-d008bebcbd66",
  /** A guest from a partner, member of the card issuing team. */
  guest: "c7a9e2f4-3b18-4d6e-9f05-8e1d2c3b4a56",
  /** An identity that no longer exists in the directory: an orphaned assignment. */
  orphan: "5d1e0c9a-7b3f-4e28-9a61-c4f0b2d8e7a5",
} as const;

export const ROLES = {
  administrator: "a290e904-7015-4bba-90c8-60543313cdb4",
  cryptoOfficer: "515eb02d-2335-4d2d-92f2-b1cbdf9c3778",
  cryptoUser: "21dbd100-6940-42c2-9190-5d6cb909625b",
  cryptoAuditor: "2c18b078-7c48-4d3a-af88-5a3a1b3f82b3",
  serviceEncryptionUser: "33413926-3206-4cdd-b39a-83574fe37a17",
  backup: "7b127d3c-77bd-4e3e-bbe0-dbb8971fa7f8",
  restore: "6efe6056-5259-49d2-8b3d-d3d73544b20b",
  serviceReleaseUser: "21dbd100-6940-42c2-9190-5d6cb909625c",
} as const;

/** A custom role as key teams write them in a hurry: usage and recovery mixed in one role. */
export const DEMO_CUSTOM_ROLE = {
  name: "9b3f6c2e-4a71-4d8e-b5c0-2e7f1a9d3c84",
  roleName: "Card key operator",
  description: "Signs and wraps with card keys and recovers them when deleted.",
  dataActions: [
    "Microsoft.KeyVault/managedHsm/keys/read/action",
    "Microsoft.KeyVault/managedHsm/keys/sign/action",
    "Microsoft.KeyVault/managedHsm/keys/wrap/action",
    "Microsoft.KeyVault/managedHsm/keys/unwrap/action",
    "Microsoft.KeyVault/managedHsm/keys/deletedKeys/recover/action",
  ],
};

export type KeySpec =
  | { kty: "RSA-HSM"; size: 2048 | 3072 | 4096 }
  | { kty: "EC-HSM"; curve: "P-256" | "P-256K" | "P-384" | "P-521" }
  | { kty: "oct-HSM"; size: 128 | 192 | 256 };

export interface PlannedPolicy {
  timeAfterCreate?: string;
  timeBeforeExpiry?: string;
  expiresIn?: string;
}

export interface PlannedKey {
  name: string;
  spec: KeySpec;
  tags: Record<string, string>;
  /** Days from now; negative means already expired. */
  expiresInDays: number | null;
  /** When the key was created, in days before now (0: today). */
  createdDaysAgo: number;
  enabled: boolean;
  policy: PlannedPolicy | null;
  /** Versions created after the first. */
  extraVersions: number;
  deleted: boolean;
}

export interface PlannedAssignment {
  /** "/", "/keys" or "/keys/{name}". */
  scope: string;
  role: string;
  principalId: string;
}

export interface HsmPlan {
  keys: PlannedKey[];
  assignments: PlannedAssignment[];
}

interface Purpose {
  purpose: string;
  specs: KeySpec[];
}

interface Application {
  app: string;
  owner: string | null;
  purposes: Purpose[];
}

const RSA2048: KeySpec = { kty: "RSA-HSM", size: 2048 };
const RSA3072: KeySpec = { kty: "RSA-HSM", size: 3072 };
const RSA4096: KeySpec = { kty: "RSA-HSM", size: 4096 };
const P256: KeySpec = { kty: "EC-HSM", curve: "P-256" };
const P256K: KeySpec = { kty: "EC-HSM", curve: "P-256K" };
const P384: KeySpec = { kty: "EC-HSM", curve: "P-384" };
const P521: KeySpec = { kty: "EC-HSM", curve: "P-521" };
const AES128: KeySpec = { kty: "oct-HSM", size: 128 };
const AES192: KeySpec = { kty: "oct-HSM", size: 192 };
const AES256: KeySpec = { kty: "oct-HSM", size: 256 };

const APPLICATIONS: Application[] = [
  {
    app: "payments",
    owner: DEMO_GROUPS.payments,
    purposes: [
      { purpose: "signing", specs: [RSA2048, P256] },
      { purpose: "tokenization", specs: [AES256] },
      { purpose: "webhook-signing", specs: [P256, P384] },
      { purpose: "settlement-wrap", specs: [RSA3072, AES256] },
    ],
  },
  {
    app: "identity",
    owner: DEMO_GROUPS.identity,
    purposes: [
      { purpose: "jwt-signing", specs: [P256, RSA2048] },
      { purpose: "token-encryption", specs: [RSA2048, AES256] },
      { purpose: "saml-signing", specs: [RSA2048] },
    ],
  },
  {
    app: "data-lake",
    owner: DEMO_GROUPS.dataPlatform,
    purposes: [
      { purpose: "storage-cmk", specs: [RSA2048, RSA3072] },
      { purpose: "column-encryption", specs: [AES256, AES192] },
    ],
  },
  {
    app: "reporting",
    owner: DEMO_GROUPS.dataPlatform,
    purposes: [{ purpose: "tde", specs: [RSA2048] }],
  },
  {
    app: "card-issuing",
    owner: DEMO_GROUPS.cardIssuing,
    purposes: [
      { purpose: "pin-block", specs: [AES128, AES256] },
      { purpose: "emv-issuer", specs: [RSA2048, RSA2048, RSA4096] },
      { purpose: "cvv", specs: [AES128] },
    ],
  },
  {
    app: "platform",
    owner: null,
    purposes: [
      { purpose: "audit-signing", specs: [P521, P384] },
      { purpose: "backup-wrap", specs: [AES256] },
      { purpose: "blockchain-settlement", specs: [P256K] },
    ],
  },
];

const ENVIRONMENTS = ["prod", "staging", "dev"] as const;

/** mulberry32: a small seeded generator, so the plan is the same on every machine. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function isLargeRsa(spec: KeySpec): boolean {
  return spec.kty === "RSA-HSM" && spec.size > 2048;
}

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)]!;
}

const POLICIES: (PlannedPolicy | null)[] = [
  { timeAfterCreate: "P90D", expiresIn: "P1Y" },
  { timeAfterCreate: "P180D", expiresIn: "P2Y" },
  { timeAfterCreate: "P1Y" },
  { timeBeforeExpiry: "P30D", expiresIn: "P1Y" },
  { expiresIn: "P2Y" },
  null,
  null,
];

function expiryFor(rand: () => number): number | null {
  const roll = rand();
  if (roll < 0.08) return -Math.ceil(rand() * 120);
  if (roll < 0.2) return Math.ceil(rand() * 28);
  if (roll < 0.45) return null;
  return 30 + Math.ceil(rand() * 700);
}

/** The plan for one HSM: `shards` copies of every application key per environment. */
export function planHsm(
  hsm: string,
  options: { seed: number; shards: number; region: string },
): HsmPlan {
  const rand = random(options.seed);
  // Ages come from their own sequence, so adding them changed nothing else in the plan.
  const age = random(options.seed ^ 0x9e3779b9);
  // A key that has expired was created at least a month before it did.
  const createdDaysAgo = (expiresInDays: number | null) =>
    Math.min(
      HISTORY_DAYS,
      Math.max(
        Math.floor(age() * HISTORY_DAYS),
        expiresInDays !== null && expiresInDays < 0 ? 30 - expiresInDays : 0,
      ),
    );
  const keys: PlannedKey[] = [];
  for (const application of APPLICATIONS)
    for (const { purpose, specs } of application.purposes)
      for (const environment of ENVIRONMENTS)
        for (let shard = 1; shard <= options.shards; shard += 1) {
          if (environment === "dev" && shard > 1) continue;
          const spec = pick(rand, specs);
          const suffix =
            options.shards > 1 && environment !== "dev" ? `-${String(shard).padStart(2, "0")}` : "";
          const tags: Record<string, string> = {
            app: application.app,
            environment,
            region: options.region,
          };
          if (application.owner) tags.owner = application.owner;
          if (environment === "prod" && rand() < 0.3)
            tags["data-classification"] = pick(rand, ["pci", "pii", "confidential"]);
          const expiresInDays = expiryFor(rand);
          keys.push({
            name: `${application.app}-${purpose}-${environment}${suffix}`,
            spec,
            tags,
            expiresInDays,
            createdDaysAgo: createdDaysAgo(expiresInDays),
            enabled: rand() > 0.05,
            policy: environment === "dev" && rand() < 0.6 ? null : pick(rand, POLICIES),
            // Large RSA keys take up to a second each to generate: one version is enough.
            extraVersions: rand() < 0.35 && !isLargeRsa(spec) ? 1 + Math.floor(rand() * 3) : 0,
            deleted: false,
          });
        }
  for (let i = 1; i <= 6; i += 1)
    keys.push({
      name: `legacy-${hsm.split("-").at(-1)}-${String(i).padStart(2, "0")}`,
      spec: pick(rand, [RSA2048, AES256, P256]),
      tags: i % 2 ? { app: "legacy" } : {},
      expiresInDays: i % 3 === 0 ? -Math.ceil(rand() * 300) : null,
      createdDaysAgo: HISTORY_DAYS,
      enabled: i % 2 === 0,
      policy: null,
      extraVersions: 0,
      deleted: i <= 3,
    });
  for (const key of keys.filter((k) => k.tags.environment === "dev").slice(0, 4))
    key.deleted = true;

  const firstOf = (prefix: string) =>
    keys.find((k) => k.name.startsWith(prefix) && !k.deleted)?.name;
  const paymentsSigning = firstOf("payments-signing-prod")!;
  const paymentsTokenization = firstOf("payments-tokenization-prod")!;
  const reportingTde = firstOf("reporting-tde-prod")!;
  const cardKey = firstOf("card-issuing-emv-issuer-prod")!;
  const assignments: PlannedAssignment[] = [
    { scope: "/", role: ROLES.cryptoOfficer, principalId: DEMO_PRINCIPALS.keyadmin },
    { scope: "/", role: ROLES.cryptoAuditor, principalId: DEMO_PRINCIPALS.reportingJob },
    { scope: "/keys", role: ROLES.backup, principalId: DEMO_PRINCIPALS.keyadmin },
    // Separation-of-duties problems the access issue will surface:
    // the same person may manage keys and use them …
    { scope: "/", role: ROLES.cryptoOfficer, principalId: DEMO_PRINCIPALS.dualRole },
    { scope: "/", role: ROLES.cryptoUser, principalId: DEMO_PRINCIPALS.dualRole },
    // … an approver holds standing rights to use every key …
    { scope: "/keys", role: ROLES.cryptoUser, principalId: DEMO_PRINCIPALS.approver },
    // … an application may both administer and use its own signing key …
    {
      scope: `/keys/${paymentsSigning}`,
      role: ROLES.cryptoUser,
      principalId: DEMO_PRINCIPALS.paymentsApi,
    },
    {
      scope: `/keys/${paymentsSigning}`,
      role: ROLES.cryptoOfficer,
      principalId: DEMO_PRINCIPALS.paymentsApi,
    },
    // … and an identity that no longer exists still holds a key.
    {
      scope: `/keys/${paymentsTokenization}`,
      role: ROLES.cryptoUser,
      principalId: DEMO_PRINCIPALS.orphan,
    },
    {
      scope: `/keys/${paymentsTokenization}`,
      role: ROLES.serviceEncryptionUser,
      principalId: DEMO_PRINCIPALS.paymentsApi,
    },
    {
      scope: `/keys/${reportingTde}`,
      role: ROLES.serviceEncryptionUser,
      principalId: DEMO_PRINCIPALS.reportingJob,
    },
    // … a person administers the HSM alone, and takes and restores backups …
    { scope: "/", role: ROLES.administrator, principalId: DEMO_PRINCIPALS.keyadmin },
    { scope: "/", role: ROLES.restore, principalId: DEMO_PRINCIPALS.keyadmin },
    // … a batch job may release every key in the HSM …
    { scope: "/keys", role: ROLES.serviceReleaseUser, principalId: DEMO_PRINCIPALS.reportingJob },
    // … the card team (with a guest in it) holds a custom role that mixes duties …
    {
      scope: `/keys/${cardKey}`,
      role: DEMO_CUSTOM_ROLE.name,
      principalId: DEMO_GROUPS.cardIssuing,
    },
    // … and, done right, the payments team uses its signing key through its group.
    {
      scope: `/keys/${paymentsSigning}`,
      role: ROLES.cryptoUser,
      principalId: DEMO_GROUPS.payments,
    },
  ];
  return { keys, assignments };
}
