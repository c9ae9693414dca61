/** `staff list`: the staff wallets, from STAFF_ADDRESSES and from the staff table. */
import { noPositionals, parseFlags } from "./args";
import { EXIT, type Command } from "./command";
import { withStaffStore } from "./staff-database";

const NAME = "staff list";

export const staffList: Command = {
  path: ["staff", "list"],
  synopsis: "",
  summary: "list the staff wallets (STAFF_ADDRESSES and the staff table)",
  details:
    "One line per wallet: `<address>  config` or `<address>  table <added at>`; nothing when there is none.\nExit 0 listed, 1 the database is in use and the app cannot be reached, 2 unusable input.",
  async run(args, io) {
    noPositionals(parseFlags(args, {}, NAME).positionals, NAME);
    return withStaffStore(NAME, io, async (store) => {
      const { configured, table } = await store.list();
      for (const address of configured) io.stdout(`${address}  config`);
      const seen = new Set(configured.map((a) => a.toLowerCase()));
      for (const member of table) {
        if (!seen.has(member.address.toLowerCase())) io.stdout(`${member.address}  table ${member.addedAt.toISOString()}`);
      }
      return EXIT.ok;
    });
  },
};
