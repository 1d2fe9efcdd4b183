import { type FormEvent, type KeyboardEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';

/** What can take the focus inside a dialog, in the page's Tab order. */
const FOCUSABLE = [
  'a[href]',
  'button:not([disabled])',
  'input:not([disabled]):not([type="hidden"])',
  'select:not([disabled])',
  'textarea:not([disabled])',
  'summary',
  '[tabindex]:not([tabindex="-1"])',
].join(',');

/** How many dialogs are open: the page behind stays inert until the last one closes. */
let openDialogs = 0;

/**
 * A modal dialog (WAI-ARIA dialog pattern), the one every dialog of the console uses. It is put at
 * the end of <body>, the page behind made `inert` (no focus, no clicks, hidden from screen readers);
 * on opening the focus moves to its first field or button (or `initialFocus`), Tab and Shift+Tab
 * stay inside it, Escape closes it (unless `onClose` is absent, e.g. while busy), and on closing
 * the focus returns to what opened it. `onSubmit` makes it a <form>.
 */
export function Dialog({
  label,
  onClose,
  onSubmit,
  className = '',
  children,
}: {
  /** Its accessible name. */
  label: string;
  /** Called on Escape; undefined while it must stay open (a request in flight). */
  onClose?: () => void;
  onSubmit?: (event: FormEvent<HTMLFormElement>) => void;
  className?: string;
  children: ReactNode;
}) {
  const box = useRef<HTMLElement | null>(null);
  // What has the focus on the first render, before an autoFocus field of the dialog takes it.
  const [opener] = useState(() => (document.activeElement instanceof HTMLElement ? document.activeElement : null));
  const closeRef = useRef(onClose);
  useEffect(() => {
    closeRef.current = onClose;
  });

  useEffect(() => {
    const element = box.current;
    const root = document.getElementById('root');
    openDialogs += 1;
    root?.setAttribute('inert', '');
    // Unless a field of it took the focus itself (autoFocus), its first field or button takes it.
    if (!element?.contains(document.activeElement)) {
      (element?.querySelector<HTMLElement>(FOCUSABLE) ?? element)?.focus();
    }
    // Focus that lands outside (a click on the backdrop) is brought back.
    const keepInside = (event: FocusEvent) => {
      if (element && event.target instanceof Node && !element.contains(event.target)) {
        (element.querySelector<HTMLElement>(FOCUSABLE) ?? element).focus();
      }
    };
    document.addEventListener('focusin', keepInside);
    return () => {
      document.removeEventListener('focusin', keepInside);
      openDialogs -= 1;
      if (openDialogs === 0) root?.removeAttribute('inert');
      if (opener?.isConnected) opener.focus();
      else document.getElementById('content')?.focus();
    };
  }, [opener]);

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (event.key === 'Escape') {
      event.stopPropagation();
      closeRef.current?.();
      return;
    }
    if (event.key !== 'Tab' || !box.current) return;
    const focusable = [...box.current.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
      (candidate) => candidate.offsetParent !== null || candidate === document.activeElement,
    );
    const first = focusable[0];
    const last = focusable.at(-1);
    if (!first || !last) {
      event.preventDefault();
      return;
    }
    const active = document.activeElement;
    if (event.shiftKey && (active === first || active === box.current)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && active === last) {
      event.preventDefault();
      first.focus();
    }
  };

  const common = {
    role: 'dialog',
    'aria-modal': true,
    'aria-label': label,
    tabIndex: -1,
    className: `card dialog ${className}`.trim(),
    onKeyDown,
  } as const;
  return createPortal(
    <div className="dialog-backdrop">
      {onSubmit ? (
        <form {...common} ref={(node) => void (box.current = node)} onSubmit={onSubmit} noValidate>
          {children}
        </form>
      ) : (
        <div {...common} ref={(node) => void (box.current = node)}>
          {children}
        </div>
      )}
    </div>,
    document.body,
  );
}
