import { z } from "zod";

import seed from "../seed/directory.json" with { type: "json" };

/*
 * The local identity provider's directory: tenant, applications (with their service principals
 * and app roles), users and groups, loaded from one JSON seed. Group membership nests; app
 * roles reach a user directly or through a group they are a direct member of, as in Entra ID.
 * Pure functions over data: the launcher reads the demo accounts from here too.
 */

/** Entra object ids are GUIDs, not always RFC 9562 UUIDs. */
const guid = z.guid();

const appRole = z.object({
  id: guid,
  value: z.string(),
  displayName: z.string(),
  description: z.string(),
});

const application = z.object({
  appId: guid,
  servicePrincipalId: guid,
  displayName: z.string(),
  kind: z.enum(["portal", "tool", "workload"]),
  secretName: z.enum(["portalClientSecret", "toolClientSecret"]).optional(),
  appRoles: z.array(appRole),
  /** Application permissions (app roles of other resources) granted to this application. */
  applicationPermissions: z.record(z.string(), z.array(z.string())),
});

const user = z.object({
  id: guid,
  userPrincipalName: z.string().email(),
  displayName: z.string(),
  jobTitle: z.string().optional(),
  userType: z.enum(["Member", "Guest"]).default("Member"),
  accountEnabled: z.boolean().default(true),
  appRoles: z.array(z.string()),
});

const group = z.object({
  id: guid,
  displayName: z.string(),
  mailNickname: z.string(),
  description: z.string(),
  members: z.array(guid),
  appRoles: z.array(z.string()),
});

export const directorySchema = z.object({
  tenant: z.object({ id: guid, domain: z.string(), displayName: z.string() }),
  applications: z.array(application),
  users: z.array(user),
  groups: z.array(group),
});

export type Directory = z.infer<typeof directorySchema>;
export type DirectoryUser = z.infer<typeof user>;
export type DirectoryGroup = z.infer<typeof group>;
export type DirectoryApplication = z.infer<typeof application>;
export type DirectoryObject =
  | { kind: "user"; object: DirectoryUser }
  | { kind: "group"; object: DirectoryGroup }
  | { kind: "servicePrincipal"; object: DirectoryApplication };

export function loadDirectory(raw: unknown = seed): Directory {
  const directory = directorySchema.parse(raw);
  const ids = [
    ...directory.users.map((u) => u.id),
    ...directory.groups.map((g) => g.id),
    ...directory.applications.map((a) => a.servicePrincipalId),
  ];
  if (new Set(ids).size !== ids.length) throw new Error("directory object ids must be unique");
  for (const g of directory.groups)
    for (const member of g.members)
      if (!ids.includes(member))
        throw new Error(`group ${g.displayName} has unknown member ${member}`);
  return directory;
}

export function findUserByLogin(directory: Directory, login: string): DirectoryUser | undefined {
  const wanted = login.trim().toLowerCase();
  return directory.users.find((u) => u.userPrincipalName.toLowerCase() === wanted);
}

export function findObject(directory: Directory, id: string): DirectoryObject | undefined {
  const userMatch = directory.users.find((u) => u.id === id);
  if (userMatch) return { kind: "user", object: userMatch };
  const groupMatch = directory.groups.find((g) => g.id === id);
  if (groupMatch) return { kind: "group", object: groupMatch };
  const app = directory.applications.find((a) => a.servicePrincipalId === id);
  return app ? { kind: "servicePrincipal", object: app } : undefined;
}

export function findApplication(
  directory: Directory,
  appId: string,
): DirectoryApplication | undefined {
  return directory.applications.find((a) => a.appId === appId);
}

/** The directory's one application of a kind (the portal, the tool client). */
export function applicationOfKind(
  directory: Directory,
  kind: "portal" | "tool",
): DirectoryApplication {
  const found = directory.applications.filter((a) => a.kind === kind);
  if (found.length !== 1)
    throw new Error(`the directory must have exactly one ${kind} application`);
  return found[0]!;
}

/** The object id (what tokens carry as `oid`) of an application's service principal. */
export function servicePrincipalIdOf(directory: Directory, appId: string): string {
  const application = findApplication(directory, appId);
  if (!application) throw new Error(`the directory has no application ${appId}`);
  return application.servicePrincipalId;
}

/** Groups the object belongs to directly. */
export function directGroupsOf(directory: Directory, id: string): DirectoryGroup[] {
  return directory.groups.filter((g) => g.members.includes(id));
}

/** Every group the object belongs to, directly or through nested groups. */
export function transitiveGroupsOf(directory: Directory, id: string): DirectoryGroup[] {
  const found = new Map<string, DirectoryGroup>();
  const queue = [id];
  while (queue.length > 0) {
    const current = queue.shift()!;
    for (const g of directGroupsOf(directory, current)) {
      if (found.has(g.id)) continue;
      found.set(g.id, g);
      queue.push(g.id);
    }
  }
  return [...found.values()];
}

/** Every user, group and service principal inside a group, through nested groups. */
export function transitiveMembersOf(directory: Directory, groupId: string): DirectoryObject[] {
  const found = new Map<string, DirectoryObject>();
  const queue = [groupId];
  while (queue.length > 0) {
    const next = queue.shift();
    const current = directory.groups.find((g) => g.id === next);
    for (const member of current?.members ?? []) {
      if (found.has(member)) continue;
      const object = findObject(directory, member);
      if (!object) continue;
      found.set(member, object);
      if (object.kind === "group") queue.push(member);
    }
  }
  return [...found.values()];
}

/**
 * App role values of one application held by a user: assigned to the user or to a group the
 * user is a direct member of (Entra ID does not pass app roles through nested groups).
 */
export function appRolesOf(
  directory: Directory,
  user: DirectoryUser,
  app: DirectoryApplication,
): string[] {
  const defined = new Set(app.appRoles.map((r) => r.value));
  const held = [...user.appRoles, ...directGroupsOf(directory, user.id).flatMap((g) => g.appRoles)];
  return [...new Set(held.filter((value) => defined.has(value)))].sort();
}

export interface DemoAccount {
  login: string;
  name: string;
  roles: string[];
  password: string;
}

/** The demo accounts with their portal roles, as the sign-in page and local.json list them. */
export function demoAccounts(
  directory: Directory,
  portalClientId: string,
  passwords: Record<string, string>,
): DemoAccount[] {
  const portal = findApplication(directory, portalClientId);
  return directory.users.map((user) => ({
    login: user.userPrincipalName,
    name: user.displayName,
    roles: portal ? appRolesOf(directory, user, portal) : [],
    password: passwords[user.userPrincipalName] ?? "",
  }));
}
