/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // `next dev` serves its client chunks to these origins too (tests and screenshots use 127.0.0.1).
  allowedDevOrigins: ["127.0.0.1"],
  // Native and engine-bearing packages stay outside the server bundle and load from node_modules.
  serverExternalPackages: ["better-sqlite3", "@prisma/client", "@prisma/adapter-better-sqlite3", "@prisma/adapter-pg", "pg", "gpt-tokenizer"],
  typescript: { tsconfigPath: "tsconfig.json" },
};

export default nextConfig;
