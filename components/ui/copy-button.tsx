"use client";
/** A Copy button for a value, with a short "Copied" (or "select it instead") beside it that fades. */
import { useEffect, useState } from "react";
import { Button } from "./button";

export function CopyButton({ value, label }: { value: string; label: string }) {
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
    <span className="flex items-center gap-2">
      <span role="status" className="text-sm text-ink-muted">
        {state === "copied" ? "Copied" : state === "failed" ? "Copy failed: select it instead" : ""}
      </span>
      <Button variant="secondary" className="!min-h-10 !px-3 !py-1.5" aria-label={`Copy ${label}`} onClick={() => void copy()}>
        Copy
      </Button>
    </span>
  );
}
