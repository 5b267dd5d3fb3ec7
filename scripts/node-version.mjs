// The Node versions Forkline runs on: Prisma 7 needs ^20.19, ^22.12 or >= 24 (see docs/deploy.md, "Node version").

const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);

/** Exits with a clear message on a Node that Prisma (and so Forkline) cannot run on. */
export function checkNodeVersion() {
  const supported = (major === 20 && minor >= 19) || (major === 22 && minor >= 12) || major >= 24;
  if (supported) return;
  console.error(`Forkline needs Node 20.19+, 22.12+ or 24+ (this is ${process.versions.node}). Install a current Node LTS and run npm install again.`);
  process.exit(1);
}
