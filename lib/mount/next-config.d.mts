import type { NextConfig } from "next";

export declare const SERVER_EXTERNAL_PACKAGES: string[];
/** The host's next.config with the add-on's server-only packages, transpilation and auth interrupts. */
export declare function withTroubleshooter<T extends NextConfig>(nextConfig?: T): T;
