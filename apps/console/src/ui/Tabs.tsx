import { type KeyboardEvent, type ReactNode, useId, useRef } from 'react';

export interface Tab {
  id: string;
  label: string;
  render(): ReactNode;
}

/**
 * Accessible tabs (WAI-ARIA tabs pattern, automatic activation): one tab stop, the selected tab
 * (roving tabindex); Left/Right move to the previous/next tab (wrapping), Home/End to the first/last,
 * each selecting it. The selected tab is held by the caller (e.g. in the URL).
 */
export function Tabs({ tabs, selected, onSelect }: { tabs: Tab[]; selected: string; onSelect(id: string): void }) {
  const current = tabs.find((tab) => tab.id === selected) ?? tabs[0];
  const base = useId();
  const buttons = useRef(new Map<string, HTMLButtonElement>());
  const tabId = (tab: Tab) => `${base}-tab-${tab.id}`;
  const panelId = `${base}-panel`;

  const onKeyDown = (event: KeyboardEvent<HTMLButtonElement>, index: number) => {
    const last = tabs.length - 1;
    const target =
      event.key === 'ArrowRight'
        ? index === last
          ? 0
          : index + 1
        : event.key === 'ArrowLeft'
          ? index === 0
            ? last
            : index - 1
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? last
              : null;
    const tab = target === null ? undefined : tabs[target];
    if (!tab) return;
    event.preventDefault();
    onSelect(tab.id);
    buttons.current.get(tab.id)?.focus();
  };

  return (
    <div className="tabs">
      <div role="tablist" aria-orientation="horizontal">
        {tabs.map((tab, index) => {
          const isSelected = tab.id === current?.id;
          return (
            <button
              key={tab.id}
              ref={(node) => {
                if (node) buttons.current.set(tab.id, node);
                else buttons.current.delete(tab.id);
              }}
              id={tabId(tab)}
              role="tab"
              type="button"
              aria-selected={isSelected}
              aria-controls={isSelected ? panelId : undefined}
              tabIndex={isSelected ? 0 : -1}
              onClick={() => onSelect(tab.id)}
              onKeyDown={(event) => onKeyDown(event, index)}
            >
              {tab.label}
            </button>
          );
        })}
      </div>
      <div role="tabpanel" id={panelId} aria-labelledby={current ? tabId(current) : undefined} tabIndex={0}>
        {current?.render()}
      </div>
    </div>
  );
}
