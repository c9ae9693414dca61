/** `staff remove <address>`: takes a wallet out of the staff table (STAFF_ADDRESSES is not touched). */
import { EXIT, type Command } from "./command";
import { addressArgument, withStaffStore } from "./staff-database";

const NAME = "staff remove";

export const staffRemove: Command = {
  path: ["staff", "remove"],
  synopsis: "<address>",
  summary: "take a wallet out of the staff table",
  details:
    "Prints `removed <address>`; a wallet that was not in the table is one error line and exit 1. A wallet in STAFF_ADDRESSES stays staff.\nExit 0 removed, 1 not in the table or the database is in use, 2 unusable input.",
  async run(args, io) {
    const address = addressArgument(args, NAME);
    return withStaffStore(NAME, io, async (store) => {
      if (!(await store.remove(address))) {
        io.stderr(`error: ${NAME}: ${address} is not in the staff table`);
        return EXIT.negative;
      }
      io.stdout(`removed ${address}`);
      return EXIT.ok;
    });
  },
};
