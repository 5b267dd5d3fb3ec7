import type { Metadata } from "next";
import { UsageReview } from "@/components/usage/usage-review";

export const metadata: Metadata = { title: "Usage" };

export default function UsagePage() {
  return <UsageReview />;
}
