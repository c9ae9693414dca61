/** `staff add <address>`: gives a wallet staff rights (the staff table; STAFF_ADDRESSES is the other way). */
import { EXIT, type Command } from "./command";
import { addressArgument, withStaffStore } from "./staff-database";

const NAME = "staff add";

export const staffAdd: Command = {
  path: ["staff", "add"],
  synopsis: "<address>",
  summary: "give a wallet staff rights (it signs in to /staff with its wallet)",
  details:
    "Prints `added <address>` or `already staff <address>`.\nUses DATABASE_URL when set, else the PGlite database in DATA_DIR — through the running app (DATA_DIR/admin-token) while it holds that database.\nExit 0 done, 1 the database is in use and the app cannot be reached, 2 unusable input.",
  async run(args, io) {
    const address = addressArgument(args, NAME);
    return withStaffStore(NAME, io, async (store) => {
      io.stdout(`${(await store.add(address)) ? "added" : "already staff"} ${address}`);
      return EXIT.ok;
    });
  },
};
