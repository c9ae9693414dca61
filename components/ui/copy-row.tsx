/** One row of a description list with a Copy button: the label, the value as shown, and a short "Copied" that fades. */
import { CopyButton } from "./copy-button";

export function CopyRow({ label, value, shown, mono = true, testId }: { label: string; value: string; shown: string; mono?: boolean; testId?: string }) {
  return (
    <div className="px-4 py-3">
      <dt className="text-sm text-ink-muted">{label}</dt>
      <dd className="flex flex-wrap items-center justify-between gap-x-4 gap-y-1">
        <span className={`min-w-0 break-all text-base font-semibold text-ink ${mono ? "font-mono" : ""}`} data-testid={testId}>
          {shown}
        </span>
        <CopyButton value={value} label={label} />
      </dd>
    </div>
  );
}
