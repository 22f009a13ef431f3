// The specs' `test`: Playwright's, with the `addon` option each project sets (./mount.ts).
import { test as base } from "@playwright/test";
import { type Mount, STANDALONE } from "./mount";

export interface MountOptions {
  addon: Mount;
}

export const test = base.extend<MountOptions>({
  addon: [STANDALONE, { option: true }],
});

export { expect } from "@playwright/test";
