/**
 * Who is staff: a wallet in STAFF_ADDRESSES (configuration) or in the `staff` table (managed with
 * `npm run cli -- staff add|remove|list`). Addresses are stored EIP-55 and compared case-insensitively.
 */
import { asc, eq, inArray, sql } from "drizzle-orm";
import { getAddress, isAddress, type Address } from "viem";
import type { Db } from "../db/client";
import { staff } from "../db/schema";
import { endSessionsOf } from "../auth/sessions";

export interface StaffMember {
  address: Address;
  addedAt: Date;
}

/** The EIP-55 form of `value`, or undefined when it is not a 20-byte hex address. */
export function staffAddress(value: string): Address | undefined {
  return isAddress(value, { strict: false }) ? getAddress(value) : undefined;
}

/** Adds a wallet; false when it was already there. */
export async function addStaff(db: Db, address: Address, at: Date = new Date()): Promise<boolean> {
  const rows = await db
    .insert(staff)
    .values({ address: getAddress(address), addedAt: at })
    .onConflictDoNothing()
    .returning();
  return rows.length > 0;
}

/**
 * Removes a wallet and ends its sessions (a removed staff member is signed out everywhere at once, not at
 * the end of the day); false when it was not there.
 */
export async function removeStaff(db: Db, address: Address, at: Date = new Date()): Promise<boolean> {
  return db.transaction(async (tx) => {
    const rows = await tx
      .delete(staff)
      .where(eq(staff.address, getAddress(address)))
      .returning();
    if (rows.length === 0) return false;
    await endSessionsOf(tx, getAddress(address), "staff_removed", at);
    return true;
  });
}

export async function listStaff(db: Db): Promise<StaffMember[]> {
  const rows = await db.select().from(staff).orderBy(asc(staff.addedAt), asc(staff.address));
  return rows.map((row) => ({ address: getAddress(row.address), addedAt: row.addedAt }));
}

export async function isStaffMember(db: Db, address: Address): Promise<boolean> {
  const rows = await db
    .select({ one: sql<number>`1` })
    .from(staff)
    .where(eq(staff.address, getAddress(address)))
    .limit(1);
  return rows.length > 0;
}

/** Which of `addresses` are staff, by configuration or by the table: one query for any number of them. */
export async function staffAmong(db: Db, addresses: readonly Address[], configured: readonly Address[]): Promise<Set<Address>> {
  const wanted = [...new Set(addresses.map((address) => getAddress(address)))];
  if (wanted.length === 0) return new Set();
  const configuredLower = new Set(configured.map((address) => address.toLowerCase()));
  const rows = await db.select({ address: staff.address }).from(staff).where(inArray(staff.address, wanted));
  const inTable = new Set(rows.map((row) => getAddress(row.address)));
  return new Set(wanted.filter((address) => inTable.has(address) || configuredLower.has(address.toLowerCase())));
}

/** Staff by configuration or by the table. */
export async function isStaffWallet(db: Db, address: Address, configured: readonly Address[]): Promise<boolean> {
  const wanted = address.toLowerCase();
  if (configured.some((a) => a.toLowerCase() === wanted)) return true;
  return isStaffMember(db, address);
}
