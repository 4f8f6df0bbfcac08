"use client";
/**
 * Loads a project's weekly trends once (GET /api/projects/SLUG/trends) after the page has
 * rendered, and hands them to every chart inside. Computing 26 weeks of every KPI takes far
 * longer than the page itself, so the page does not wait for it.
 */
import { createContext, useContext, useEffect, useState, type ReactNode } from "react";
import type { Trend } from "@/lib/report/trends";

export type TrendsState = { status: "loading" } | { status: "ready"; trend: Trend } | { status: "failed"; message: string };

const TrendsContext = createContext<TrendsState>({ status: "loading" });

export function TrendsProvider({ url, children }: { url: string; children: ReactNode }) {
  const [state, setState] = useState<TrendsState>({ status: "loading" });
  useEffect(() => {
    let current = true;
    fetch(url)
      .then(async (response) => {
        const body = (await response.json()) as Trend | { error: string };
        if ("error" in body) throw new Error(body.error);
        return body;
      })
      .then(
        (trend) => current && setState({ status: "ready", trend }),
        (error: Error) => current && setState({ status: "failed", message: error.message }),
      );
    return () => {
      current = false;
    };
  }, [url]);
  return <TrendsContext value={state}>{children}</TrendsContext>;
}

export function useTrends(): TrendsState {
  return useContext(TrendsContext);
}
