// The standalone app's start-up, as any host's: the add-on's register() (stale runs, history
// rollup, log store, maintenance timer), plus what only this app's own sign-in needs.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // Every request carries its socket's peer address, which Next does not give route handlers
  // (sign-in limits; lib/auth/client-address.ts). Once, here, before the first request.
  const { stampPeerAddresses } = await import("./lib/auth/client-address");
  stampPeerAddresses();
  const { troubleshooter } = await import("./lib/standalone/troubleshooter");
  const { registerAddon } = await import("./lib/mount/register");
  const { deleteExpiredLoginLimits } = await import("./lib/standalone/auth/login-limits");
  await registerAddon(troubleshooter.context, { extraPrune: (prisma) => deleteExpiredLoginLimits(prisma) });
}
