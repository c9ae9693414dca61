import { z } from "zod";
import { readJsonBody } from "@/lib/api/body";
import { handleErrors } from "@/lib/api/error-response";
import { config } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { addStaff, listStaff, removeStaff, requireAdmin, staffAddress } from "@/lib/staff";

export const dynamic = "force-dynamic";

/**
 * Staff management for `npm run cli -- staff …` while the app holds the embedded database: `Authorization:
 * Bearer <DATA_DIR/admin-token>` (401 `admin_token_invalid` otherwise). GET lists (configured and table),
 * POST `{address}` adds, DELETE `{address}` removes (404 `staff_not_found` when not in the table).
 */
const AddressBody = z.object({ address: z.string().max(100) });

const authorised = (request: Request) => requireAdmin(request.headers.get("authorization"));

async function addressOf(request: Request) {
  const { address } = await readJsonBody(request, AddressBody);
  const checked = staffAddress(address);
  if (!checked) throw new AppError("invalid_address", 400, "address must be 0x followed by 40 hex digits.");
  return checked;
}

export const GET = handleErrors(async (request: Request) => {
  const db = await authorised(request);
  const members = await listStaff(db);
  return Response.json({
    configured: config().staffAddresses,
    table: members.map((member) => ({ address: member.address, addedAt: member.addedAt.toISOString() })),
  });
});

export const POST = handleErrors(async (request: Request) => {
  const db = await authorised(request);
  const address = await addressOf(request);
  const added = await addStaff(db, address);
  return Response.json({ address, added }, { status: added ? 201 : 200 });
});

export const DELETE = handleErrors(async (request: Request) => {
  const db = await authorised(request);
  const address = await addressOf(request);
  if (!(await removeStaff(db, address))) throw new AppError("staff_not_found", 404, `${address} is not in the staff table.`);
  return Response.json({ address, removed: true });
});
