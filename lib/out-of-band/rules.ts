/*
 * Out-of-band change detection, the pure part: what changed between two readings of an HSM's
 * mirror, and which of those changes the portal itself made. No database, no HSM, no clock: the
 * service (service.ts) reads the mirror before and after a sync and the portal's own writes of
 * the interval, and records whatever is left.
 */

export const SUBJECT_KINDS = ["key", "assignment", "role-definition", "setting"] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

export const CHANGE_WHATS = [
  "created",
  "deleted",
  "recovered",
  "purged",
  "rotated",
  "attributes",
  "tags",
  "rotation-policy",
  "added",
  "removed",
  "changed",
] as const;
export type ChangeWhat = (typeof CHANGE_WHATS)[number];

export const OUT_OF_BAND_STATES = ["open", "explained"] as const;
export type OutOfBandState = (typeof OUT_OF_BAND_STATES)[number];

/** One key as the mirror holds it; `policy` is the rotation policy's JSON text (null: none). */
export interface KeyState {
  name: string;
  version: string;
  enabled: boolean;
  exportable: boolean;
  notBefore: number | null;
  expiresOn: number | null;
  tags: Record<string, string>;
  deleted: boolean;
  policy: string | null;
}

export interface AssignmentState {
  name: string;
  scope: string;
  roleDefinitionId: string;
  principalId: string;
}

export interface RoleDefinitionState {
  id: string;
  roleName: string;
  roleType: string;
  description: string;
  dataActions: string[];
  notDataActions: string[];
}

/** What the mirror held of one HSM at one moment. */
export interface MirrorSnapshot {
  keys: KeyState[];
  assignments: AssignmentState[];
  roleDefinitions: RoleDefinitionState[];
}

