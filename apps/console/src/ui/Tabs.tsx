import type { ReactNode } from 'react';

export interface Tab {
  id: string;
  label: string;
  render(): ReactNode;
}

/** Accessible tabs (role tab/tabpanel); the selected tab is held by the caller (e.g. in the URL). */
export function Tabs({ tabs, selected, onSelect }: { tabs: Tab[]; selected: string; onSelect(id: string): void }) {
  const current = tabs.find((tab) => tab.id === selected) ?? tabs[0];
  return (
    <div className="tabs">
      <div role="tablist">
        {tabs.map((tab) => (
          <button
            key={tab.id}
            role="tab"
            type="button"
            aria-selected={tab.id === current?.id}
            onClick={() => onSelect(tab.id)}
          >
            {tab.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" aria-label={current?.label}>
        {current?.render()}
      </div>
    </div>
  );
}
