// A busy machine for the tests of the enclosing describe: processes spinning on the cores, so the
// prober (and a target on the same machine) gets a slice of a core at best, as on a shared host.
import { type ChildProcess, spawn } from "node:child_process";
import { afterAll, beforeAll } from "vitest";

export function keepCoresBusy(processes = 4): void {
  const busy: ChildProcess[] = [];
  beforeAll(() => {
    for (let i = 0; i < processes; i++) busy.push(spawn(process.execPath, ["-e", "for(;;){}"], { stdio: "ignore" }));
  });
  afterAll(() => {
    for (const child of busy.splice(0)) child.kill("SIGKILL");
  });
}