/** One change seen in the HSM; `before`/`after` hold only what changed (null: absent). */
export interface ObservedChange {
  subjectKind: SubjectKind;
  subjectName: string;
  /** The key the change concerns (the key itself, or a key-scoped assignment's key), lower-case. */
  keyLower: string | null;
  what: ChangeWhat;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/**
 * A write the portal made to the HSM in the interval: a change-request item that ran (executed,
 * or failed/executing, which may have reached the HSM), or a grant the expiry job ended.
 * `kind` is the request kind, or `grant.expire`; `target` is the item's target as filed.
 */
export interface PortalWrite {
  kind: string;
  target: Record<string, string>;
}

const ATTRIBUTES = ["enabled", "exportable", "notBefore", "expiresOn"] as const;

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const sortedTags = (tags: Record<string, string>) =>
  Object.fromEntries(Object.entries(tags).sort(([a], [b]) => a.localeCompare(b)));
const keyOfScope = (scope: string) =>
  scope.toLowerCase().startsWith("/keys/") ? scope.slice("/keys/".length).toLowerCase() : null;

function keyChanges(before: KeyState | undefined, after: KeyState | undefined): ObservedChange[] {
  const name = (after ?? before)!.name;
  const base = { subjectKind: "key" as const, subjectName: name, keyLower: name.toLowerCase() };
  if (!before && after)
    return [
      {
        ...base,
        what: "created",
        before: null,
        after: { version: after.version, enabled: after.enabled, tags: sortedTags(after.tags) },
      },
    ];
  if (before && !after)
    return [{ ...base, what: before.deleted ? "purged" : "deleted", before: {}, after: null }];
  const b = before!;
  const a = after!;
  if (!b.deleted && a.deleted)
    return [{ ...base, what: "deleted", before: { deleted: false }, after: { deleted: true } }];
  const changes: ObservedChange[] = [];
  if (b.deleted && !a.deleted)
    changes.push({
      ...base,
      what: "recovered",
      before: { deleted: true },
      after: { deleted: false },
    });
  // A list entry names no version (the mirror keeps the last one it read): only two known versions compare.
  if (b.version && a.version && b.version !== a.version)
    changes.push({
      ...base,
      what: "rotated",
      before: { version: b.version },
      after: { version: a.version },
    });
  const changed = ATTRIBUTES.filter((field) => b[field] !== a[field]);
  if (changed.length > 0)
    changes.push({
      ...base,
      what: "attributes",
      before: Object.fromEntries(changed.map((field) => [field, b[field]])),
      after: Object.fromEntries(changed.map((field) => [field, a[field]])),
    });
  if (!sameJson(sortedTags(b.tags), sortedTags(a.tags)))
    changes.push({
      ...base,
      what: "tags",
      before: { tags: sortedTags(b.tags) },
      after: { tags: sortedTags(a.tags) },
    });
  if (b.policy !== a.policy)
    changes.push({
      ...base,
      what: "rotation-policy",
      before: { policy: b.policy === null ? null : (JSON.parse(b.policy) as unknown) },
      after: { policy: a.policy === null ? null : (JSON.parse(a.policy) as unknown) },
    });
  return changes;
}

function byName<T>(items: T[], name: (item: T) => string): Map<string, T> {
  return new Map(items.map((item) => [name(item), item]));
}

function assignmentDescription(a: AssignmentState) {
  return { scope: a.scope, roleDefinitionId: a.roleDefinitionId, principalId: a.principalId };
}

function definitionDescription(d: RoleDefinitionState) {
  return {
    roleName: d.roleName,
    description: d.description,
    dataActions: [...d.dataActions].sort(),
    notDataActions: [...d.notDataActions].sort(),
  };
}

/** Every change between two readings of the same HSM's mirror, in a stable order. */
export function diffSnapshots(before: MirrorSnapshot, after: MirrorSnapshot): ObservedChange[] {
  const changes: ObservedChange[] = [];
  const keysBefore = byName(before.keys, (k) => k.name.toLowerCase());
  const keysAfter = byName(after.keys, (k) => k.name.toLowerCase());
  for (const name of [...new Set([...keysBefore.keys(), ...keysAfter.keys()])].sort())
    changes.push(...keyChanges(keysBefore.get(name), keysAfter.get(name)));

  const assignmentsBefore = byName(before.assignments, (a) => a.name.toLowerCase());
  const assignmentsAfter = byName(after.assignments, (a) => a.name.toLowerCase());
  for (const name of [
    ...new Set([...assignmentsBefore.keys(), ...assignmentsAfter.keys()]),
  ].sort()) {
    const b = assignmentsBefore.get(name);
    const a = assignmentsAfter.get(name);
    // An assignment cannot be changed in place, only made or removed.
    if (b && a) continue;
    const known = (a ?? b)!;
    changes.push({
      subjectKind: "assignment",
      subjectName: name,
      keyLower: keyOfScope(known.scope),
      what: a ? "added" : "removed",
      before: b ? assignmentDescription(b) : null,
      after: a ? assignmentDescription(a) : null,
    });
  }

  // Built-in roles are the HSM's own and never change; only custom roles are compared.
  const custom = (snapshot: MirrorSnapshot) =>
    byName(
      snapshot.roleDefinitions.filter((d) => d.roleType !== "AKVBuiltInRole"),
      (d) => d.id.toLowerCase(),
    );
  const rolesBefore = custom(before);
  const rolesAfter = custom(after);
  for (const id of [...new Set([...rolesBefore.keys(), ...rolesAfter.keys()])].sort()) {
    const b = rolesBefore.get(id);
    const a = rolesAfter.get(id);
    const db = b ? definitionDescription(b) : null;
    const da = a ? definitionDescription(a) : null;
    if (db && da && sameJson(db, da)) continue;
    changes.push({
      subjectKind: "role-definition",
      subjectName: id,
      keyLower: null,
      what: !b ? "added" : !a ? "removed" : "changed",
      before: db,
      after: da,
    });
  }
  return changes;
}

/** Which changes to a key each key kind of request makes. */
const KEY_KIND_EXPLAINS: Record<string, readonly ChangeWhat[]> = {
  "key.create": ["created", "attributes", "tags", "rotation-policy"],
  "key.import": ["created", "attributes", "tags", "rotation-policy"],
  "key.update": ["attributes", "tags"],
  // A new version takes its expiry from the rotation policy, so its attributes change too.
  "key.rotate": ["rotated", "attributes"],
  "key.rotation-policy": ["rotation-policy"],
  "key.delete": ["deleted"],
  "key.recover": ["recovered"],
  "key.purge": ["purged"],
  "restore.key": ["created", "recovered", "rotated", "attributes", "tags", "rotation-policy"],
};

const same = (a: string | undefined, b: string) =>
  a !== undefined && a.toLowerCase() === b.toLowerCase();

/** True when the portal's write accounts for the change. */
export function explains(write: PortalWrite, change: ObservedChange): boolean {
  const { kind, target } = write;
  // A full restore replaces everything in the HSM.
  if (kind === "restore.full") return true;
  switch (change.subjectKind) {
    case "key":
      return (
        same(target.key, change.subjectName) &&
        (KEY_KIND_EXPLAINS[kind]?.includes(change.what) ?? false)
      );
    case "assignment":
      if (!same(target.name, change.subjectName)) return false;
      if (kind === "role-assignment.create") return change.what === "added";
      return (
        (kind === "role-assignment.delete" || kind === "grant.expire") && change.what === "removed"
      );
    case "role-definition":
      if (!same(target.role, change.subjectName)) return false;
      if (kind === "role-definition.upsert") return change.what !== "removed";
      return kind === "role-definition.delete" && change.what === "removed";
    case "setting":
      return kind === "setting.update" && same(target.setting, change.subjectName);
  }
}

/** The changes no portal write accounts for: the out-of-band ones. */
export function outOfBandChanges(
  changes: readonly ObservedChange[],
  writes: readonly PortalWrite[],
): ObservedChange[] {
  return changes.filter((change) => !writes.some((write) => explains(write, change)));
}
