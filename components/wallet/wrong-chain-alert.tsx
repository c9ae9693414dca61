import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { chainName } from "@/lib/wallet/settings";

/** The wallet is on a chain sign-in does not accept: says which, and offers a switch to each accepted one. */
export function WrongChainAlert({
  chainId,
  allowed,
  switching,
  onSwitch,
}: {
  chainId: number;
  allowed: readonly number[];
  switching: boolean;
  onSwitch: (chainId: number) => void;
}) {
  return (
    <Alert
      tone="warning"
      title="Your wallet is on a network we don't support"
      testId="wrong-chain"
      actions={allowed.map((id) => (
        <Button key={id} variant={id === allowed[0] ? "primary" : "secondary"} busy={switching} onClick={() => onSwitch(id)}>
          Switch to {chainName(id)}
        </Button>
      ))}
    >
      Your wallet is on {chainName(chainId)}. Sign-in works on {allowed.map(chainName).join(" or ")}.
    </Alert>
  );
}
