"use client";
import { Component, type ReactNode } from "react";

/** Catches a failure to load or start the wallet layer (offline, a new deployment) and shows `fallback`. */
export class WalletLoadBoundary extends Component<{ fallback: ReactNode; children: ReactNode }, { failed: boolean }> {
  state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  render() {
    return this.state.failed ? this.props.fallback : this.props.children;
  }
}
