import type { Db } from "@/lib/db/client";

/** A change of the portal's own data (a lease row) that audit tests look for afterwards. */
export async function takeLease(trx: Db, name: string): Promise<string> {
  await trx
    .insertInto("lease")
    .values({ name, holder: "test", acquired_at: 1, expires_at: 2 })
    .execute();
  return name;
}

export async function leaseExists(db: Db, name: string): Promise<boolean> {
  const row = await db
    .selectFrom("lease")
    .select("name")
    .where("name", "=", name)
    .executeTakeFirst();
  return row !== undefined;
}
