import { type TableHTMLAttributes, useCallback } from 'react';

/**
 * A table. On a narrow screen every table is its own sideways scroll box (styles.css): while it
 * scrolls it is a tab stop too, so a keyboard can scroll it with the arrow keys (WCAG 2.1.1, axe's
 * `scrollable-region-focusable`); while it fits, the tab order is left as it was.
 */
export function Table(props: TableHTMLAttributes<HTMLTableElement>) {
  const keyboardScrollable = useCallback((table: HTMLTableElement | null) => {
    if (!table) return;
    const update = () => {
      if (table.scrollWidth > table.clientWidth) table.tabIndex = 0;
      else table.removeAttribute('tabindex');
    };
    // The table's box changes with the screen and with its rows (its height), its sections with their cells.
    const observer = new ResizeObserver(update);
    for (const box of [table, ...table.children]) observer.observe(box);
    update();
    return () => observer.disconnect();
  }, []);
  return <table ref={keyboardScrollable} {...props} />;
}
