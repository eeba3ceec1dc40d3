import { type ReactNode, useId } from 'react';
import { cn } from './cn';

export function Card({
  title,
  actions,
  children,
  className,
}: {
  title?: ReactNode;
  actions?: ReactNode;
  /** Nothing (null, false) leaves only the header: a folded card. */
  children?: ReactNode;
  className?: string;
}) {
  const titleId = useId();
  return (
    <section
      aria-labelledby={title ? titleId : undefined}
      className={cn('rounded-lg bg-white shadow-sm ring-1 ring-slate-200', className)}
    >
      {(title || actions) && (
        <header
          className={cn(
            'flex flex-wrap items-center justify-between gap-2 px-4 py-3',
            children ? 'border-b border-slate-100' : undefined,
          )}
        >
          <h2 id={titleId} className="text-sm font-semibold text-slate-800">
            {title}
          </h2>
          {actions && <div className="flex flex-wrap items-center gap-2">{actions}</div>}
        </header>
      )}
      {children ? <div className="p-4">{children}</div> : null}
    </section>
  );
}
