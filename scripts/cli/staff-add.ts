/** `staff add <address>`: gives a wallet staff rights (the staff table; STAFF_ADDRESSES is the other way). */
import { addStaff } from "../../lib/staff/members";
import { EXIT, type Command } from "./command";
import { addressArgument, withStaffDatabase } from "./staff-database";

const NAME = "staff add";

export const staffAdd: Command = {
  path: ["staff", "add"],
  synopsis: "<address>",
  summary: "give a wallet staff rights (it signs in to /staff with its wallet)",
  details:
    "Prints `added <address>` or `already staff <address>`.\nUses DATABASE_URL when set, else the PGlite database in DATA_DIR — stop the app first in that case.\nExit 0 done, 1 the database is in use, 2 unusable input.",
  async run(args, io) {
    const address = addressArgument(args, NAME);
    return withStaffDatabase(NAME, io, async (db) => {
      io.stdout(`${(await addStaff(db, address)) ? "added" : "already staff"} ${address}`);
      return EXIT.ok;
    });
  },
};
