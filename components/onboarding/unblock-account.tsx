/** The Unblock account: the currency to open it in, and once open, its details (IBAN + BIC, or sort code + account number) with Copy buttons. */
import { CopyRow } from "@/components/ui/copy-row";
import type { UnblockAccount, UnblockCurrency } from "./onboarding-types";

export function CurrencyChoice({ currency, onChange }: { currency: UnblockCurrency; onChange: (c: UnblockCurrency) => void }) {
  const options: { id: UnblockCurrency; label: string; detail: string }[] = [
    { id: "EUR", label: "Euro (EUR)", detail: "An IBAN for SEPA transfers" },
    { id: "GBP", label: "Pound sterling (GBP)", detail: "A UK sort code and account number" },
  ];
  return (
    <fieldset className="flex flex-col gap-2">
      <legend className="text-sm font-semibold text-ink">Currency</legend>
      <div className="grid gap-2 sm:grid-cols-2">
        {options.map((option) => (
          <label
            key={option.id}
            className={`flex cursor-pointer items-start gap-3 rounded-lg border px-4 py-3 has-focus-visible:outline-3 has-focus-visible:outline-offset-2 has-focus-visible:outline-brand ${
              currency === option.id ? "border-brand bg-brand-light/40" : "border-slate-300"
            }`}
          >
            <input
              type="radio"
              name="unblock-currency"
              value={option.id}
              checked={currency === option.id}
              onChange={() => onChange(option.id)}
              className="mt-1 size-4 accent-brand"
            />
            <span>
              <span className="block font-medium text-ink">{option.label}</span>
              <span className="block text-sm text-ink-muted">{option.detail}</span>
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** IBAN in groups of four, as printed on cards and statements. */
function grouped(value: string): string {
  return value.replace(/\s+/g, "").replace(/(.{4})(?=.)/g, "$1 ");
}

export function AccountDetails({ account }: { account: UnblockAccount }) {
  const rows: { label: string; value: string; shown: string; mono?: boolean }[] = [
    { label: "Account holder", value: account.accountHolder, shown: account.accountHolder, mono: false },
  ];
  if (account.currency === "EUR") {
    if (account.iban) rows.push({ label: "IBAN", value: account.iban.replace(/\s+/g, ""), shown: grouped(account.iban) });
    if (account.bic) rows.push({ label: "BIC", value: account.bic, shown: account.bic });
  } else {
    if (account.sortCode)
      rows.push({ label: "Sort code", value: account.sortCode, shown: account.sortCode.replace(/^(\d{2})-?(\d{2})-?(\d{2})$/, "$1-$2-$3") });
    if (account.accountNumber) rows.push({ label: "Account number", value: account.accountNumber, shown: account.accountNumber });
  }
  return (
    <div className="flex flex-col gap-4" data-testid="unblock-account" data-currency={account.currency}>
      {/* the step's heading already says the account is open: one heading, then what it does */}
      <p className="leading-relaxed text-ink-muted">
        Money sent to this account in {account.currency === "EUR" ? "euros" : "pounds"} is converted by Unblock and arrives in your wallet. Coming back to this
        page shows these details again.
      </p>
      <dl className="flex flex-col divide-y divide-slate-200 rounded-lg ring-1 ring-slate-200">
        {rows.map((row) => (
          <CopyRow key={row.label} {...row} testId={`unblock-${row.label.toLowerCase().replace(/\s+/g, "-")}`} />
        ))}
      </dl>
    </div>
  );
}
