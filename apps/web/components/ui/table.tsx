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

export function Th({ className, ...rest }: ThHTMLAttributes<HTMLTableCellElement>) {
  return (
    <th
      scope="col"
      className={cn(
        'whitespace-nowrap px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-500',
        className,
      )}
      {...rest}
    />
  );
}

export function Td({ children, className }: { children?: ReactNode; className?: string }) {
  return <td className={cn('px-3 py-2 align-middle text-slate-700', className)}>{children}</td>;
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
