import type { ReactNode, ThHTMLAttributes } from 'react';
import { cn } from './cn';

/** A horizontally scrollable table, so narrow screens scroll it instead of the page. */
export function Table({ children, className }: { children: ReactNode; className?: string }) {
  return (
    <div className={cn('overflow-x-auto', className)}>
      <table className="min-w-full divide-y divide-slate-200 text-sm">{children}</table>
    </div>
  );
}

/**
 * A pinned column (a row's actions) stays at the table's right edge while the rest scrolls
 * under it, so a phone never has to scroll sideways to act on a row. The shadow, shown only
 * below `md` where tables overflow, marks where the scrolled columns pass beneath it.
 */
const PINNED = 'sticky right-0 z-10 bg-white max-md:shadow-[-6px_0_6px_-6px_rgb(15_23_42/0.25)]';

export function Th({
  className,
  pinned = false,
  ...rest
}: ThHTMLAttributes<HTMLTableCellElement> & { pinned?: boolean }) {
  return (
    <th
      scope="col"
      className={cn(
        'whitespace-nowrap px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-500',
        pinned && PINNED,
        className,
      )}
      {...rest}
    />
  );
}

export function Td({
  children,
  className,
  pinned = false,
}: {
  children?: ReactNode;
  className?: string;
  pinned?: boolean;
}) {
  return (
    <td className={cn('px-3 py-2 align-middle text-slate-700', pinned && PINNED, className)}>
      {children}
    </td>
  );
}

export function EmptyRow({ colSpan, children }: { colSpan: number; children: ReactNode }) {
  return (
    <tr>
      <td colSpan={colSpan} className="px-3 py-6 text-sm text-slate-500">
        {/* On a narrow screen the table scrolls sideways: the message stays in view and wraps. */}
        <div className="sticky left-3 max-w-[calc(100vw-5rem)] whitespace-normal text-center sm:max-w-none">
          {children}
        </div>
      </td>
    </tr>
  );
}
