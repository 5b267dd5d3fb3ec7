import clsx from "clsx";
import type { ComponentPropsWithRef, ReactNode } from "react";

type IconButtonProps = ComponentPropsWithRef<"button"> & { label: string; children: ReactNode };

/** A small square button with an accessible name and a tooltip. */
export function IconButton({ label, children, className, ...rest }: IconButtonProps) {
  return (
    <button
      type="button"
      aria-label={label}
      title={label}
      className={clsx(
        "inline-flex size-8 shrink-0 items-center justify-center rounded-md text-muted transition-colors hover:bg-hover hover:text-fg focus-visible:outline-2 focus-visible:outline-accent disabled:pointer-events-none disabled:opacity-40",
        className,
      )}
      {...rest}
    >
      {children}
    </button>
  );
}
