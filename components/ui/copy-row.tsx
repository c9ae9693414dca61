/** One row of a description list with a Copy button: the label, the value as shown, and a short "Copied" that fades. */
import { useEffect, useState } from "react";
import { Button } from "./button";

export function CopyRow({ label, value, shown, mono = true, testId }: { label: string; value: string; shown: string; mono?: boolean; testId?: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  useEffect(() => {
    if (state === "idle") return;
    const timer = window.setTimeout(() => setState("idle"), 2500);
    return () => window.clearTimeout(timer);
  }, [state]);
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setState("copied");
    } catch {
      setState("failed");
    }
  }
  return (
    <div className="px-4 py-3">
      <dt className="text-sm text-ink-muted">{label}</dt>
      <dd className="flex flex-wrap items-center justify-between gap-x-4 gap-y-1">
        <span className={`min-w-0 break-all text-base font-semibold text-ink ${mono ? "font-mono" : ""}`} data-testid={testId}>
          {shown}
        </span>
        <span className="flex items-center gap-2">
          <span role="status" className="text-sm text-ink-muted">
            {state === "copied" ? "Copied" : state === "failed" ? "Copy failed: select it instead" : ""}
          </span>
          <Button variant="secondary" className="!min-h-10 !px-3 !py-1.5" aria-label={`Copy ${label}`} onClick={() => void copy()}>
            Copy
          </Button>
        </span>
      </dd>
    </div>
  );
}
