import type { ButtonHTMLAttributes } from "react";

type Variant = "primary" | "secondary" | "link";

const VARIANTS: Record<Variant, string> = {
  primary: "bg-brand text-white hover:bg-brand-dark disabled:bg-slate-400 px-4 py-2.5 font-semibold shadow-sm",
  secondary: "border border-slate-300 bg-white text-ink hover:bg-slate-100 disabled:text-slate-500 px-4 py-2.5 font-semibold",
  link: "text-brand underline underline-offset-2 hover:text-brand-dark px-0.5 py-0.5 font-medium",
};

/** The classes of a button of this variant (also for a link that looks like one). */
export function buttonClassName(variant: Variant = "primary", className = ""): string {
  return `inline-flex min-h-11 items-center justify-center gap-2 rounded-lg text-base transition-colors focus-visible:outline-3 focus-visible:outline-offset-2 focus-visible:outline-brand disabled:cursor-not-allowed ${VARIANTS[variant]} ${className}`;
}

/** A button with a visible focus ring; `busy` keeps its width, disables it and tells assistive tech. */
export function Button({
  variant = "primary",
  busy = false,
  className = "",
  disabled,
  children,
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant; busy?: boolean }) {
  return (
    <button type="button" {...props} disabled={disabled || busy} aria-busy={busy || undefined} className={buttonClassName(variant, className)}>
      {busy ? <Spinner /> : null}
      {children}
    </button>
  );
}

export function Spinner({ className = "" }: { className?: string }) {
  return (
    <span aria-hidden="true" className={`inline-block size-4 shrink-0 animate-spin rounded-full border-2 border-current border-r-transparent ${className}`} />
  );
}
