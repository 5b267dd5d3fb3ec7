/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Native and engine-bearing packages stay outside the server bundle and load from node_modules.
  serverExternalPackages: ["better-sqlite3", "@prisma/client", "@prisma/adapter-better-sqlite3", "@prisma/adapter-pg", "pg", "gpt-tokenizer"],
  typescript: { tsconfigPath: "tsconfig.json" },
};

export default nextConfig;
