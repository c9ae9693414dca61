/**
 * The staff area's server side, for route handlers: who may use it (a signed-in wallet in STAFF_ADDRESSES
 * or the staff table — 401 `not_signed_in` otherwise, 403 `not_staff` for any other wallet), and the reads
 * behind /api/staff/* on the process's database.
 */
import { signedInUserAndSession, signedInUserIfAny, type SignedInUser } from "../auth";
import { appDatabase, type Db } from "../db";
import { config } from "../config";
import { AppError } from "../errors";
import { requireAdminToken } from "./admin-token";

export { csvCell, csvRow } from "./csv";
export { onboardingsCsv } from "./csv-export";
export { parseListFilters, parseListQuery, parseTimeRange } from "./filters";
export { addStaff, isStaffWallet, listStaff, removeStaff, staffAddress } from "./members";
export { staffMetrics } from "./metrics";
export type { StaffMetrics, StaffMetricsDay } from "./metrics";
export { eventsAfter, listOnboardings, onboardingDetail } from "./queries";
export type { OnboardingPage, StaffEvent, StaffOnboarding, StaffOnboardingDetail } from "./queries";
export { lastEventIdHeader, staffEventStream } from "./stream";

/** The signed-in staff wallet, its session id and the app database; 401 without a session, 403 `not_staff` otherwise. */
export async function requireStaff(): Promise<{ user: SignedInUser; sessionId: string; db: Db }> {
  const { user, sessionId } = await signedInUserAndSession();
  if (!user.isStaff) throw new AppError("not_staff", 403, "This wallet is not on the staff list.");
  const { db } = await appDatabase();
  return { user, sessionId, db };
}

/** The app database for an admin request (`Authorization: Bearer <DATA_DIR/admin-token>`); 401 `admin_token_invalid` otherwise. */
export async function requireAdmin(authorization: string | null): Promise<Db> {
  requireAdminToken(authorization, config().dataDir);
  return (await appDatabase()).db;
}

/** Who is looking at a /staff page: nobody signed in, a wallet that is not staff, or a staff wallet. */
export type StaffViewer = { kind: "signed_out" } | { kind: "not_staff"; address: string } | { kind: "staff"; address: string; chainId: number };

export async function staffViewer(): Promise<StaffViewer> {
  const checked = await signedInUserIfAny();
  if (!checked) return { kind: "signed_out" };
  return checked.isStaff ? { kind: "staff", address: checked.address, chainId: checked.chainId } : { kind: "not_staff", address: checked.address };
}
