"use client";
/**
 * The marks of a project's time axis (notes, target changes, releases, model versions reaching
 * production: lib/annotations/), loaded by the page and handed to every trend chart inside.
 */
import { createContext, useContext, type ReactNode } from "react";
import type { Annotation } from "@/lib/annotations/marks";

const AnnotationsContext = createContext<Annotation[]>([]);

export function AnnotationsProvider({ annotations, children }: { annotations: Annotation[]; children: ReactNode }) {
  return <AnnotationsContext value={annotations}>{children}</AnnotationsContext>;
}

export function useAnnotations(): Annotation[] {
  return useContext(AnnotationsContext);
}
