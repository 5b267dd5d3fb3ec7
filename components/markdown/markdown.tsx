"use client";

import { memo, type ComponentPropsWithoutRef } from "react";
import ReactMarkdown, { type Components } from "react-markdown";
import rehypeHighlight from "rehype-highlight";
import remarkGfm from "remark-gfm";
import { safeUrl } from "@/lib/client/safe-url";
import { CodeBlock } from "@/components/markdown/code-block";
import { RemoteImage } from "@/components/markdown/remote-image";

const remarkPlugins = [remarkGfm];
const rehypePlugins = [[rehypeHighlight, { detect: false }]] as ComponentPropsWithoutRef<typeof ReactMarkdown>["rehypePlugins"];

function SafeLink({ href, children, node: _node, ...rest }: ComponentPropsWithoutRef<"a"> & { node?: unknown }) {
  if (!href) {
    return (
      <span className="md-inert-link" title="Link removed: only http, https and mailto links are allowed">
        {children}
      </span>
    );
  }
  return (
    <a {...rest} href={href} target="_blank" rel="noopener noreferrer nofollow">
      {children}
    </a>
  );
}

// Only http(s) sources survive `safeUrl`; data: and relative sources render as their alt text.
function SafeImage({ src, alt, node: _node }: ComponentPropsWithoutRef<"img"> & { node?: unknown }) {
  if (typeof src !== "string" || !src) return <span className="md-inert-link">{alt ? `[image: ${alt}]` : "[image]"}</span>;
  return <RemoteImage src={src} alt={alt ?? ""} />;
}

const components: Components = {
  a: SafeLink,
  img: SafeImage,
  pre: CodeBlock,
};

/** Renders untrusted markdown: GFM, highlighted code, raw HTML shown as text, only http(s)/mailto links, remote images on click. */
export const Markdown = memo(function Markdown({ text }: { text: string }) {
  return (
    <div className="md">
      <ReactMarkdown remarkPlugins={remarkPlugins} rehypePlugins={rehypePlugins} components={components} urlTransform={safeUrl}>
        {text}
      </ReactMarkdown>
    </div>
  );
});
