/*
 * Authorisation is data: the portal roles Entra ID assigns (the token's `roles` claim) and what
 * each may do. Every route handler and page checks a permission from this table on the server;
 * the UI only hides what a role cannot do. Pure module: no I/O, usable for UI hints.
 */

export const PORTAL_ROLES = {
  "Keyward.Requester": {
    label: "Requester",
    description: "Sees the keys their groups own and files change requests for them.",
  },
  "Keyward.KeyAdmin": {
    label: "Key administrator",
    description: "The central key team: sees everything and files any change request.",
  },
  "Keyward.Approver": {
    label: "Approver",
    description: "Reviews, approves or rejects the change requests of others.",
  },
  "Keyward.Auditor": {
    label: "Auditor",
    description: "Reads everything and exports evidence; changes nothing.",
  },
} as const;

export type PortalRole = keyof typeof PORTAL_ROLES;

export const PERMISSIONS = {
  "account.read": "See your own profile, roles and sessions",
  "account.sessions.end": "End your own sessions",
  "status.read": "See the portal's configuration and the health of its dependencies",
  "status.setup": "Run the setup checks (the configuration doctor) on the status page",
  "inventory.read": "See the key inventory: overview, keys, key details and deleted keys",
  "inventory.readAll": "See every key in every HSM, not only the keys your groups own",
  "inventory.sync": "Start a sync of an HSM or a key into the inventory now",
  "access.read":
    "See every role assignment, role definition and principal's effective access, and the separation-of-duties findings",
  "sod.configure": "Switch separation-of-duties rules on or off and re-grade them (recorded)",
  "audit.read": "Read, export and verify the audit log",
  "evidence.export":
    "Download a signed evidence pack: inventory, access, findings, rotation, changes, backups and the audit log of a period (recorded)",
  "requests.read": "See change requests: your own, and your groups' keys' requests",
  "requests.readAll": "See every change request",
  "requests.fileOwn":
    "File change requests for your groups' keys: keys from templates, access for your applications, rotations, later expiries",
  "requests.file":
    "File change requests for any key, role or setting (lifts the limits of requests.fileOwn)",
  "requests.approve": "Approve or reject the change requests of others",
  "backups.read": "See backup schedules, runs and what each backup holds",
  "backups.run": "Start a backup of an HSM now (recorded; a backup changes nothing in the HSM)",
  "outOfBand.read": "See the changes made in an HSM behind the portal's back (out-of-band changes)",
  "outOfBand.explain": "Mark an out-of-band change as explained, with the reason (recorded)",
  "accessReviews.read":
    "See access reviews of the HSMs' role assignments: who confirmed or flagged each, and why",
  "accessReviews.start":
    "Start an access review of an HSM's role assignments, or cancel one (recorded)",
  "accessReviews.decide":
    "Confirm a role assignment under review or flag it for removal (recorded; a flag files a removal request for other approvers)",
} as const;

export type Permission = keyof typeof PERMISSIONS;

export const ROLE_PERMISSIONS: Record<PortalRole, readonly Permission[]> = {
  "Keyward.Requester": [
    "account.read",
    "account.sessions.end",
    "inventory.read",
    "requests.read",
    "requests.fileOwn",
  ],
  "Keyward.KeyAdmin": [
    "account.read",
    "account.sessions.end",
    "status.read",
    "status.setup",
    "inventory.read",
    "inventory.readAll",
    "inventory.sync",
    "access.read",
    "sod.configure",
    "audit.read",
    "evidence.export",
    "requests.read",
    "requests.readAll",
    "requests.fileOwn",
    "requests.file",
    "backups.read",
    "backups.run",
    "outOfBand.read",
    "outOfBand.explain",
    "accessReviews.read",
    "accessReviews.start",
  ],
  "Keyward.Approver": [
    "account.read",
    "account.sessions.end",
    "inventory.read",
    "inventory.readAll",
    "access.read",
    "requests.read",
    "requests.readAll",
    "requests.approve",
    "backups.read",
    "accessReviews.read",
    "accessReviews.decide",
  ],
  "Keyward.Auditor": [
    "account.read",
    "account.sessions.end",
    "status.read",
    "inventory.read",
    "inventory.readAll",
    "access.read",
    "audit.read",
    "evidence.export",
    "requests.read",
    "requests.readAll",
    "backups.read",
    "outOfBand.read",
    "accessReviews.read",
  ],
};

export function isPortalRole(value: string): value is PortalRole {
  return Object.hasOwn(PORTAL_ROLES, value);
}

/** The portal roles among a token's roles; any other value is ignored. */
export function portalRoles(roles: readonly string[]): PortalRole[] {
  return [...new Set(roles.filter(isPortalRole))].sort();
}

export function permissionsOf(roles: readonly string[]): Set<Permission> {
  return new Set(portalRoles(roles).flatMap((role) => ROLE_PERMISSIONS[role]));
}

export function hasPermission(roles: readonly string[], permission: Permission): boolean {
  return permissionsOf(roles).has(permission);
}
