export * from "./deployment-log";
export * from "./code-history";
export * from "./work-items";
export * from "./ingest";
export * from "./targets";
export * from "./sync";
export * from "./github";
export * from "./work-item-transitions";
