'use client';
import { type ReactNode, useEffect, useRef } from 'react';
import { Button } from './button';

/**
 * A modal on the native <dialog>: the browser traps focus, closes on Escape and makes the
 * page behind it inert, which a hand-rolled overlay would have to re-implement.
 */
export function Dialog({
  open,
  title,
  children,
  onClose,
  footer,
}: {
  open: boolean;
  title: string;
  children: ReactNode;
  onClose: () => void;
  footer?: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      onClose={onClose}
      aria-label={title}
      // A dialog opened from a table cell still inherits the cell's text styles: reset them.
      className="m-auto w-[min(32rem,calc(100vw-2rem))] rounded-lg p-0 text-left whitespace-normal shadow-xl backdrop:bg-slate-900/40"
    >
      <div className="border-b border-slate-100 px-5 py-3">
        <h2 className="text-base font-semibold text-slate-900">{title}</h2>
      </div>
      <div className="px-5 py-4 text-sm text-slate-700">{children}</div>
      <div className="flex justify-end gap-2 bg-slate-50 px-5 py-3">
        {footer ?? (
          <Button variant="secondary" onClick={onClose}>
            Close
          </Button>
        )}
      </div>
    </dialog>
  );
}

/** Asks before a destructive action; the action's own errors show inside the dialog. */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  cancelLabel = 'Cancel',
  tone = 'danger',
  busy,
  error,
  onConfirm,
  onCancel,
}: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** Where "cancel" is itself the action asked about (cancel a run?), say what staying means. */
  cancelLabel?: string;
  /** Publishing is not destructive; deleting and revoking are. */
  tone?: 'primary' | 'danger';
  busy?: boolean;
  error?: string | null;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <Dialog
      open={open}
      title={title}
      onClose={onCancel}
      footer={
        <>
          <Button variant="secondary" onClick={onCancel}>
            {cancelLabel}
          </Button>
          <Button variant={tone} busy={busy} onClick={onConfirm}>
            {confirmLabel}
          </Button>
        </>
      }
    >
      {children}
      {error && <p className="mt-3 text-rose-600">{error}</p>}
    </Dialog>
  );
}
