// The types of scripts/build.mjs (plain JavaScript: it runs before anything is compiled).

/** Why dist/ must be built again, or null when it is current. */
export function staleness(): string | null;
/** Compiles src/ into dist/ (incrementally unless `clean`); false when tsc reported errors. */
export function build(options?: { clean?: boolean }): boolean;
/** Builds dist/ when it is stale; throws when the build fails. */
export function buildIfStale(): void;
