import {
  type InputHTMLAttributes,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
  useId,
} from 'react';
import { cn } from './cn';

// A read-only field (a viewer's form) is flat and grey like a disabled one, so it never invites
// typing; unlike disabled it still selects, copies and reaches screen readers. An attribute
// selector, not `read-only:`: a <select> always matches :read-only.
const field =
  'block w-full rounded-md border-0 px-2.5 py-1.5 text-sm text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 placeholder:text-slate-400 focus:ring-2 focus:ring-inset focus:ring-indigo-600 disabled:bg-slate-50 disabled:text-slate-500 [&[readonly]]:cursor-default [&[readonly]]:bg-slate-100 [&[readonly]]:text-slate-600 [&[readonly]]:shadow-none [&[readonly]]:ring-slate-200 [&[readonly]]:focus:ring-1 [&[readonly]]:focus:ring-slate-400';

export interface InputProps extends InputHTMLAttributes<HTMLInputElement> {
  label?: string;
  error?: string;
}

export function Input({ label, error, className, id, ...rest }: InputProps) {
  const generated = useId();
  const inputId = id ?? generated;
  return (
    <div className={className}>
      {label && (
        <label htmlFor={inputId} className="mb-1 block text-xs font-medium text-slate-600">
          {label}
        </label>
      )}
      <input
        id={inputId}
        aria-invalid={error ? true : undefined}
        className={cn(field, error && 'ring-rose-400')}
        {...rest}
      />
      <FieldError error={error} />
    </div>
  );
}

export function FieldError({ error }: { error: string | undefined }) {
  if (!error) return null;
  return (
    <p role="alert" className="mt-1 text-xs text-rose-600">
      {error}
    </p>
  );
}

export interface TextareaProps extends TextareaHTMLAttributes<HTMLTextAreaElement> {
  label?: string;
}

export function Textarea({ label, className, id, ...rest }: TextareaProps) {
  const generated = useId();
  const inputId = id ?? generated;
  return (
    <div className={className}>
      {label && (
        <label htmlFor={inputId} className="mb-1 block text-xs font-medium text-slate-600">
          {label}
        </label>
      )}
      <textarea id={inputId} className={cn(field, 'font-mono text-xs')} {...rest} />
    </div>
  );
}

export function Select({
  label,
  error,
  className,
  id,
  children,
  ...rest
}: SelectHTMLAttributes<HTMLSelectElement> & { label?: string; error?: string }) {
  const generated = useId();
  const inputId = id ?? generated;
  return (
    <div className={className}>
      {label && (
        <label htmlFor={inputId} className="mb-1 block text-xs font-medium text-slate-600">
          {label}
        </label>
      )}
      <select
        id={inputId}
        aria-invalid={error ? true : undefined}
        className={cn(field, 'h-8 bg-white pr-8', error && 'ring-rose-400')}
        {...rest}
      >
        {children}
      </select>
      <FieldError error={error} />
    </div>
  );
}

export function Checkbox({
  label,
  className,
  ...rest
}: Omit<InputHTMLAttributes<HTMLInputElement>, 'type'> & { label: string }) {
  return (
    <label className={cn('flex items-center gap-2 text-sm text-slate-700', className)}>
      <input
        type="checkbox"
        className="size-4 rounded border-slate-300 text-indigo-600 focus:ring-indigo-600 disabled:opacity-60"
        {...rest}
      />
      {label}
    </label>
  );
}
