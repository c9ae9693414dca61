/** What to tell the person when their wallet did not sign a provider's message. */
import { WalletActionError } from "@/lib/wallet/bridge";

export function walletSignProblem(error: unknown, whenDeclined: string): { title: string; text: string } {
  if (error instanceof WalletActionError && error.kind === "rejected") return { title: "Signature cancelled", text: whenDeclined };
  return { title: "Your wallet could not sign", text: error instanceof Error ? error.message : "The wallet did not answer." };
}
